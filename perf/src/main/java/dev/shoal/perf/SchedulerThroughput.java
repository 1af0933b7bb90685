package dev.shoal.perf;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.Version;
import dev.shoal.controlplane.allocator.Allocator;
import dev.shoal.controlplane.orchestrator.replicated.ReplicatedOrchestrator;
import dev.shoal.controlplane.reconcile.Commits;
import dev.shoal.controlplane.reconcile.ReconcileLoop;
import dev.shoal.controlplane.scheduler.Scheduler;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.RaftClusterStore;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import reactor.core.scheduler.Schedulers;

/**
 * Scheduler throughput through the whole control plane, with simulated nodes and no containers:
 * a real single-member Raft store on disk, the replicated orchestrator, the allocator and the
 * scheduler in their reconcile loops as a leader runs them, N nodes written to the store as READY
 * (zones a, b, c by a node label; one node in ten labelled {@code tier=db}), then one service of
 * {@code --tasks} replicas with the constraint {@code node.labels.tier!=db} and a spread
 * preference over {@code node.labels.zone}. The clock runs from the service's commit until every
 * task is ASSIGNED in the store; the figure is tasks ÷ seconds, every store commit included. The
 * heap in use is sampled every 100 ms; its peak is reported.
 *
 * <p>Usage: {@code SchedulerThroughput [--nodes 1000,5000] [--tasks 100000] [--timeout-s 600]
 * [--results perf/RESULTS.md --command "..."]}. Prints one line per figure.
 */
public final class SchedulerThroughput {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private SchedulerThroughput() {}

    record Result(int nodes, int tasks, double seconds, long peakHeapBytes, long placedCheck) {
        double perSecond() {
            return tasks / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int tasks = Integer.parseInt(o.getOrDefault("tasks", "100000"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout-s", "600")));
        List<Integer> nodeCounts = Arrays.stream(o.getOrDefault("nodes", "1000,5000").split(",")).map(Integer::parseInt).toList();
        Map<String, ResultsTable.Row> rows = new LinkedHashMap<>();
        StringBuilder details = new StringBuilder();
        String date = DATE.format(Instant.now());
        for (int n : nodeCounts) {
            Result r = run(n, tasks, timeout);
            String figure = "scheduler.placements.per.s." + n + "nodes";
            System.out.printf(Locale.ROOT, "[perf] %s: %d tasks on %d nodes in %.2f s = %.0f placements/s, peak heap %d MiB%n",
                    figure, tasks, n, r.seconds(), r.perSecond(), r.peakHeapBytes() >> 20);
            rows.put(figure, new ResultsTable.Row(figure, String.format(Locale.ROOT, "%.0f placements/s", r.perSecond()),
                    "Nomad, published (HashiCorp's C1M: 1 million containers on 5 000 hosts); Kubernetes publishes about 100 pods/s at 5 000 nodes",
                    "3750 placements/s", String.format(Locale.ROOT, "%.2f", r.perSecond() / 3750), date, o.getOrDefault("command", "bash perf/scheduler.sh")));
            details.append(String.format(Locale.ROOT, "- `%s`: %d tasks on %d simulated nodes in %.2f s (%.0f placements/s), peak heap %d MiB%n",
                    figure, tasks, n, r.seconds(), r.perSecond(), r.peakHeapBytes() >> 20));
        }
        if (o.containsKey("results")) {
            Path file = Path.of(o.get("results"));
            String kept = ResultsTable.readDetails(file);
            int at = kept.indexOf("### Scheduler throughput");
            if (at >= 0) {
                kept = kept.substring(0, at).strip();
            }
            ResultsTable.write(file, rows, ResultsTable.readIntro(file), kept + "\n\n### Scheduler throughput\n\n"
                    + "Simulated nodes, no containers; whole control plane on a one-member Raft store on disk"
                    + " (see README). Reference: published figures, not measured here.\n\n" + details);
        }
        System.exit(0);
    }

    static Result run(int nodeCount, int taskCount, Duration timeout) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("shoal-perf-sched-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RaftClusterStore store = RaftClusterStore.startNow(new RaftClusterStore.StoreConfig("perf-sched", new InetSocketAddress("127.0.0.1", port), dir));
        var work = Schedulers.newSingle("perf-leader");
        var timers = Schedulers.newSingle("perf-timers");
        List<ReconcileLoop> loops = new ArrayList<>();
        try {
            store.awaitLeader(Duration.ofSeconds(60)).block();
            Instant now = Instant.now();
            List<Change> nodes = new ArrayList<>();
            String[] zones = {"a", "b", "c"};
            for (int i = 0; i < nodeCount; i++) {
                Map<String, String> labels = i % 10 == 9 ? Map.of("zone", zones[i % 3], "tier", "db") : Map.of("zone", zones[i % 3]);
                nodes.add(Change.create(new Node(NodeId.random(), Version.ZERO, now, now,
                        new NodeSpec("sim-" + i, labels, NodeSpec.Role.WORKER, NodeSpec.Availability.ACTIVE),
                        new NodeDescription("sim-" + i, new NodeDescription.Platform("x86_64", "linux"),
                                new NodeDescription.Resources(8_000_000_000L, 32L << 30), new NodeDescription.Engine("sim"), "process"),
                        new NodeStatus(NodeStatus.State.READY, null, "127.0.0.1"), null)));
            }
            Commits.inBatches(store, nodes).block(Duration.ofMinutes(5));
            ReconcileLoop.Runtime runtime = new ReconcileLoop.Runtime(Clock.systemUTC(), work, timers, Duration.ofMillis(10));
            loops.add(ReconcileLoop.start("replicated-orchestrator", store, new ReplicatedOrchestrator(store, Clock.systemUTC()), runtime));
            loops.add(ReconcileLoop.start("allocator", store, new Allocator(store, Clock.systemUTC()), runtime));
            loops.add(ReconcileLoop.start("scheduler", store, new Scheduler(store, Clock.systemUTC()), runtime));

            TaskSpec template = new TaskSpec(ContainerSpec.of("shoal-test/busybox:latest", "sleep", "3600"), null, null, null,
                    new Placement(List.of("node.labels.tier!=db"), List.of(Placement.Preference.spread("node.labels.zone")), null, null));
            ServiceSpec spec = new ServiceSpec("sched-" + nodeCount, null, template, ServiceMode.replicated(taskCount));
            Service service = new Service(ServiceId.random(), Version.ZERO, Instant.now(), Instant.now(), spec, null);
            System.gc();
            var heap = ManagementFactory.getMemoryMXBean();
            long peak = heap.getHeapMemoryUsage().getUsed();
            long t0 = System.nanoTime();
            store.commit(Transaction.of(Change.create(service))).block(Duration.ofSeconds(60));
            long deadline = t0 + timeout.toNanos();
            while (true) {
                Thread.sleep(100);
                peak = Math.max(peak, heap.getHeapMemoryUsage().getUsed());
                StoreView v = store.view();
                long assigned = v.tasks().values().stream().filter(t -> t.state() == TaskState.ASSIGNED).count();
                if (assigned >= taskCount) {
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long onDb = v.tasks().values().stream().map(Task::nodeId).filter(id -> "db".equals(v.nodes().get(id).spec().labels().get("tier"))).count();
                    if (onDb > 0) {
                        throw new IllegalStateException(onDb + " tasks placed on nodes the constraint excludes");
                    }
                    return new Result(nodeCount, taskCount, seconds, peak, onDb);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + assigned + " of " + taskCount + " tasks assigned after " + timeout);
                }
            }
        } finally {
            loops.forEach(ReconcileLoop::dispose);
            work.dispose();
            timers.dispose();
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
