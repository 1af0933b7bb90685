package dev.shoal.controlplane.testing;

import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.RaftClusterStore;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A real single-member {@link RaftClusterStore} on a free loopback port in a temporary directory
 * of its own, with blocking helpers for tests: commit, and wait for the view to satisfy a condition.
 *
 * <p>{@link #close()} returns at once and stops the member in the background, then deletes its
 * directory: a Ratis server takes about a second to stop, which would otherwise dominate the
 * module's test time. Every member has its own port and directory, so nothing is shared.
 */
public final class TestStore implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final ExecutorService CLOSER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-store-closer");
        t.setDaemon(true);
        return t;
    });

    /** Members get distinct ids: Ratis registers a JMX bean per member id, and stores overlap while closing. */
    private static final AtomicInteger MEMBERS = new AtomicInteger();

    private final RaftClusterStore store;
    private final Path dir;

    private TestStore(RaftClusterStore store, Path dir) {
        this.store = store;
        this.dir = dir;
    }

    /** Starts a member and waits until it leads. */
    public static TestStore start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("shoal-store-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RaftClusterStore s = RaftClusterStore.startNow(new RaftClusterStore.StoreConfig("m" + MEMBERS.incrementAndGet(), freeLoopbackAddress(), dir));
        try {
            s.awaitLeader(WAIT).block(WAIT);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return new TestStore(s, dir);
    }

    public ClusterStore store() {
        return store;
    }

    public StoreView view() {
        return store.view();
    }

    public StoreView commit(Change... changes) {
        return store.commit(Transaction.of(changes)).block(WAIT);
    }

    public StoreView commit(List<Change> changes) {
        return store.commit(new Transaction(changes)).block(WAIT);
    }

    /**
     * Waits until {@code condition} holds, moving {@code clock} on by half a second between looks
     * (at most 300 s of virtual time), for reconcilers whose next step waits for a deadline.
     */
    public StoreView awaitAdvancing(VirtualClock clock, String what, Predicate<StoreView> condition) {
        for (int i = 0; i < 600; i++) {
            if (condition.test(view())) {
                return view();
            }
            clock.advance(Duration.ofMillis(500));
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return await(what, condition, Duration.ofSeconds(5));
    }

    /**
     * Waits until the view satisfies {@code condition}, checking it now and after every commit.
     *
     * @throws AssertionError naming {@code what} and showing the last view when it does not within {@link #WAIT}
     */
    public StoreView await(String what, Predicate<StoreView> condition) {
        return await(what, condition, WAIT);
    }

    public StoreView await(String what, Predicate<StoreView> condition, Duration timeout) {
        // watch first, then read: a commit between the two is seen by one or the other
        StoreView v = Flux.merge(store.watch().map(e -> store.view()), Mono.fromCallable(store::view))
                .filter(condition)
                .next()
                .timeout(timeout, Mono.empty())
                .block();
        if (v == null) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last view: " + Views.describe(store.view()));
        }
        return v;
    }

    static InetSocketAddress freeLoopbackAddress() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        CLOSER.execute(() -> {
            store.close();
            deleteRecursively(dir);
        });
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
