package dev.shoal.cli.command;

import static dev.shoal.cli.command.CommandLineTest.assertUsageError;
import static dev.shoal.cli.command.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.SwarmSpec;
import dev.shoal.cli.ShoalMain;
import dev.shoal.cli.command.CommandLineTest.Run;
import dev.shoal.cli.console.Output;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command lines of {@code swarm init|join|join-token|ca|update} and
 * {@code node update|promote|demote|rm|ps} without a daemon: each bad flag is refused with exit
 * code 2 and a message naming the flag, the value and the rule, before anything is sent. The
 * daemon's own checks (a {@code --cert-expiry} below 1h) are in {@link SwarmNodeCommandsTest}.
 */
class SwarmNodeCommandLineTest {
    @TempDir
    Path dir;

    /** The spec {@code swarm init} or {@code swarm update} would send for {@code args}. */
    private static SwarmSpec swarmSpec(String... args) {
        CliContext context = CliContext.of(Output.to(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false), Map.of());
        CommandLine cli = ShoalMain.commandLine(context);
        ParseResult parsed = cli.parseArgs(args);
        SwarmSpecOptions options = (SwarmSpecOptions) parsed.subcommand().subcommand().commandSpec().mixins().get("settings").userObject();
        return options.spec();
    }

    // ---- help ---------------------------------------------------------------------------------

    @Test
    void swarmAndNodeGroupsListTheirCommands() {
        String swarm = run("swarm", "--help").out();
        for (String command : new String[] {"ca", "init", "inspect", "join", "join-token", "leave", "update"}) {
            assertTrue(swarm.matches("(?s).*\\n  " + command + "[ ,].*"), command + " in " + swarm);
        }
        String node = run("node", "--help").out();
        for (String command : new String[] {"demote", "inspect", "ls", "promote", "ps", "rm", "update"}) {
            assertTrue(node.matches("(?s).*\\n  " + command + "[ ,].*"), command + " in " + node);
        }
    }

    // ---- swarm init and update: the settings ---------------------------------------------------

    @Test
    void settingsFlagsBecomeTheSpecInNanoseconds() {
        SwarmSpec spec = swarmSpec("swarm", "init", "--cert-expiry", "2160h0m0s", "--dispatcher-heartbeat", "500ms",
                "--task-history-limit", "3");
        assertEquals(2160L * 3600 * 1_000_000_000L, spec.caConfig().nodeCertExpiry());
        assertEquals(500_000_000L, spec.dispatcher().heartbeatPeriod());
        assertEquals(3L, spec.orchestration().taskHistoryRetentionLimit());
        assertNull(spec.name());
    }

    @Test
    void settingsNotGivenStayUnsetForTheDaemonToMerge() {
        SwarmSpec spec = swarmSpec("swarm", "update", "--task-history-limit", "0");
        assertEquals(0L, spec.orchestration().taskHistoryRetentionLimit());
        assertNull(spec.dispatcher());
        assertNull(spec.caConfig());
        assertNull(swarmSpec("swarm", "update"), "no flag: no spec, the current one is kept");
        assertNull(swarmSpec("swarm", "init"), "no flag: the daemon's defaults");
    }

    @Test
    void badCertExpiryDurationIsRefused() {
        assertUsageError(run("swarm", "init", "--cert-expiry", "90d"),
                "invalid argument \"90d\" for \"--cert-expiry\" flag: time: unknown unit \"d\" in duration \"90d\"", "shoal swarm init");
        assertUsageError(run("swarm", "update", "--cert-expiry", "2160"),
                "invalid argument \"2160\" for \"--cert-expiry\" flag: time: missing unit in duration \"2160\"", "shoal swarm update");
    }

    @Test
    void certExpiryBelowOneHourIsLeftForTheDaemon() {
        // the daemon names the field and the rule; the daemon test checks its message
        assertEquals(30L * 60 * 1_000_000_000L, swarmSpec("swarm", "update", "--cert-expiry", "30m").caConfig().nodeCertExpiry());
        Run run = run("swarm", "update", "--cert-expiry", "30m");
        assertEquals(ErrorHandlers.EXIT_FAILURE, run.exit(), "parsed, then failed to connect: " + run.err());
    }

    @Test
    void badDispatcherHeartbeatIsRefused() {
        assertUsageError(run("swarm", "update", "--dispatcher-heartbeat", "soon"),
                "invalid argument \"soon\" for \"--dispatcher-heartbeat\" flag: time: invalid duration \"soon\"", "shoal swarm update");
    }

    @Test
    void nonNumericTaskHistoryLimitIsRefused() {
        assertUsageError(run("swarm", "init", "--task-history-limit", "many"),
                "invalid argument \"many\" for \"--task-history-limit\" flag: not an integer", "shoal swarm init");
    }

    // ---- swarm init: the operator's own root CA ------------------------------------------------

    @Test
    void unreadableCaCertIsNamed() {
        Path missing = dir.resolve("no-such-ca.pem");
        assertUsageError(run("swarm", "init", "--ca-cert", missing.toString(), "--ca-key", missing.toString()),
                "invalid argument \"" + missing + "\" for \"--ca-cert\" flag: open " + missing + ": no such file or directory",
                "shoal swarm init");
    }

