package dev.shoal.perf;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.NodeRemoveRequest;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.tests.Await;
import dev.shoal.tests.SwarmCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster figures, Shoal and Docker Swarm in one run: leader failover (SIGKILL of the leader
 * manager, then the time to the first write acknowledged through another manager; three managers,
 * each a real daemon in its own network namespace), the join time of a node, and the write
 * throughput of a three-member Raft group. Docker Swarm's figures come from
 * {@code perf/docker-swarm/cluster.sh}, which runs dockerd instances the same way.
 *
 * <pre>
 *   java ... dev.shoal.perf.ClusterComparison --results perf/RESULTS.md --command "..." [--trials 20] [--join-trials 5] [--what failover,join,raft3]
 * </pre>
 */
public final class ClusterComparison {
    private static final Logger log = LoggerFactory.getLogger(ClusterComparison.class);
    static final Duration WRITE_DEADLINE = Duration.ofSeconds(60);
    static final Duration POLL = Duration.ofMillis(50);
    private static final String CLUSTER_START = "<!-- cluster:start -->";
    private static final String CLUSTER_END = "<!-- cluster:end -->";

    private final Map<String, String> opts;
    private final Map<String, ResultsTable.Row> rows = new LinkedHashMap<>();
    private final StringBuilder details = new StringBuilder();
    private final String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));

    private ClusterComparison(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new ClusterComparison(opts).run();
    }

    private String command() {
        return opts.getOrDefault("command", "bash perf/cluster.sh");
    }

    private boolean wants(String what) {
        return List.of(opts.getOrDefault("what", "failover,join,raft3").split(",")).contains(what);
    }

    private void run() throws Exception {
        int trials = Integer.parseInt(opts.getOrDefault("trials", "20"));
        int joinTrials = Integer.parseInt(opts.getOrDefault("join-trials", "5"));
        Path work = Files.createTempDirectory("shoal-perf-cluster-");
        details.append(CLUSTER_START).append("\n### Cluster figures (").append(date).append(")\n\n");
        if (wants("failover")) {
            failover(work.resolve("failover"), trials);
        }
        if (wants("join")) {
            join(work.resolve("join"), joinTrials);
        }
        if (wants("raft3")) {
            raft3();
        }
        details.append(CLUSTER_END);
        Path results = Path.of(opts.getOrDefault("results", "perf/RESULTS.md"));
        String kept = ResultsTable.readDetails(results);
        int a = kept.indexOf(CLUSTER_START);
        int b = kept.indexOf(CLUSTER_END);
        if (a >= 0 && b > a) {
            kept = (kept.substring(0, a) + kept.substring(b + CLUSTER_END.length())).strip();
        }
        ResultsTable.write(results, rows, ResultsTable.readIntro(results), kept + "\n\n" + details);
        log.info("wrote {} row(s) to {}", rows.size(), results);
    }

    // ---- failover -----------------------------------------------------------------------------------

    private void failover(Path dir, int trials) throws Exception {
        List<Double> shoal = new ArrayList<>();
        try (SwarmCluster cluster = SwarmCluster.start(dir, 3, 0, "process", Duration.ofSeconds(1))) {
            stability(cluster, Duration.ofSeconds(Long.parseLong(opts.getOrDefault("load-seconds", "20"))));
            for (int t = 0; t < trials; t++) {
                int leader = awaitLeader(cluster, t);
                int writer = (leader + 1) % 3;
                cluster.daemon(leader).kill();
                long killed = System.nanoTime();
                long done = firstWrite(cluster, writer, "failover-" + t);
                double seconds = (done - killed) / 1e9;
                shoal.add(seconds);
                log.info("failover trial {}: {} s", t + 1, String.format(Locale.ROOT, "%.3f", seconds));
                cluster.daemon(leader).restart();
                awaitReachable(cluster, writer);
            }
        }
        Map<String, Double> docker = dockerScript("failover", "--trials", Integer.toString(trials));
        double sm = Stats.median(shoal);
        double sx = shoal.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String ref = "Docker Swarm, same run: 3 dockerd managers in network namespaces, SIGKILL of the leader, first `docker network create` through another manager";
        rows.put("failover.median", row("failover.median", sm, ref, docker.get("failover.median")));
        rows.put("failover.max", row("failover.max", sx, ref, docker.get("failover.max")));
        details.append("`failover.*`: ").append(trials).append(" trials. Shoal (s): ").append(format(shoal)).append("\n\n");
    }

    /**
     * No spurious elections under load: {@code duration} of writes through a follower (16 in
     * flight), sampling who leads every 100 ms; a change of leader while no manager failed is one.
     */
    private void stability(SwarmCluster cluster, Duration duration) {
        int leader = awaitLeader(cluster, 0);
        int writer = (leader + 1) % 3;
        java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        java.util.Set<Integer> leaders = new java.util.TreeSet<>();
        long end = System.nanoTime() + duration.toNanos();
        try (ShoalClient c = cluster.daemon(writer).client()) {
            reactor.core.Disposable load = reactor.core.publisher.Flux.range(0, Integer.MAX_VALUE)
                    .takeWhile(i -> System.nanoTime() < end)
                    .flatMap(i -> c.serviceCreate(new ServiceSpec("load-" + i, Map.of(), new TaskSpec(
                                    new ContainerSpec("process", List.of("/bin/sleep"), List.of("1"), null, null, null, null), null, null),
                                    ServiceMode.replicated(0)))
                            .doOnSuccess(r -> writes.incrementAndGet())
                            .onErrorResume(e -> {
                                failed.incrementAndGet();
                                return reactor.core.publisher.Mono.empty();
                            }), 16)
                    .subscribe();
            while (System.nanoTime() < end) {
                cluster.leader(writer).ifPresent(leaders::add);
                sleep(Duration.ofMillis(100));
            }
            load.dispose();
        }
        details.append(String.format(Locale.ROOT, "No spurious elections under load: %d s of writes through a follower, 16 in flight:"
                        + " %d acknowledged (%.0f/s), %d failed; leaders seen: %d (%s).%n%n",
                duration.toSeconds(), writes.get(), writes.get() / (double) duration.toSeconds(), failed.get(), leaders.size(),
                leaders.size() == 1 ? "no election" : "an election happened"));
        log.info("under load: {} writes, {} failed, {} leader(s)", writes.get(), failed.get(), leaders.size());
    }

    private static int awaitLeader(SwarmCluster cluster, int trial) {
        return Await.value(Duration.ofSeconds(60), "a leader before trial " + (trial + 1), () -> {
            for (int i = 0; i < 3; i++) {
                try {
                    var leader = cluster.leader(i);
                    if (leader.isPresent()) {
                        return leader.get();
                    }
                } catch (RuntimeException e) {
                    // that manager is not answering yet: ask the next
                }
            }
            return null;
        });
    }

    /** Writes through {@code writer} every {@link #POLL} until one is acknowledged; bounded by {@link #WRITE_DEADLINE}. */
    private static long firstWrite(SwarmCluster cluster, int writer, String name) {
        ServiceSpec spec = new ServiceSpec(name, Map.of(), new TaskSpec(
                new ContainerSpec("process", List.of("/bin/sleep"), List.of("1"), null, null, null, null), null, null),
                ServiceMode.replicated(0));
        long deadline = System.nanoTime() + WRITE_DEADLINE.toNanos();
        try (ShoalClient c = cluster.daemon(writer).client()) {
            while (System.nanoTime() < deadline) {
                try {
                    c.serviceCreate(spec).block(Duration.ofSeconds(5));
                    return System.nanoTime();
                } catch (RuntimeException e) {
                    sleep(POLL);
                }
            }
        }
        throw new IllegalStateException("no write was acknowledged within " + WRITE_DEADLINE.toSeconds() + " s of the failover");
    }

    private static void awaitReachable(SwarmCluster cluster, int asking) {
        Await.until(Duration.ofSeconds(90), "the restarted manager back: three ready managers and a leader", () -> {
            List<Node> nodes = cluster.nodes(asking);
            return nodes.stream().filter(n -> n.spec().role() == NodeSpec.Role.MANAGER).filter(Node::isReady).count() == 3
                    && cluster.leader(asking).isPresent();
        });
        sleep(Duration.ofSeconds(2)); // the restarted member catches up before the next kill
    }

    // ---- join ------------------------------------------------------------------------------------------

    private void join(Path dir, int trials) throws Exception {
        List<Double> shoal = new ArrayList<>();
        try (SwarmCluster cluster = SwarmCluster.start(dir, 1, 0, 1, "process", Duration.ofSeconds(1))) {
            String token = cluster.swarm(0).joinTokens().worker();
            for (int t = 0; t < trials; t++) {
                long start = System.nanoTime();
                cluster.join(1, token);
                shoal.add((System.nanoTime() - start) / 1e9);
                String id;
                try (ShoalClient w = cluster.daemon(1).client()) {
                    id = w.info().block(SwarmCluster.CALL).nodeId();
                    w.swarmLeave(false).block(SwarmCluster.CALL);
                }
                try (ShoalClient m = cluster.daemon(0).client()) {
                    m.call(Routes.NODE_REMOVE, new NodeRemoveRequest(id, true), Map.class).block(SwarmCluster.CALL);
                }
            }
        }
        Map<String, Double> docker = dockerScript("join", "--trials", Integer.toString(trials));
        String ref = "Docker Swarm, same run: `docker swarm join` of a worker dockerd in its own network namespace";
        rows.put("join.seconds", row("join.seconds", Stats.median(shoal), ref, docker.get("join.seconds")));
        details.append("`join.seconds`: median of ").append(trials).append(" joins of a worker (swarm join to its return). Shoal (s): ")
                .append(format(shoal)).append("\n\n");
    }

    // ---- raft3 ----------------------------------------------------------------------------------------

    private void raft3() throws Exception {
        JmhRuns jmh = new JmhRuns(opts.containsKey("quick"));
        String bench = "dev\\.shoal\\.perf\\.jmh\\.RaftWriteBenchmark\\.";
        Collection<RunResult> three = jmh.run(bench, Map.of(dev.shoal.perf.jmh.RaftWriteBenchmark.MEMBERS, "3"), 64);
        Collection<RunResult> one = jmh.run(bench, Map.of(dev.shoal.perf.jmh.RaftWriteBenchmark.MEMBERS, "1"), 64);
        double v3 = JmhRuns.find(three, "commitOneChange").getPrimaryResult().getScore();
        double v1 = JmhRuns.find(one, "commitOneChange").getPrimaryResult().getScore();
        String ref = "Shoal, same run: one member, no TLS (`raft1`), same load; Docker Swarm has no store-level write path to compare";
        rows.put("raft3.writes.per.s", new ResultsTable.Row("raft3.writes.per.s", String.format(Locale.ROOT, "%.0f writes/s", v3), ref,
                String.format(Locale.ROOT, "%.0f writes/s", v1), String.format(Locale.ROOT, "%.2f", v3 / v1), date, command()));
        details.append(String.format(Locale.ROOT, "`raft3.writes.per.s`: three members over mutual TLS (gRPC), 64 commits in flight: %.0f writes/s;"
                + " one member (Netty, no TLS), same load: %.0f writes/s.%n%n", v3, v1));
    }

    // ---- Docker Swarm ----------------------------------------------------------------------------------

    /** Runs perf/docker-swarm/cluster.sh and reads its {@code RESULT k=v ...} lines; empty when it failed. */
    private Map<String, Double> dockerScript(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "perf/docker-swarm/cluster.sh"));
        cmd.addAll(List.of(args));
        Map<String, Double> out = new HashMap<>();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                log.info("[docker-swarm] {}", line);
                if (line.startsWith("RESULT ")) {
                    for (String kv : line.substring(7).trim().split("\\s+")) {
                        String[] parts = kv.split("=", 2);
                        if (parts.length == 2) {
                            out.put(parts[0], Double.parseDouble(parts[1]));
                        }
                    }
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroy();
        }
        return out;
    }

    // ---- formatting ----------------------------------------------------------------------------------

    private ResultsTable.Row row(String figure, double shoal, String reference, Double docker) {
        String ref = docker == null ? "not measured (the Docker script failed; see the run's log)" : String.format(Locale.ROOT, "%.2f s", docker);
        String ratio = docker == null ? "–" : String.format(Locale.ROOT, "%.2f", shoal / docker);
        return new ResultsTable.Row(figure, String.format(Locale.ROOT, "%.2f s", shoal), reference, ref, ratio, date, command());
    }

    private static String format(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
