package dev.shoal.perf.jmh;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.Version;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.RaftClusterStore;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Write throughput of a {@link RaftClusterStore}: real Ratis servers with their logs on disk under
 * /tmp, single-change transactions (one service update each), 64 in flight (64 threads, each
 * waiting for its own commit, each updating its own service so that no version check fails). One
 * operation is one committed and applied Raft entry.
 *
 * <p>System property {@value #MEMBERS}: 1 (default) for a single member (Netty RPC, no TLS, the
 * {@code raft1} figure), 3 for a group of three in this JVM on loopback over mutual TLS 1.3 (gRPC,
 * as managers run it; a commit is on disk on the leader and one follower: {@code raft3}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(64)
public class RaftWriteBenchmark {
    /** How many members the group has. */
    public static final String MEMBERS = "perf.raft.members";

    /** The store, started once per trial on a fresh directory. */
    @State(Scope.Benchmark)
    public static class Store {
        Path dir;
        RaftClusterStore store;
        dev.shoal.controlplane.store.RaftGroup group;
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        @Setup(Level.Trial)
        public void start() throws IOException {
            dir = Files.createTempDirectory("shoal-perf-raft-");
            int members = Integer.getInteger(MEMBERS, 1);
            if (members > 1) {
                group = dev.shoal.controlplane.store.RaftGroup.start(dir, members);
                store = group.leader();
                return;
            }
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            store = RaftClusterStore.startNow(new RaftClusterStore.StoreConfig("perf1", new InetSocketAddress("127.0.0.1", port), dir));
            store.awaitLeader(Duration.ofSeconds(60)).block();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            if (group != null) {
                group.close();
            } else {
                store.close();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One thread's own service, at its latest version. */
    @State(Scope.Thread)
    public static class Mine {
        Service service;
        long seq;

        @Setup(Level.Trial)
        public void create(Store s) {
            int i = s.next.getAndIncrement();
            ServiceSpec spec = new ServiceSpec("perf-raft-" + i, Map.of("perf.seq", "0"),
                    new TaskSpec(new ContainerSpec("shoal-test/busybox:latest", null, List.of("sleep", "3600"), null, null, null, null), null, null),
                    ServiceMode.replicated(0));
            Instant now = Instant.now();
            Service fresh = new Service(ServiceId.random(), Version.ZERO, now, now, spec, null);
            StoreView view = s.store.commit(Transaction.of(Change.create(fresh))).block(Duration.ofSeconds(30));
            service = view.services().get(fresh.id());
        }
    }

    @Benchmark
    public long commitOneChange(Store s, Mine me) {
        ServiceSpec spec = new ServiceSpec(me.service.spec().name(), Map.of("perf.seq", Long.toString(++me.seq)),
                me.service.spec().taskTemplate(), me.service.spec().mode());
        StoreView view = s.store.commit(Transaction.of(Change.update(me.service.withSpec(spec, Instant.now())))).block();
        me.service = view.services().get(me.service.id());
        return view.index();
    }
}
