package dev.shoal.perf;

import dev.shoal.perf.systems.DockerEngine;
import dev.shoal.perf.systems.DockerSwarmTarget;
import dev.shoal.perf.systems.ShoalNode;
import dev.shoal.perf.systems.ShoalTarget;
import dev.shoal.perf.systems.SwarmTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures Shoal and Docker Swarm mode side by side, in one run, on the local dockerd, and writes
 * perf/RESULTS.md. See perf/README.md for what each figure measures.
 *
 * <p>Usage: {@code SwarmComparison [--what converge,heal,api,raft] [--replicas 1,10,50] [--repeats 3]
 * [--poll-ms 20] [--results perf/RESULTS.md] [--command "bash perf/run.sh"] [--quick]}
 *
 * <p>What it starts it stops: the Shoal daemon it spawned (by its process handle), the services it
 * created, the Docker swarm if it was the one to initialise it ({@code docker swarm leave --force}),
 * its temporary directory. It never pulls an image and talks only to local unix sockets and
 * 127.0.0.1.
 */
public final class SwarmComparison {
    private static final Logger log = LoggerFactory.getLogger(SwarmComparison.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    /** Command-line options. */
    record Options(Set<String> what, List<Integer> replicas, int repeats, Duration poll, Duration timeout, Duration settle,
                   String image, Path results, String command, boolean quick, int raftThreads, String dockerSocket,
                   boolean warmUp, Path daemonLog, boolean freshDaemon) {

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            Set<String> flags = new LinkedHashSet<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument: " + a);
                }
                String key = a.substring(2);
                if (key.equals("quick") || key.equals("no-warm-up") || key.equals("kept-daemon")) {
                    flags.add(key);
                } else if (i + 1 < args.length) {
                    m.put(key, args[++i]);
                } else {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
            }
            Set<String> known = Set.of("what", "replicas", "repeats", "poll-ms", "timeout-s", "settle-ms", "image", "results",
                    "command", "raft-threads", "docker-socket", "daemon-log");
            for (String k : m.keySet()) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k + " (known: " + known + ", --quick, --no-warm-up, --kept-daemon)");
                }
            }
            Set<String> what = new LinkedHashSet<>(Arrays.asList(m.getOrDefault("what", "converge,heal,update,api,raft").split(",")));
            for (String w : what) {
                if (!Set.of("converge", "heal", "update", "api", "raft").contains(w)) {
                    throw new IllegalArgumentException("invalid --what: " + w + ": must be converge, heal, update, api or raft");
                }
            }
            return new Options(
                    what,
                    Arrays.stream(m.getOrDefault("replicas", "1,10,50").split(",")).map(String::trim).map(Integer::valueOf).toList(),
                    Integer.parseInt(m.getOrDefault("repeats", "3")),
                    Duration.ofMillis(Long.parseLong(m.getOrDefault("poll-ms", "20"))),
                    Duration.ofSeconds(Long.parseLong(m.getOrDefault("timeout-s", "180"))),
                    Duration.ofMillis(Long.parseLong(m.getOrDefault("settle-ms", "1000"))),
                    m.getOrDefault("image", "shoal-test/busybox:latest"),
                    Path.of(m.getOrDefault("results", "perf/RESULTS.md")),
                    m.getOrDefault("command", "bash perf/run.sh"),
                    flags.contains("quick"),
                    Integer.parseInt(m.getOrDefault("raft-threads", "64")),
                    m.getOrDefault("docker-socket", DockerEngine.DEFAULT_SOCKET),
                    !flags.contains("no-warm-up"),
                    Path.of(m.getOrDefault("daemon-log", "perf/target/shoal-daemon.log")),
                    !flags.contains("kept-daemon"));
        }
    }

    private final Options o;
    private final Deque<Runnable> cleanup = new ArrayDeque<>();
    private final Map<String, ResultsTable.Row> rows = new LinkedHashMap<>();
    private final StringBuilder details = new StringBuilder();
    private final String date = ZonedDateTime.now(ZoneOffset.UTC).format(DATE);
    private String dockerVersion = "?";
    private ShoalNode shoalNode;

    private SwarmComparison(Options o) {
        this.o = o;
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        SwarmComparison c = new SwarmComparison(o);
        Thread hook = new Thread(c::cleanUp, "perf-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int rc = 0;
        try {
            c.run();
        } catch (Exception e) {
            log.error("the comparison failed: {}", e.getMessage(), e);
            rc = 1;
        } finally {
            c.cleanUp();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        System.exit(rc);
    }

    private synchronized void cleanUp() {
        while (!cleanup.isEmpty()) {
            Runnable r = cleanup.pop();
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("clean-up step failed: {}", e.getMessage());
            }
        }
    }

    private void onCleanup(String what, Runnable r) {
        cleanup.push(() -> {
            System.out.println("[perf] clean-up: " + what);
            r.run();
        });
    }

    private void run() throws Exception {
        DockerEngine engine = new DockerEngine(o.dockerSocket());
        onCleanup("close the Docker client", engine::close);
        dockerVersion = engine.serverVersion();
        String imageId = engine.localImageId(o.image());
        Path work = Files.createTempDirectory("shoal-perf-");
        onCleanup("delete " + work, () -> deleteTree(work));
        System.out.printf("[perf] Docker %s, image %s = %s, work dir %s%n", dockerVersion, o.image(), imageId, work);

        boolean needServices = o.what().contains("converge") || o.what().contains("heal") || o.what().contains("update") || o.what().contains("api")
                || o.what().contains("raft");

        // Docker Swarm mode on the local engine; initialised here only when the engine is in no swarm
        if (needServices) {
            if (engine.inSwarm()) {
                System.out.println("[perf] the Docker engine is already in a swarm: using it, and leaving it as it is");
            } else {
                DockerEngine.cli("swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:2377");
                onCleanup("docker swarm leave --force (this run initialised the swarm)", () -> DockerEngine.cli("swarm", "leave", "--force"));
                System.out.println("[perf] docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377");
            }
        }
        SwarmTarget docker = new DockerSwarmTarget(engine, imageId);

        ShoalNode node = null;
        if (needServices) {
            node = ShoalNode.startAndInit(work.resolve("shoal"), freePort(), freePort(), o.image());
            ShoalNode n = node;
            String nodeId = n.nodeId();
            // after the daemon has stopped: any container its node left behind
            cleanup.push(() -> {
                List<String> left = engine.containers("com.docker.swarm.node.id", nodeId, null);
                if (!left.isEmpty()) {
                    System.out.println("[perf] clean-up: removing " + left.size() + " containers of Shoal node " + nodeId);
                    left.forEach(engine::forceRemove);
                }
            });
            onCleanup("shoal swarm leave --force, stop the Shoal daemon (its log kept in " + o.daemonLog() + ")",
                    () -> n.close(o.daemonLog()));
            System.out.printf("[perf] shoal daemon pid %d on %s, swarm init: node %s (log %s)%n", n.pid(), n.host(), nodeId, n.log());
            shoalNode = n;
        }
        details.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Linux ")
                .append(System.getProperty("os.version")).append(", Docker ").append(dockerVersion).append(", JDK ")
                .append(Runtime.version()).append(". Poll period ").append(o.poll().toMillis()).append(" ms for both systems; ")
                .append(o.repeats()).append(" repetitions per figure, median reported").append(o.quick() ? " (quick run)" : "")
                .append(o.freshDaemon()
                        ? "; before every Shoal measurement and each JMH phase the Shoal daemon was restarted (same data dir; it"
                        + " rejoins) and warmed up with a 10-replica service left running meanwhile, so that no work left by earlier"
                        + " measurements ran in it (see README: forgotten tasks)"
                        : "; `--kept-daemon`: one Shoal daemon for the whole run, warmed up once")
                .append(". Load average at the start: ").append(loadAverage()).append(".\n\n");

        ServiceMeasurements m = new ServiceMeasurements(engine, o.poll(), o.timeout(), o.settle());
        if ((o.what().contains("converge") || o.what().contains("heal")) && o.warmUp()) {
            System.out.println("[perf] warm-up (not recorded): one 10-replica service on each");
            if (!o.freshDaemon()) {
                m.converge(shoalNode.target(), "perf-warm-shoal", 10);
            }
            m.converge(docker, "perf-warm-docker", 10);
        }
        if (o.what().contains("converge")) {
            for (int n : o.replicas()) {
                measureServices(m, docker, "converge.replicas." + n, n, false);
            }
        }
        if (o.what().contains("heal")) {
            measureServices(m, docker, "heal.kill5of10", 10, true);
        }
        if (o.what().contains("update")) {
            measureUpdate(m, docker, "update.50.parallel5.seconds", 50, 5);
        }
        JmhRuns jmh = new JmhRuns(o.quick());
        if (o.what().contains("api")) {
            if (o.freshDaemon()) {
                freshShoal(m);
            }
            apiLatency(jmh, m, shoalNode.target(), docker);
        }
        if (o.what().contains("raft")) {
            if (o.freshDaemon()) {
                freshShoal(m);
            }
            raftWrites(jmh, m, shoalNode.target(), docker, engine);
        }

        details.append("Load average at the end: ").append(loadAverage())
                .append(" (other work on the machine during the run shows here; both systems were measured under it, alternately).\n");
        String written = details.toString();
        if (!o.what().containsAll(Set.of("converge", "heal", "update", "api", "raft"))) {
            // a partial run: the details of the figures it did not measure stay
            written = ResultsTable.readDetails(o.results()).strip() + "\n\n### Run of " + date + " (" + String.join(", ", o.what()) + ")\n\n" + written;
        }
        ResultsTable.write(o.results(), rows, intro(), written);
        System.out.println();
        System.out.println(String.join("\n", Files.readAllLines(o.results()).stream()
                .filter(l -> l.startsWith("| ")).toList()));
        System.out.println("[perf] wrote " + o.results());
    }

    private String warmService;
    private int warmCount;

    /**
     * Removes the running warm-up service (its forgotten tasks end with the old process), restarts
     * the daemon, and warms the new one up with a 10-replica service that stays running.
     */
    private void freshShoal(ServiceMeasurements m) throws IOException {
        if (warmService != null) {
            noteIfAny(m.removeAndWait(shoalNode.target(), warmService, "perf-warm-shoal-" + warmCount));
            warmService = null;
        }
        shoalNode.restart();
        warmCount++;
        warmService = m.createRunning(shoalNode.target(), "perf-warm-shoal-" + warmCount, 10);
    }

    private String intro() {
        return "Shoal against Docker Swarm mode (Docker " + dockerVersion + ") on the same machine, the same dockerd and the"
                + " same image, in the same run. Written by `perf/run.sh`; what each figure measures is in"
                + " [README.md](README.md). Every row is a figure measured in the run of its date.";
    }

    // ---- converge and heal --------------------------------------------------------------------

    private void measureServices(ServiceMeasurements m, SwarmTarget docker, String figure, int replicas, boolean heal)
            throws IOException {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, List<List<Timeline.Stage>>> polled = new LinkedHashMap<>();
        Map<String, List<List<Timeline.Stage>>> events = new LinkedHashMap<>();
        for (int r = 0; r < o.repeats(); r++) {
            // alternate who goes first
            List<String> order = r % 2 == 0 ? List.of("shoal", "docker") : List.of("docker", "shoal");
            for (String who : order) {
                SwarmTarget t = docker;
                if (who.equals("shoal")) {
                    if (o.freshDaemon()) {
                        freshShoal(m);
                    }
                    t = shoalNode.target();
                }
                String tag = t instanceof ShoalTarget ? "shoal" : "docker";
                String name = "perf-" + tag + "-" + (heal ? "heal" : "c" + replicas) + "-" + r;
                ServiceMeasurements.Run run = heal ? m.heal(t, name, replicas, 5) : m.converge(t, name, replicas);
                System.out.printf(Locale.ROOT, "[perf] %-22s %-13s run %d: %.3f s%n", figure, t.name(), r + 1, run.seconds());
                seconds.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(run.seconds());
                polled.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(run.polled());
                if (!run.events().isEmpty()) {
                    events.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(run.events());
                }
            }
        }
        double s = Stats.median(seconds.get("Shoal"));
        double d = Stats.median(seconds.get("Docker Swarm"));
        String reference = heal
                ? "Docker Swarm, same run: 10 replicas, `--restart-delay 0s`, 5 containers `docker kill`ed at once"
                : "Docker Swarm, same run: `docker service create --detach --replicas " + replicas + "`";
        rows.put(figure, new ResultsTable.Row(figure, Stats.seconds(s), reference, Stats.seconds(d), ratio(s, d), date, o.command()));

        details.append("### `").append(figure).append("`\n\n");
        seconds.forEach((name, list) -> details.append("- ").append(name).append(": ")
                .append(String.join(", ", list.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList()))
                .append(" s (median ").append(Stats.seconds(Stats.median(list))).append(")\n"));
        details.append("\nWhen the tasks reached each state, ms after the clock started (median over the repetitions of the"
                + " per-run median task and last task)")
                .append(heal ? "; `killed:` rows are the killed tasks, the others their replacements" : "")
                .append(":\n\n```text\n");
        polled.forEach((name, runs) -> details.append(name).append(", from the task states' own timestamps:\n")
                .append(Timeline.format(Timeline.medianOf(runs))));
        events.forEach((name, runs) -> details.append(name).append(", from the commit times on the events stream:\n")
                .append(Timeline.format(Timeline.medianOf(runs))));
        details.append("```\n\n");
        System.out.print(details.substring(details.lastIndexOf("### `" + figure)));
    }

    // ---- rolling update -----------------------------------------------------------------------

    private void measureUpdate(ServiceMeasurements m, SwarmTarget docker, String figure, int replicas, int parallelism) throws IOException {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int r = 0; r < o.repeats(); r++) {
            List<String> order = r % 2 == 0 ? List.of("shoal", "docker") : List.of("docker", "shoal");
            for (String who : order) {
                SwarmTarget t = docker;
                if (who.equals("shoal")) {
                    if (o.freshDaemon()) {
                        freshShoal(m);
                    }
                    t = shoalNode.target();
                }
                String name = "perf-" + who + "-update-" + r;
                ServiceMeasurements.Run run = m.update(t, name, replicas, parallelism);
                System.out.printf(Locale.ROOT, "[perf] %-28s %-13s run %d: %.3f s%n", figure, t.name(), r + 1, run.seconds());
                seconds.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(run.seconds());
            }
        }
        double s = Stats.median(seconds.get("Shoal"));
        double d = Stats.median(seconds.get("Docker Swarm"));
        rows.put(figure, new ResultsTable.Row(figure, Stats.seconds(s), "Docker Swarm, same run: " + replicas + " replicas, `docker service update"
                + " --update-parallelism " + parallelism + " --env-add ...`, until every task runs the new spec", Stats.seconds(d), ratio(s, d), date, o.command()));
        details.append("### `").append(figure).append("`\n\n");
        seconds.forEach((name, list) -> details.append("- ").append(name).append(": ")
                .append(String.join(", ", list.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList()))
                .append(" s (median ").append(Stats.seconds(Stats.median(list))).append(")\n"));
        details.append("\n");
    }

    // ---- API latency --------------------------------------------------------------------------

    private void apiLatency(JmhRuns jmh, ServiceMeasurements m, ShoalTarget shoal, SwarmTarget docker)
            throws Exception {
        String shoalId = shoal.createService("perf-api-shoal", 1, false);
        String dockerId = docker.createService("perf-api-docker", 1, false);
        try {
            Map<String, String> props = Map.of(
                    "perf.shoal.host", shoalNode.host(),
                    "perf.shoal.service", shoalId,
                    "perf.docker.socket", o.dockerSocket(),
                    "perf.docker.service", dockerId);
            Collection<RunResult> results = jmh.run("dev\\.shoal\\.perf\\.jmh\\.ApiLatencyBenchmark\\.", props, 0);
            RunResult s = JmhRuns.find(results, "shoalServiceInspect");
            RunResult d = JmhRuns.find(results, "dockerServiceInspect");
            String reference = "Docker Engine API `GET /services/{id}` on /var/run/docker.sock, same run (JMH, same settings)";
            for (double p : new double[] {50, 99}) {
                double sv = s.getPrimaryResult().getStatistics().getPercentile(p);
                double dv = d.getPrimaryResult().getStatistics().getPercentile(p);
                String figure = "api.latency.p" + (int) p;
                rows.put(figure, new ResultsTable.Row(figure, micros(sv), reference, micros(dv), ratio(sv, dv), date, o.command()));
            }
            details.append("### `api.latency.*`\n\nJMH SampleTime, one request at a time, response decoded: Shoal `service.inspect`")
                    .append(" through ShoalClient (RSocket on the daemon's unix socket) vs Docker `GET /v1.41/services/{id}` (HTTP/1.1")
                    .append(" keep-alive on /var/run/docker.sock).\n\n```text\n");
            for (RunResult r : List.of(s, d)) {
                var st = r.getPrimaryResult().getStatistics();
                details.append(String.format(Locale.ROOT, "%-22s n=%d p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f us%n",
                        r.getParams().getBenchmark().replaceFirst(".*\\.", ""), st.getN(), st.getPercentile(50), st.getPercentile(90),
                        st.getPercentile(99), st.getPercentile(99.9), st.getMax()));
            }
            details.append("```\n\n");
        } finally {
            noteIfAny(m.removeAndWait(shoal, shoalId, "perf-api-shoal"));
            noteIfAny(m.removeAndWait(docker, dockerId, "perf-api-docker"));
        }
    }

    // ---- Raft writes --------------------------------------------------------------------------

    private void raftWrites(JmhRuns jmh, ServiceMeasurements m, ShoalTarget shoal, SwarmTarget docker, DockerEngine engine)
            throws Exception {
        int n = o.raftThreads();
        List<String> dockerIds = new ArrayList<>();
        List<String> shoalIds = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                dockerIds.add(docker.createService("perf-raft-docker-" + i, 0, false));
                shoalIds.add(shoal.createService("perf-raft-shoal-" + i, 0, false));
            }
            Collection<RunResult> store = jmh.run("dev\\.shoal\\.perf\\.jmh\\.RaftWriteBenchmark\\.", Map.of(), n);
            Collection<RunResult> api = jmh.run("dev\\.shoal\\.perf\\.jmh\\.ServiceUpdateBenchmark\\.", Map.of(
                    "perf.docker.socket", o.dockerSocket(),
                    "perf.docker.services", String.join(",", dockerIds),
                    "perf.shoal.host", shoalNode.host(),
                    "perf.shoal.services", String.join(",", shoalIds)), n);
            RunResult s = JmhRuns.find(store, "commitOneChange");
            RunResult d = JmhRuns.find(api, "dockerServiceUpdate");
            RunResult sa = JmhRuns.find(api, "shoalServiceUpdate");
            double sv = s.getPrimaryResult().getScore();
            double dv = d.getPrimaryResult().getScore();
            String reference = "Docker Swarm, same run: service label updates through the Engine API (inspect + update, one"
                    + " Raft entry each), " + n + " services updated in parallel";
            rows.put("raft1.writes.per.s", new ResultsTable.Row("raft1.writes.per.s", perSecond(sv, "writes/s"), reference,
                    perSecond(dv, "updates/s"), ratio(sv, dv), date, o.command()));
            details.append("### `raft1.writes.per.s`\n\n```text\n")
                    .append(String.format(Locale.ROOT, "Shoal RaftClusterStore, one member, %d commits in flight:     %.0f ± %.0f writes/s%n",
                            n, sv, s.getPrimaryResult().getScoreError()))
                    .append(String.format(Locale.ROOT, "Docker Swarm via Engine API, inspect+update, %d in parallel:  %.0f ± %.0f updates/s%n",
                            n, dv, d.getPrimaryResult().getScoreError()))
                    .append(String.format(Locale.ROOT, "Shoal via its API, inspect+update, %d in parallel (like for like): %.0f ± %.0f updates/s%n",
                            n, sa.getPrimaryResult().getScore(), sa.getPrimaryResult().getScoreError()))
                    .append("```\n\n");
        } finally {
            for (int i = 0; i < dockerIds.size(); i++) {
                try {
                    docker.removeService(dockerIds.get(i));
                } catch (RuntimeException e) {
                    noteIfAny("remove of perf-raft-docker-" + i + " failed: " + e.getMessage());
                }
            }
            for (int i = 0; i < shoalIds.size(); i++) {
                try {
                    shoal.removeService(shoalIds.get(i));
                } catch (RuntimeException e) {
                    noteIfAny("remove of perf-raft-shoal-" + i + " failed: " + e.getMessage());
                }
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void noteIfAny(String note) {
        if (note != null && !note.isEmpty()) {
            System.out.println("[perf] note: " + note);
            details.append("Note: ").append(note).append("\n\n");
        }
    }

    private static String ratio(double shoal, double reference) {
        return Double.isNaN(shoal) || Double.isNaN(reference) || reference == 0 ? "n/a"
                : String.format(Locale.ROOT, "%.2f", shoal / reference);
    }

    private static String micros(double us) {
        return us >= 1000 ? String.format(Locale.ROOT, "%.2f ms", us / 1000) : String.format(Locale.ROOT, "%.0f µs", us);
    }

    private static String perSecond(double v, String unit) {
        return String.format(Locale.ROOT, "%.0f %s", v, unit);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
