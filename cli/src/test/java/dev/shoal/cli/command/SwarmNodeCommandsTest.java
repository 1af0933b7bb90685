package dev.shoal.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.ca.RootCa;
import dev.shoal.cli.ShoalMain;
import dev.shoal.cli.console.Output;
import dev.shoal.cli.daemon.DaemonTestSupport;
import dev.shoal.cli.daemon.ShoalDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarm init|join|join-token|ca|update} and {@code node update|promote|demote|rm|ps}
 * through the CLI against real daemons in this JVM (process executor), checked against what the
 * API then returns. Every test leaves the swarm with force at the end.
 */
class SwarmNodeCommandsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String IMAGE = "shoal-test/busybox";
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dataDir;

    private final List<ShoalDaemon> daemons = new ArrayList<>();

    record Run(int exit, String out, String err) {}

    @AfterEach
    void leaveAndStop() {
        for (ShoalDaemon d : daemons.reversed()) { // workers first, the first manager last
            try {
                if (d.inSwarm()) {
                    try (ShoalClient client = client(d)) {
                        client.swarmLeave(true).block(TIMEOUT);
                    }
                }
            } finally {
                d.close();
            }
        }
    }

    private ShoalDaemon start(String hostname) {
        ShoalDaemon d = ShoalDaemon.start(DaemonTestSupport.config(dataDir.resolve(hostname)).withHostname(hostname));
        daemons.add(d);
        return d;
    }

    private ShoalDaemon initialized(String... flags) {
        ShoalDaemon d = start("manager-node");
        List<String> args = new ArrayList<>(List.of("swarm", "init", "--listen-addr", listenAddr(), "--advertise-addr", "127.0.0.1"));
        args.addAll(List.of(flags));
        shoalOk(d, args.toArray(String[]::new));
        return d;
    }

    /**
     * A free loopback port rather than port 0: the address other nodes dial is the advertise
     * address with the listen port, and 0 is no address to dial.
     */
    private static String listenAddr() {
        return "127.0.0.1:" + DaemonTestSupport.freePort();
    }

    private static Run shoal(ShoalDaemon d, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.of(Output.to(new PrintWriter(out), new PrintWriter(err), false), Map.of())
                .withVerifyWindow(Duration.ofMillis(500))
                .withConvergeTimeout(TIMEOUT);
        String[] all = new String[args.length + 2];
        all[0] = "-H";
        all[1] = d.host();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(ShoalMain.execute(context, all), out.toString(), err.toString());
    }

    private static Run shoalOk(ShoalDaemon d, String... args) {
        Run run = shoal(d, args);
        assertEquals(0, run.exit(), () -> String.join(" ", args) + " failed:\n" + run.err() + run.out());
        return run;
    }

    private static Run shoalFails(ShoalDaemon d, String... args) {
        Run run = shoal(d, args);
        assertEquals(ErrorHandlers.EXIT_FAILURE, run.exit(), () -> String.join(" ", args) + " did not fail:\n" + run.err() + run.out());
        return run;
    }

    private static ShoalClient client(ShoalDaemon d) {
        return ShoalClient.connectNow(d.host(), TIMEOUT);
    }

    private static Swarm swarm(ShoalDaemon d) {
        try (ShoalClient client = client(d)) {
            return client.swarmInspect().block(TIMEOUT);
        }
    }

    private static Node node(ShoalDaemon d, String ref) {
        try (ShoalClient client = client(d)) {
            return client.nodeInspect(ref).block(TIMEOUT);
        }
    }

    private static String joinCommand(String role, String token, String addr) {
        return "To add a " + role + " to this swarm, run the following command:\n\n    shoal swarm join --token " + token + " " + addr + "\n\n";
    }

    // ---- swarm init ---------------------------------------------------------------------------

    @Test
    void initPrintsTheJoinCommandAndTakesTheSettings() {
        ShoalDaemon d = start("manager-node");
        String listen = listenAddr();
        Run init = shoalOk(d, "swarm", "init", "--listen-addr", listen, "--advertise-addr", "127.0.0.1",
                "--cert-expiry", "2h30m", "--dispatcher-heartbeat", "2s", "--task-history-limit", "3");
        Swarm swarm = swarm(d);
        String addr = node(d, "self").managerStatus().addr();
        assertEquals(listen, addr, "the advertise address with the listen port");
        assertEquals("Swarm initialized: current node (" + d.nodeId() + ") is now a manager.\n\n"
                + joinCommand("worker", swarm.joinTokens().worker(), addr)
                + "To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.\n\n", init.out());
        assertEquals(9000 * SECOND, swarm.spec().nodeCertExpiryNanos());
        assertEquals(2 * SECOND, swarm.spec().heartbeatPeriodNanos());
        assertEquals(3, swarm.spec().taskHistoryLimit());
    }

    @Test
    void certExpiryBelowOneHourIsRefusedByTheDaemon() {
        ShoalDaemon d = start("manager-node");
        Run init = shoalFails(d, "swarm", "init", "--listen-addr", "127.0.0.1:0", "--cert-expiry", "30m");
        assertEquals("Error response from daemon: invalid CAConfig.NodeCertExpiry: 1800000000000: must be at least 1h (3600000000000 ns)",
                init.err().strip());
        assertFalse(d.inSwarm(), "a refused init leaves no swarm behind");

        shoalOk(d, "swarm", "init", "--listen-addr", listenAddr(), "--advertise-addr", "127.0.0.1");
        Run update = shoalFails(d, "swarm", "update", "--cert-expiry", "59m59s");
        assertEquals("Error response from daemon: invalid CAConfig.NodeCertExpiry: 3599000000000: must be at least 1h (3600000000000 ns)",
                update.err().strip());
        assertEquals(SwarmSpec.DEFAULT_CERT_EXPIRY_NANOS, swarm(d).spec().nodeCertExpiryNanos(), "nothing written");
    }

    @Test
    void initWithTheOperatorsRootCa() throws Exception {
        RootCa own = RootCa.generate(Clock.systemUTC());
        Path cert = Files.writeString(dataDir.resolve("ca.pem"), own.certificatePem());
        Path key = Files.writeString(dataDir.resolve("ca-key.pem"), own.privateKeyPem());
        ShoalDaemon d = initialized("--ca-cert", cert.toString(), "--ca-key", key.toString());
        assertEquals(own.certificatePem().strip(), shoalOk(d, "swarm", "ca").out().strip());
    }

    @Test
    void initInASwarmIsRefusedByTheDaemon() {
        ShoalDaemon d = initialized();
        Run again = shoalFails(d, "swarm", "init");
        assertTrue(again.err().startsWith("Error response from daemon: This node is already part of a swarm."), again.err());
    }

    // ---- join-token, ca, update -----------------------------------------------------------------

    @Test
    void joinTokensArePrintedAndRotated() {
        ShoalDaemon d = initialized();
        Swarm before = swarm(d);
        String addr = node(d, "self").managerStatus().addr();
        assertEquals(joinCommand("worker", before.joinTokens().worker(), addr), shoalOk(d, "swarm", "join-token", "worker").out());
        assertEquals(joinCommand("manager", before.joinTokens().manager(), addr), shoalOk(d, "swarm", "join-token", "manager").out());
        assertEquals(before.joinTokens().worker() + "\n", shoalOk(d, "swarm", "join-token", "-q", "worker").out());

        Run rotate = shoalOk(d, "swarm", "join-token", "--rotate", "worker");
        Swarm after = swarm(d);
        assertNotEquals(before.joinTokens().worker(), after.joinTokens().worker());
        assertEquals(before.joinTokens().manager(), after.joinTokens().manager(), "only the worker token changes");
        assertEquals("Successfully rotated worker join token.\n\n" + joinCommand("worker", after.joinTokens().worker(), addr), rotate.out());

        String quiet = shoalOk(d, "swarm", "join-token", "--rotate", "--quiet", "manager").out();
        assertEquals(swarm(d).joinTokens().manager() + "\n", quiet);
        assertNotEquals(before.joinTokens().manager(), swarm(d).joinTokens().manager());
    }

    @Test
    void caIsPrintedAndRotated() {
        ShoalDaemon d = initialized();
        Swarm before = swarm(d);
        assertEquals(before.rootCa().caCert().strip(), shoalOk(d, "swarm", "ca").out().strip());
        assertTrue(before.rootCa().caCert().startsWith("-----BEGIN CERTIFICATE-----"));

        Run rotate = shoalOk(d, "swarm", "ca", "--rotate");
        Swarm after = swarm(d);
        assertNotEquals(before.rootCa().caCert(), after.rootCa().caCert());
        assertTrue(rotate.out().startsWith("Rotated the root CA"), rotate.out());
        assertTrue(rotate.out().strip().endsWith(after.rootCa().caCert().strip()), rotate.out());
        assertNotEquals(before.joinTokens().worker(), after.joinTokens().worker(), "the tokens carry the CA digest");
        assertEquals(List.of(before.rootCa().caCert()), after.rootCa().previousCaCerts(), "the old root stays trusted");

        assertEquals("", shoalOk(d, "swarm", "ca", "--rotate", "-q").out());
        assertNotEquals(after.rootCa().caCert(), swarm(d).rootCa().caCert());
    }

    @Test
    void updateChangesOnlyTheSettingsGiven() {
        ShoalDaemon d = initialized("--cert-expiry", "48h");
        assertEquals("Swarm updated.\n", shoalOk(d, "swarm", "update", "--task-history-limit", "7").out());
        SwarmSpec spec = swarm(d).spec();
        assertEquals(7, spec.taskHistoryLimit());
        assertEquals(48 * 3600 * SECOND, spec.nodeCertExpiryNanos());
        assertEquals(SwarmSpec.DEFAULT_HEARTBEAT_NANOS, spec.heartbeatPeriodNanos());

        shoalOk(d, "swarm", "update", "--dispatcher-heartbeat", "10s");
        spec = swarm(d).spec();
        assertEquals(10 * SECOND, spec.heartbeatPeriodNanos());
        assertEquals(7, spec.taskHistoryLimit());

        Run negative = shoalFails(d, "swarm", "update", "--task-history-limit", "-1");
        assertEquals("Error response from daemon: invalid Orchestration.TaskHistoryRetentionLimit: -1: must be >= 0", negative.err().strip());
    }

    // ---- node update, promote, demote, rm -------------------------------------------------------

    @Test
    void nodeUpdateEditsLabelsAndAvailability() {
        ShoalDaemon d = initialized();
        assertEquals("self\n", shoalOk(d, "node", "update", "--label-add", "zone=east", "--label-add", "disk=ssd", "self").out());
        assertEquals(Map.of("zone", "east", "disk", "ssd"), node(d, "self").spec().labels());

        assertEquals("manager-node\n", shoalOk(d, "node", "update", "--label-rm", "zone", "--availability", "drain", "manager-node").out());
        NodeSpec spec = node(d, "self").spec();
        assertEquals(Map.of("disk", "ssd"), spec.labels());
        assertEquals(NodeSpec.Availability.DRAIN, spec.availability());
        assertEquals(NodeSpec.Role.MANAGER, spec.role(), "unchanged");
        String ls = shoalOk(d, "node", "ls").out();
        assertTrue(ls.matches("(?s).* manager-node +[A-Z][a-z]+ +Drain +Leader .*"), ls);

        long version = node(d, "self").version().index();
        Run missing = shoalFails(d, "node", "update", "--label-rm", "rack", "self");
        assertEquals("key rack doesn't exist in node's labels", missing.err().strip());
        assertEquals(version, node(d, "self").version().index(), "nothing written");

        Run unknown = shoalFails(d, "node", "update", "--availability", "active", "no-such-node");
        assertTrue(unknown.err().startsWith("Error response from daemon: "), unknown.err());
        assertTrue(unknown.err().contains("no-such-node"), unknown.err());
    }

    @Test
    void theOnlyManagerIsNotDemotedNorRemoved() {
        ShoalDaemon d = initialized();
        String id = d.nodeId().value();
        assertEquals("Node " + id + " is already a manager.\n", shoalOk(d, "node", "promote", "self").out());

        Run demote = shoalFails(d, "node", "demote", "self");
        assertEquals("Error response from daemon: cannot demote node " + id
                + ": it is the last manager of the swarm; promote another node first", demote.err().strip());
        Run role = shoalFails(d, "node", "update", "--role", "worker", "self");
        assertEquals(demote.err(), role.err());

        Run rm = shoalFails(d, "node", "rm", "--force", id);
        assertTrue(rm.err().startsWith("Error response from daemon: node " + id + " is a manager of the swarm"), rm.err());
        assertEquals(NodeSpec.Role.MANAGER, node(d, "self").spec().role());
    }

    // ---- node ps ------------------------------------------------------------------------------

    @Test
    void nodePsListsTheTasksOfANode() {
        ShoalDaemon d = initialized();
        shoalOk(d, "service", "create", "--name", "web", "--replicas", "2", IMAGE, "sleep", "300");
        Set<String> ids;
        try (ShoalClient client = client(d)) {
            ids = client.taskList(TaskFilter.ALL).collectList().block(TIMEOUT).stream()
                    .map(Task::id).map(Object::toString).collect(Collectors.toSet());
        }
        assertEquals(2, ids.size());

        List<String> table = shoalOk(d, "node", "ps").out().strip().lines().toList();
        assertEquals(3, table.size(), String.join("\n", table));
        assertTrue(table.get(0).startsWith("ID             NAME      IMAGE                NODE           DESIRED STATE   CURRENT STATE"),
                table.get(0));
        assertTrue(table.get(1).contains(" web.1     shoal-test/busybox   manager-node   Running         Running "), table.get(1));
        assertTrue(table.get(2).contains(" web.2 "), table.get(2));

        assertEquals(ids, Set.copyOf(shoalOk(d, "node", "ps", "-q", "manager-node", "self").out().strip().lines().toList()),
                "a node named twice lists its tasks once");
        List<String> json = shoalOk(d, "node", "ps", "--format", "json", "-f", "name=web.2").out().strip().lines().toList();
        assertEquals(1, json.size(), String.join("\n", json));
        assertTrue(json.getFirst().contains("\"Name\":\"web.2\""), json.getFirst());
        assertEquals("", shoalOk(d, "node", "ps", "-q", "-f", "desired-state=shutdown").out());

        Run unknown = shoalFails(d, "node", "ps", "no-such-node");
        assertTrue(unknown.err().startsWith("Error response from daemon: "), unknown.err());
    }

    // ---- swarm join with a second daemon ----------------------------------------------------------

    @Test
    void aWorkerJoinsLeavesAndIsRemoved() {
        ShoalDaemon manager = initialized();
        ShoalDaemon worker = start("worker-node");
        String addr = node(manager, "self").managerStatus().addr();
        String token = shoalOk(manager, "swarm", "join-token", "-q", "worker").out().strip();

        Run bad = shoalFails(worker, "swarm", "join", "--token", token.substring(0, token.length() - 4) + "xxxx", addr);
        assertTrue(bad.err().startsWith("Error response from daemon: "), bad.err());
        assertFalse(worker.inSwarm());

        assertEquals("This node joined a swarm as a worker.\n", shoalOk(worker, "swarm", "join", "--token", token, addr).out());
        assertTrue(worker.inSwarm());
        String ls = shoalOk(manager, "node", "ls").out();
        assertTrue(ls.contains("worker-node"), ls);
        Run fromWorker = shoalFails(worker, "swarm", "join-token", "worker");
        assertTrue(fromWorker.err().startsWith("Error response from daemon: "), fromWorker.err());

        Run notDown = shoalFails(manager, "node", "rm", "worker-node");
        assertTrue(notDown.err().contains("is not down and can't be removed; use --force to remove it anyway"), notDown.err());

        assertEquals("Node left the swarm.\n", shoalOk(worker, "swarm", "leave").out());
        assertEquals("worker-node\n", shoalOk(manager, "node", "rm", "--force", "worker-node").out());
        assertFalse(shoalOk(manager, "node", "ls").out().contains("worker-node"));
    }
}
