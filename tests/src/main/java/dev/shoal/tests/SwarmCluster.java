package dev.shoal.tests;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.SwarmJoinRequest;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.SwarmSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A swarm of real {@code shoal daemon} processes, one per host of a {@link NetworkHosts} LAN:
 * host 1 runs {@code swarm init}, the next {@code managers - 1} hosts join with the manager token
 * and the rest with the worker token, each dialling host 1's address on 2377. The test JVM reaches
 * every daemon through its unix control socket. Closing stops the daemons (by the PIDs this
 * object started) and then deletes the LAN.
 */
public final class SwarmCluster implements AutoCloseable {
    public static final Duration CALL = Duration.ofSeconds(30);
    /** A join restarts the executor, starts a Raft member and waits for it to catch up: slower on a busy machine. */
    public static final Duration JOIN = Duration.ofSeconds(90);

    private final NetworkHosts lan;
    private final List<DaemonProcess> daemons;
    private String executor = "process";
    private final List<String> nodeIds = new ArrayList<>();

    private SwarmCluster(NetworkHosts lan, List<DaemonProcess> daemons) {
        this.lan = lan;
        this.daemons = daemons;
    }

    /**
     * Starts {@code managers + workers} daemons and forms the swarm.
     *
     * @param executor  {@code docker} or {@code process}
     * @param heartbeat the dispatcher's heartbeat period (Docker's default is 5 s)
     */
    public static SwarmCluster start(Path dir, int managers, int workers, String executor, Duration heartbeat) {
        return start(dir, managers, workers, 0, executor, heartbeat);
    }

    /**
     * As {@link #start(Path, int, int, String, Duration)}, plus {@code spares} daemons on hosts of
     * their own that run but have not joined (the last indexes), for tests that join them later.
     */
    public static SwarmCluster start(Path dir, int managers, int workers, int spares, String executor, Duration heartbeat) {
        return start(dir, managers, workers, spares, executor, heartbeat, i -> List.of());
    }

    /**
     * As {@link #start(Path, int, int, int, String, Duration)}, with {@code args.apply(i)} passed to
     * daemon {@code i}'s {@code shoal daemon} command, e.g. {@code --label zone=a}.
     */
    public static SwarmCluster start(Path dir, int managers, int workers, int spares, String executor, Duration heartbeat,
                                     IntFunction<List<String>> args) {
        NetworkHosts lan = NetworkHosts.create(managers + workers + spares);
        List<DaemonProcess> daemons = new ArrayList<>();
        SwarmCluster cluster = new SwarmCluster(lan, daemons);
        cluster.executor = executor;
        try {
            for (int i = 0; i < managers + workers + spares; i++) {
                Path nodeDir = dir.resolve("node" + (i + 1));
                try {
                    Files.createDirectories(nodeDir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                DaemonProcess d = DaemonProcess.create(nodeDir, executor, lan.host(i)).withArgs(args.apply(i).toArray(String[]::new));
                daemons.add(d);
            }
            // start in parallel: each JVM takes a few seconds
            daemons.parallelStream().forEach(DaemonProcess::start);
            SwarmSpec spec = new SwarmSpec(null, null, new SwarmSpec.Dispatcher(heartbeat.toNanos()));
            try (ShoalClient c = daemons.getFirst().client()) {
                c.swarmInit(new SwarmInitRequest(null, lan.host(0).address(), spec)).block(CALL);
            }
            Swarm swarm = cluster.swarm(0);
            for (int i = 1; i < managers + workers; i++) {
                String token = i < managers ? swarm.joinTokens().manager() : swarm.joinTokens().worker();
                cluster.join(i, token);
            }
            for (int i = 0; i < managers + workers; i++) {
                try (ShoalClient c = daemons.get(i).client()) {
                    cluster.nodeIds.add(c.info().block(CALL).nodeId());
                }
            }
            int size = managers + workers;
            Await.until(Duration.ofSeconds(60), "every node of the swarm ready", () -> {
                List<Node> nodes = cluster.nodes(0);
                return nodes.size() == size && nodes.stream().allMatch(Node::isReady);
            }, () -> cluster.nodes(0));
            return cluster;
        } catch (RuntimeException | Error e) {
            String logs = cluster.logs();
            cluster.close();
            throw new AssertionError("the swarm did not form: " + e.getMessage() + "\n" + logs, e);
        }
    }

    /** Joins host {@code i} with {@code token} through host 1's manager address; the daemon's answer, or its refusal. */
    public void join(int i, String token) {
        try (ShoalClient c = daemons.get(i).client()) {
            c.call(Routes.SWARM_JOIN, new SwarmJoinRequest(List.of(lan.host(0).address() + ":2377"), token, null, lan.host(i).address()), Map.class)
                    .block(JOIN);
        }
    }

    public Swarm swarm(int i) {
        try (ShoalClient c = daemons.get(i).client()) {
            return c.swarmInspect().block(CALL);
        }
    }

    public List<Node> nodes(int i) {
        try (ShoalClient c = daemons.get(i).client()) {
            return c.nodeList().collectList().block(CALL);
        }
    }

    /** The index of the daemon whose node leads, as manager {@code asking} sees it. */
    public Optional<Integer> leader(int asking) {
        for (Node n : nodes(asking)) {
            if (n.managerStatus() != null && n.managerStatus().leader()) {
                return Optional.of(nodeIds.indexOf(n.id().value()));
            }
        }
        return Optional.empty();
    }

    public DaemonProcess daemon(int i) {
        return daemons.get(i);
    }

    public String nodeId(int i) {
        return nodeIds.get(i);
    }

    public int size() {
        return daemons.size();
    }

    public NetworkHosts lan() {
        return lan;
    }

    /** The daemons' log tails, for a failure message. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < daemons.size(); i++) {
            b.append("\n==== node ").append(i + 1).append(" ====\n").append(daemons.get(i).tail());
        }
        return b.toString();
    }

    @Override
    public void close() {
        String keep = System.getenv("SHOAL_KEEP_LOGS");
        if (keep != null && !keep.isBlank()) {
            Path to = Path.of(keep, lan.prefix());
            try {
                Files.createDirectories(to);
                for (int i = 0; i < daemons.size(); i++) {
                    if (Files.exists(daemons.get(i).log())) {
                        Files.copy(daemons.get(i).log(), to.resolve("node" + (i + 1) + ".log"));
                    }
                }
            } catch (IOException e) {
                // the logs are a debugging aid only
            }
        }
        // every node leaves with --force, which stops and removes its tasks; a node that was killed
        // is started again first, so that nothing it ran outlives the test
        for (DaemonProcess d : daemons) {
            try {
                if (!d.isAlive()) {
                    d.restart();
                }
                try (ShoalClient c = d.client()) {
                    c.swarmLeave(true).block(Duration.ofSeconds(60));
                }
            } catch (RuntimeException | AssertionError e) {
                // not in a swarm (a spare), or it cannot start: the sweep below still runs
            }
        }
        for (DaemonProcess d : daemons) {
            try {
                d.close();
            } catch (RuntimeException | AssertionError e) {
                // keep stopping the others; the LAN goes last
            }
        }
        if ("docker".equals(executor)) {
            nodeIds.forEach(DockerCli::removeAllOfNode);
        }
        lan.close();
    }
}
