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
import dev.shoal.controlplane.store.RaftGroup;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import java.io.IOException;
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
 * Write throughput of a three-member {@link RaftClusterStore} group in one JVM on loopback, over
 * mutual TLS 1.3 (gRPC, as managers run it): each commit is on disk on the leader and on one
 * follower before it is acknowledged. Same load as {@link RaftWriteBenchmark}: single-change
 * transactions, 64 in flight, each thread updating its own service.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(64)
public class Raft3WriteBenchmark {

    /** The group, started once per trial on fresh directories. */
    @State(Scope.Benchmark)
    public static class Group {
        Path dir;
        RaftGroup group;
        RaftClusterStore leader;
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        @Setup(Level.Trial)
        public void start() throws IOException {
            dir = Files.createTempDirectory("shoal-perf-raft3-");
            group = RaftGroup.start(dir, 3);
            leader = group.leader();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            group.close();
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
        public void create(Group g) {
            int i = g.next.getAndIncrement();
            ServiceSpec spec = new ServiceSpec("perf-raft3-" + i, Map.of("perf.seq", "0"),
                    new TaskSpec(new ContainerSpec("shoal-test/busybox:latest", null, List.of("sleep", "3600"), null, null, null, null), null, null),
                    ServiceMode.replicated(0));
            Instant now = Instant.now();
            Service fresh = new Service(ServiceId.random(), Version.ZERO, now, now, spec, null);
            StoreView view = g.leader.commit(Transaction.of(Change.create(fresh))).block(Duration.ofSeconds(30));
            service = view.services().get(fresh.id());
        }
    }

    @Benchmark
    public long commitOneChange(Group g, Mine me) {
        ServiceSpec spec = new ServiceSpec(me.service.spec().name(), Map.of("perf.seq", Long.toString(++me.seq)),
                me.service.spec().taskTemplate(), me.service.spec().mode());
        StoreView view = g.leader.commit(Transaction.of(Change.update(me.service.withSpec(spec, Instant.now())))).block();
        me.service = view.services().get(me.service.id());
        return view.index();
    }
}
