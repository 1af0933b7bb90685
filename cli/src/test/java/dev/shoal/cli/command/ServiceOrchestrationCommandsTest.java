package dev.shoal.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.cli.ShoalMain;
import dev.shoal.cli.console.Output;
import dev.shoal.cli.daemon.DaemonTestSupport;
import dev.shoal.cli.daemon.ShoalDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestration flags, {@code service rollback} and {@code service inspect --pretty} through
 * the CLI against a real daemon in this JVM (process executor), checked against what the API then
 * returns. Writes use {@code --detach}: following a rollout is the updater's part and is tested
 * over scripted snapshots in {@code ConvergenceMonitorTest}.
 */
class ServiceOrchestrationCommandsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String IMAGE = "shoal-test/busybox";

    @TempDir
    Path dataDir;

    private ShoalDaemon daemon;

    record Run(int exit, String out, String err) {}

    @AfterEach
    void leaveAndStop() {
        if (daemon == null) {
            return;
        }
        if (daemon.inSwarm()) {
            try (ShoalClient client = client()) {
                client.swarmLeave(true).block(TIMEOUT);
            }
        }
        daemon.close();
    }

    private Run shoal(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.of(Output.to(new PrintWriter(out), new PrintWriter(err), false), Map.of())
                .withVerifyWindow(Duration.ofMillis(500))
                .withConvergeTimeout(TIMEOUT);
        String[] all = new String[args.length + 2];
        all[0] = "-H";
        all[1] = daemon.host();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(ShoalMain.execute(context, all), out.toString(), err.toString());
    }

    private Run shoalOk(String... args) {
        Run run = shoal(args);
        assertEquals(0, run.exit(), () -> String.join(" ", args) + " failed:\n" + run.err() + run.out());
        return run;
    }

    private ShoalClient client() {
        return ShoalClient.connectNow(daemon.host(), TIMEOUT);
    }

    private Service inspect(String ref) {
        try (ShoalClient client = client()) {
            return client.serviceInspect(ref).block(TIMEOUT);
        }
    }

    @Test
    void flagsReachTheDaemonAndRollbackReturnsToThePreviousSpec() {
        daemon = ShoalDaemon.start(DaemonTestSupport.config(dataDir));
        shoalOk("swarm", "init", "--listen-addr", "127.0.0.1:0", "--advertise-addr", "127.0.0.1");

        shoalOk("service", "create", "--detach", "--name", "web", "--replicas", "2", "--constraint", "node.role==manager",
                "--replicas-max-per-node", "2", "--limit-memory", "64m", "--update-parallelism", "2", "--update-failure-action", "rollback",
                IMAGE, "sleep", "300");
        Service created = inspect("web");
        assertEquals(new Placement(List.of("node.role==manager"), null, 2L, null), created.spec().taskTemplate().placement());
        assertEquals(64L << 20, created.spec().taskTemplate().limits().memoryBytes());
        assertEquals(UpdateConfig.FailureAction.ROLLBACK, created.spec().updateConfig().failureAction());

        Run noPrevious = shoal("service", "rollback", "--detach", "web");
        assertEquals(ErrorHandlers.EXIT_FAILURE, noPrevious.exit());
        assertTrue(noPrevious.err().contains("Error response from daemon: service web has no previous spec to roll back to"), noPrevious.err());

        Run modeChange = shoal("service", "update", "--detach", "--mode", "global", "web");
        assertEquals(ErrorHandlers.EXIT_USAGE, modeChange.exit());
        assertTrue(modeChange.err().contains("--mode cannot be changed by service update: service web is replicated, not global"), modeChange.err());
        assertEquals(created.version(), inspect("web").version(), "nothing written");

        shoalOk("service", "update", "--detach", "--args", "sleep 301", "--constraint-rm", "node.role==manager", "web");
        Service updated = inspect("web");
        assertEquals(List.of("sleep", "301"), updated.spec().taskTemplate().containerSpec().args());
        assertNull(updated.spec().taskTemplate().placement().constraints());
        assertEquals(UpdateStatus.State.UPDATING, updated.updateStatus().state());

        Run rollback = shoalOk("service", "rollback", "--detach", "web");
        assertEquals("web\n", rollback.out().replace(System.lineSeparator(), "\n"));
        Service rolledBack = inspect("web");
        assertEquals(List.of("sleep", "300"), rolledBack.spec().taskTemplate().containerSpec().args());
        assertEquals(UpdateStatus.State.ROLLBACK_STARTED, rolledBack.updateStatus().state());
        assertEquals("manually requested rollback", rolledBack.updateStatus().message());

        String pretty = shoalOk("service", "inspect", "--pretty", "web").out();
        assertTrue(pretty.contains(" State:             rollback_started"), pretty);
        assertTrue(pretty.contains(" Message:           manually requested rollback"), pretty);
        assertTrue(pretty.contains(" Constraints:       [node.role==manager]"), pretty);
        assertTrue(pretty.contains("  Memory:           64MiB"), pretty);
        assertTrue(pretty.contains(" On failure:        rollback"), pretty);

        String ls = shoalOk("service", "ls", "--format", "{{.Name}} {{.Mode}} {{.Replicas}}").out();
        assertEquals("", shoalOk("service", "ls", "-q", "-f", "mode=global").out());
        assertEquals(created.id().value(), shoalOk("service", "ls", "-q", "-f", "mode=replicated").out().strip());
        assertTrue(ls.matches("(?s)web replicated [0-2]/2 \\(max 2 per node\\)\\s*"), ls);
    }
}
