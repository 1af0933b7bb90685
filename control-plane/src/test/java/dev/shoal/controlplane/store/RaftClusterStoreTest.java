package dev.shoal.controlplane.store;

import static dev.shoal.controlplane.store.Fixtures.NOW;
import static dev.shoal.controlplane.store.Fixtures.service;
import static dev.shoal.controlplane.store.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.api.model.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The store on a real single-member Ratis group, with its real log on a temporary directory. */
class RaftClusterStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<RaftClusterStore> started = new ArrayList<>();

    @AfterEach
    void closeStores() {
        started.forEach(RaftClusterStore::close);
    }

    private RaftClusterStore start(RaftClusterStore.StoreConfig config, StoreTuning tuning) {
        RaftClusterStore store = RaftClusterStore.startNow(config, tuning);
        started.add(store);
        return store;
    }

    private RaftClusterStore leader(RaftClusterStore.StoreConfig config, StoreTuning tuning) {
        RaftClusterStore store = start(config, tuning);
        store.awaitLeader(WAIT).block(WAIT);
        return store;
    }

    private RaftClusterStore leader() {
        return leader(Fixtures.config("m1", dir), StoreTuning.DEFAULTS);
    }

    private static StoreView commit(ClusterStore store, Change... changes) {
        return store.commit(Transaction.of(changes)).block(WAIT);
    }

    private static ApiException refused(ClusterStore store, Transaction tx) {
        ApiException[] seen = new ApiException[1];
        StepVerifier.create(store.commit(tx))
                .expectErrorSatisfies(e -> seen[0] = assertInstanceOf(ApiException.class, e))
                .verify(WAIT);
        return seen[0];
    }

    @Test
    void singleMemberBecomesLeaderAndSaysSo() {
        RaftClusterStore store = start(Fixtures.config("m1", dir), StoreTuning.DEFAULTS);
        StepVerifier.create(store.leadership().take(2))
                .expectNext(false)
                .expectNext(true)
                .verifyComplete();
        assertTrue(store.isLeader());
        StepVerifier.create(store.leadership().take(1)).expectNext(true).verifyComplete();
    }

    @Test
    void createUpdateDeleteRoundTripWithVersions() {
        RaftClusterStore store = leader();
        Service web = service("web");

        StoreView created = commit(store, Change.create(web));
        Service stored = created.services().get(web.id());
        assertEquals(new Version(created.index()), stored.version());
        assertEquals(created, store.view());

        StoreView updated = commit(store, Change.update(stored.withSpec(stored.spec().withReplicas(5), NOW)));
        Service afterUpdate = updated.services().get(web.id());
        assertTrue(updated.index() > created.index());
        assertEquals(new Version(updated.index()), afterUpdate.version());
        assertEquals(5, afterUpdate.spec().replicas());

        StoreView deleted = commit(store, Change.delete(afterUpdate));
        assertTrue(deleted.services().isEmpty());
        assertTrue(deleted.index() > updated.index());
        assertEquals(deleted, store.view());
    }

    @Test
    void staleUpdateIsRefusedAndNeitherWritesNorEmits() {
        RaftClusterStore store = leader();
        Service web = commit(store, Change.create(service("web"))).services().values().iterator().next();
        StoreView current = commit(store, Change.update(web.withSpec(web.spec().withReplicas(2), NOW)));
        CompletableFuture<StoreEvent> firstEvent = store.watch().next().toFuture();

        ApiException e = refused(store, Transaction.of(Change.update(web.withSpec(web.spec().withReplicas(9), NOW))));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("update out of sequence: service " + web.id().value() + " is at version " + current.index()
                + ", the request was based on version " + web.version().index(), e.getMessage());
        assertSame(current, store.view());

        // the next event the watcher sees is the next good commit's, not the refused one
        Service other = service("api");
        StoreView next = commit(store, Change.create(other));
        StoreEvent event = firstEvent.join();
        assertEquals(next.index(), event.index());
        assertEquals(other.id().value(), event.id());
    }

    @Test
    void duplicateServiceNameIsRefused() {
        RaftClusterStore store = leader();
        Service first = service("web");
        StoreView before = commit(store, Change.create(first));
        ApiException e = refused(store, Transaction.of(Change.create(service("web"))));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertEquals("service name web is already in use by service " + first.id().value(), e.getMessage());
        assertSame(before, store.view());
    }

    @Test
    void transactionWithOneBadChangeWritesNone() {
        RaftClusterStore store = leader();
        Service web = service("web");
        StoreView before = commit(store, Change.create(web));
        List<Change> changes = new ArrayList<>();
        for (int slot = 1; slot <= 49; slot++) {
            changes.add(Change.create(task(web, slot)));
        }
        changes.add(Change.create(before.services().get(web.id()))); // exists already

        ApiException e = refused(store, new Transaction(changes));
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertSame(before, store.view());
        assertTrue(store.view().tasks().isEmpty());
    }

    @Test
    void fiftyTasksCommitInOneTransaction() {
        RaftClusterStore store = leader();
        Service web = service("web");
        List<Change> changes = new ArrayList<>(List.of(Change.create(web)));
        for (int slot = 1; slot <= 50; slot++) {
            changes.add(Change.create(task(web, slot)));
        }
        StoreView after = store.commit(new Transaction(changes)).block(WAIT);
        assertEquals(50, after.tasksOf(web.id()).size());
        assertTrue(after.tasks().values().stream().allMatch(t -> t.version().index() == after.index()));
    }

    @Test
    void watchEmitsEveryEventInCommitOrderUnder500ConcurrentCommits() {
        RaftClusterStore store = leader();
        Service web = service("web");
        commit(store, Change.create(web));
        int n = 500;
        CompletableFuture<List<StoreEvent>> events = store.watch().take(n).collectList().toFuture();

        List<StoreView> views = Flux.range(1, n)
                .flatMap(slot -> store.commit(Transaction.of(Change.create(task(web, slot)))), 64)
                .collectList()
                .block(WAIT);

        List<StoreEvent> seen = events.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertEquals(n, seen.size());
        for (int i = 1; i < n; i++) {
            assertTrue(seen.get(i).index() > seen.get(i - 1).index(), "events out of order at " + i);
        }
        Set<Long> committed = views.stream().map(StoreView::index).collect(Collectors.toSet());
        assertEquals(committed, seen.stream().map(StoreEvent::index).collect(Collectors.toSet()));
        // each commit completed with the view right after it: its own task at its own index
        for (StoreView v : views) {
            assertTrue(v.tasks().values().stream().anyMatch(t -> t.version().index() == v.index()));
        }
        assertEquals(n, store.view().tasks().size());
    }

    @Test
    void slowWatcherLosesNothingAndHoldsNoCommitBack() {
        RaftClusterStore store = leader();
        Service web = service("web");
        commit(store, Change.create(web));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<StoreEvent>> slow = store.watch()
                .doOnNext(e -> {
                    try {
                        release.await(); // blocks its own delivery thread until every commit is done
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                })
                .take(200)
                .collectList()
                .toFuture();

        Flux.range(1, 200)
                .flatMap(slot -> store.commit(Transaction.of(Change.create(task(web, slot)))), 32)
                .blockLast(WAIT);
        assertFalse(slow.isDone());
        release.countDown();
        assertEquals(200, slow.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().size());
    }

    @Test
    void commitsSubscribedOneAfterAnotherAreAppliedInThatOrder() {
        RaftClusterStore store = leader();
        Service web = service("web");
        commit(store, Change.create(web));
        List<StoreView> views = Flux.range(1, 100)
                .flatMapSequential(slot -> store.commit(Transaction.of(Change.create(task(web, slot)))), 100)
                .collectList()
                .block(WAIT);
        for (int i = 1; i < views.size(); i++) {
            assertTrue(views.get(i).index() > views.get(i - 1).index(), "commit " + i + " overtook its predecessor");
        }
    }

    @Test
    void raftClientCommitPathCommitsAndRefusesAlike() {
        RaftClusterStore store = leader(Fixtures.config("m1", dir), StoreTuning.DEFAULTS.withCommitPath(StoreTuning.CommitPath.RAFT_CLIENT));
        Service web = service("web");
        StoreView created = commit(store, Change.create(web));
        assertEquals(new Version(created.index()), created.services().get(web.id()).version());
        assertEquals(ErrorCode.ALREADY_EXISTS, refused(store, Transaction.of(Change.create(web))).code());
        assertSame(created, store.view());
    }

    @Test
    void commitCompletesOffRaftThreadsSoTheCallerMayBlock() {
        RaftClusterStore store = leader();
        Service web = service("web");
        String[] completedOn = new String[1];
        // a continuation that commits again and blocks on it, inside the first commit's completion
        StoreView second = store.commit(Transaction.of(Change.create(web)))
                .map(v -> {
                    completedOn[0] = Thread.currentThread().getName();
                    return store.commit(Transaction.of(Change.create(task(web, 1)))).block(WAIT);
                })
                .block(WAIT);
        assertEquals(1, second.tasks().size());
        assertTrue(completedOn[0].startsWith("boundedElastic"), completedOn[0]);
    }

    @Test
    void restartRecoversTheSameViewFromTheLog() {
        RaftClusterStore.StoreConfig config = Fixtures.config("m1", dir);
        StoreTuning noSnapshots = StoreTuning.DEFAULTS.withSnapshotOnStop(false);
        RaftClusterStore first = leader(config, noSnapshots);
        Service web = service("web");
        commit(first, Change.create(web), Change.create(Fixtures.node("n1")), Change.create(Fixtures.swarm()));
        Flux.range(1, 20)
                .flatMap(slot -> first.commit(Transaction.of(Change.create(task(web, slot)))), 8)
                .blockLast(WAIT);
        StoreView before = first.view();
        first.close();

        RaftClusterStore second = leader(config, noSnapshots);
        assertEquals(-1, second.loadedSnapshotIndex());
        assertEquals(before, second.view());
        assertNotSame(before, second.view());

        Task t = second.view().tasksOf(web.id()).getFirst();
        StoreView after = commit(second, Change.update(t.withStatus(TaskStatus.of(TaskState.PENDING, "allocated", NOW), NOW)));
        assertTrue(after.tasks().get(t.id()).version().index() > before.index());
    }

    @Test
    void restartLoadsTheLatestSnapshotThenReplaysTheRest() throws IOException {
        RaftClusterStore.StoreConfig config = Fixtures.config("m1", dir);
        StoreTuning frequentSnapshots = StoreTuning.DEFAULTS.withSnapshotThreshold(25).withSnapshotOnStop(false).withLogSegmentSizeMax(16 * 1024);
        RaftClusterStore first = leader(config, frequentSnapshots);
        Service web = service("web");
        commit(first, Change.create(web));
        Flux.range(1, 90)
                .flatMap(slot -> first.commit(Transaction.of(Change.create(task(web, slot)))), 16)
                .blockLast(WAIT);
        StoreView before = first.view();
        first.close();
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")), "no snapshot file under " + dir);
        }

        RaftClusterStore second = leader(config, frequentSnapshots);
        assertTrue(second.loadedSnapshotIndex() > 0, "no snapshot was loaded");
        assertEquals(before, second.view());
        StoreView after = commit(second, Change.create(task(web, 91)));
        assertTrue(after.index() > before.index());
    }

    @Test
    void snapshotOnCloseIsLoadedOnRestart() {
        RaftClusterStore.StoreConfig config = Fixtures.config("m1", dir);
        StoreTuning snapshotOnStop = StoreTuning.DEFAULTS.withSnapshotOnStop(true);
        RaftClusterStore first = leader(config, snapshotOnStop);
        commit(first, Change.create(service("web")));
        StoreView before = first.view();
        first.close();

        RaftClusterStore second = leader(config, snapshotOnStop);
        assertTrue(second.loadedSnapshotIndex() >= before.index());
        assertEquals(before, second.view());
    }

    // --- bad input and unavailability: each its own test ---

    @Test
    void nullTransactionIsRefusedAsInvalid() {
        RaftClusterStore store = leader();
        assertEquals(ErrorCode.INVALID_ARGUMENT, refused(store, null).code());
    }

    @Test
    void malformedTransactionIsRefusedBeforeItReachesTheLog() {
        RaftClusterStore store = leader();
        StoreView before = store.view();
        ApiException e = refused(store, Transaction.of(new Change(Change.Op.CREATE, Kind.TASK, "t1", null, null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertSame(before, store.view());
    }

    @Test
    void emptyTransactionCannotBeCommitted() {
        assertThrows(IllegalArgumentException.class, () -> Transaction.of());
    }

    @Test
    void startOnAPortInUseFailsAndNamesTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RaftClusterStore.StoreConfig config = new RaftClusterStore.StoreConfig("m1",
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()), dir);
            RuntimeException e = assertThrows(RuntimeException.class, () -> start(config, StoreTuning.DEFAULTS));
            assertTrue(String.valueOf(e.getMessage()).contains(String.valueOf(taken.getLocalPort())), String.valueOf(e.getMessage()));
        }
    }

    @Test
    void startOnAStorageDirThatIsAFileFails() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> start(Fixtures.config("m1", file), StoreTuning.DEFAULTS));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void blankMemberIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RaftClusterStore.StoreConfig(" ", Fixtures.freeLoopbackAddress(), dir));
    }

    @Test
    void commitBeforeLeadershipIsUnavailable() {
        StoreTuning slowElection = StoreTuning.DEFAULTS.withFirstElectionTimeout(Duration.ofSeconds(30)).withSnapshotOnStop(false);
        RaftClusterStore store = start(Fixtures.config("m1", dir), slowElection);
        assertFalse(store.isLeader());
        ApiException e = refused(store, Transaction.of(Change.create(service("web"))));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().startsWith("not the leader"), e.getMessage());
    }

    @Test
    void awaitLeaderTimesOutAsUnavailable() {
        StoreTuning slowElection = StoreTuning.DEFAULTS.withFirstElectionTimeout(Duration.ofSeconds(30)).withSnapshotOnStop(false);
        RaftClusterStore store = start(Fixtures.config("m1", dir), slowElection);
        StepVerifier.create(store.awaitLeader(Duration.ofMillis(200)))
                .expectErrorSatisfies(e -> assertEquals(ErrorCode.UNAVAILABLE, assertInstanceOf(ApiException.class, e).code()))
                .verify(WAIT);
    }

    @Test
    void commitAfterCloseIsUnavailable() {
        RaftClusterStore store = leader();
        store.close();
        ApiException e = refused(store, Transaction.of(Change.create(service("web"))));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertFalse(store.isLeader());
    }

    @Test
    void closeIsIdempotentEndsTheStreamsAndReportsLeadershipLost() {
        RaftClusterStore store = leader();
        CompletableFuture<List<Boolean>> leadership = store.leadership().collectList().toFuture();
        CompletableFuture<List<StoreEvent>> events = store.watch().collectList().toFuture();
        commit(store, Change.create(service("web")));

        store.close();
        store.close();
        assertEquals(List.of(true, false), leadership.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join());
        assertEquals(1, events.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().size());
        StepVerifier.create(store.watch()).verifyComplete();
        StepVerifier.create(store.awaitLeader(WAIT)).expectError(ApiException.class).verify(WAIT);
        assertEquals(Boolean.FALSE, Mono.from(store.leadership()).block(WAIT));
    }
}