    @Test
    void caKeyThatIsADirectoryIsNamed() throws Exception {
        Path cert = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Run run = run("swarm", "init", "--ca-cert", cert.toString(), "--ca-key", dir.toString());
        assertUsageError(run, "invalid argument \"" + dir + "\" for \"--ca-key\" flag: open " + dir + ": ", "shoal swarm init");
    }

    @Test
    void caCertThatIsNotPemIsRefused() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.crt"), "hello\n");
        assertUsageError(run("swarm", "init", "--ca-cert", notPem.toString()),
                "invalid argument \"" + notPem + "\" for \"--ca-cert\" flag: file contents must be in PEM format", "shoal swarm init");
    }

    @Test
    void caCertWithoutCaKeyIsRefused() throws Exception {
        Path cert = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertUsageError(run("swarm", "init", "--ca-cert", cert.toString()), "--ca-key is required with --ca-cert", "shoal swarm init");
        assertUsageError(run("swarm", "init", "--ca-key", cert.toString()), "--ca-cert is required with --ca-key", "shoal swarm init");
    }

    // ---- swarm join and join-token -------------------------------------------------------------

    @Test
    void joinWithoutTokenIsRefused() {
        assertUsageError(run("swarm", "join", "10.0.0.1:2377"), "Missing required option: '--token=TOKEN'", "shoal swarm join");
    }

    @Test
    void joinWithoutAddressIsRefused() {
        assertUsageError(run("swarm", "join", "--token", "SWMTKN-1-x-y"), "Missing required parameter: 'HOST:PORT'", "shoal swarm join");
    }

    @Test
    void joinWithTwoAddressesIsRefused() {
        assertUsageError(run("swarm", "join", "--token", "SWMTKN-1-x-y", "10.0.0.1:2377", "10.0.0.2:2377"),
                "Unmatched argument at index 5: '10.0.0.2:2377'", "shoal swarm join");
    }

    @Test
    void joinTokenWithABadRoleIsRefused() {
        assertUsageError(run("swarm", "join-token", "boss"), "unknown role boss: must be worker or manager", "shoal swarm join-token");
        assertUsageError(run("swarm", "join-token", "--rotate", "Worker"), "unknown role Worker: must be worker or manager",
                "shoal swarm join-token");
    }

    @Test
    void joinTokenWithoutARoleIsRefused() {
        assertUsageError(run("swarm", "join-token", "-q"), "Missing required parameter: '(worker|manager)'", "shoal swarm join-token");
    }

    @Test
    void caWithAnUnknownFlagIsRefused() {
        assertUsageError(run("swarm", "ca", "--external-ca", "x"), "Unknown options: '--external-ca', 'x'", "shoal swarm ca");
    }

    // ---- node update, promote, demote, rm, ps --------------------------------------------------

    @Test
    void badAvailabilityListsTheChoices() {
        assertUsageError(run("node", "update", "--availability", "sleep", "self"),
                "invalid argument \"sleep\" for \"--availability\" flag: must be one of active, pause, drain", "shoal node update");
    }

    @Test
    void badRoleIsRefused() {
        assertUsageError(run("node", "update", "--role", "boss", "self"),
                "invalid argument \"boss\" for \"--role\" flag: must be worker or manager", "shoal node update");
    }

    @Test
    void labelAddWithoutEqualsIsRefused() {
        assertUsageError(run("node", "update", "--label-add", "zone", "self"),
                "invalid argument \"zone\" for \"--label-add\" flag: bad attribute format: zone", "shoal node update");
    }

    @Test
    void labelAddWithoutKeyIsRefused() {
        assertUsageError(run("node", "update", "--label-add", "=east", "self"),
                "invalid argument \"=east\" for \"--label-add\" flag: invalid label: =east: the key must not be empty", "shoal node update");
    }

    @Test
    void nodeUpdateWithoutNodeIsRefused() {
        assertUsageError(run("node", "update", "--availability", "drain"), "Missing required parameter: 'NODE'", "shoal node update");
    }

    @Test
    void promoteAndDemoteWithoutNodeAreRefused() {
        assertUsageError(run("node", "promote"), "Missing required parameter: 'NODE'", "shoal node promote");
        assertUsageError(run("node", "demote"), "Missing required parameter: 'NODE'", "shoal node demote");
        assertUsageError(run("node", "rm", "--force"), "Missing required parameter: 'NODE'", "shoal node rm");
    }

    @Test
    void nodePsWithAnUnknownFilterListsTheKnownOnes() {
        assertUsageError(run("node", "ps", "-f", "node=x"), "invalid filter 'node' (known filters: desired-state, id, name)", "shoal node ps");
    }

    @Test
    void nodePsWithAnUnknownDesiredStateIsRefused() {
        assertUsageError(run("node", "ps", "-f", "desired-state=sleeping"), "unknown task state: sleeping", "shoal node ps");
    }

    @Test
    void nodePsWithoutNodeParsesAndGoesToTheDaemon() {
        Run run = run("node", "ps");
        assertEquals(ErrorHandlers.EXIT_FAILURE, run.exit(), "parsed, then failed to connect: " + run.err());
    }
}
