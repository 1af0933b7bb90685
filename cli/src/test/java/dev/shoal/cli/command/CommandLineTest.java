package dev.shoal.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.cli.ShoalMain;
import dev.shoal.cli.console.Output;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command line alone: parsing, usage errors and their exit codes, and the spec a command
 * builds. No daemon runs: SHOAL_HOST names a socket that does not exist, so a command that parses
 * fails at connection time with exit code 1, and a usage error fails before with exit code 2.
 */
class CommandLineTest {
    private static final String NO_DAEMON = "unix:///tmp/shoal-no-such-daemon.sock";
    private static final Map<String, String> ENV = Map.of("SHOAL_HOST", NO_DAEMON, "FROM_CLIENT", "client-value");

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.of(Output.to(new PrintWriter(out), new PrintWriter(err), false), ENV);
        int exit = ShoalMain.execute(context, args);
        return new Run(exit, out.toString(), err.toString());
    }

    static ServiceSpec createSpec(String... args) {
        CliContext context = CliContext.of(Output.to(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false), ENV);
        CommandLine cli = ShoalMain.commandLine(context);
        ParseResult parsed = cli.parseArgs(args);
        ServiceCreateCommand create = parsed.subcommand().subcommand().commandSpec().commandLine().getCommand();
        return create.spec();
    }

    static void assertUsageError(Run run, String message, String command) {
        assertEquals(ErrorHandlers.EXIT_USAGE, run.exit(), run.err());
        assertTrue(run.err().contains(message), "expected <" + message + "> in <" + run.err() + ">");
        assertTrue(run.err().contains("See '" + command + " --help'."), run.err());
        assertEquals("", run.out());
    }

    // ---- help and version ---------------------------------------------------------------------

    @Test
    void helpPrintsUsageAndExitsZero() {
        Run run = run("--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("Usage: shoal"));
        assertTrue(run.out().contains("service"));
    }

    @Test
    void helpOfASubcommandListsItsFlags() {
        Run run = run("service", "create", "--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("--restart-delay=DURATION"));
    }

    @Test
    void groupWithoutSubcommandPrintsItsUsage() {
        Run run = run("service");
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("Manage Swarm services"));
    }

    @Test
    void versionFlagPrintsOneLine() {
        Run run = run("-v");
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("Shoal version "), run.out());
    }

    // ---- bad flags, one test each -----------------------------------------------------------

    @Test
    void unknownFlagIsNamed() {
        assertUsageError(run("service", "create", "--bogus", "x", "img"), "Unknown option: '--bogus'", "shoal service create");
    }

    @Test
    void unknownCommandIsNamed() {
        assertUsageError(run("servce", "ls"), "'servce' is not a shoal command.\nDid you mean: service", "shoal");
        assertUsageError(run("service", "lss"), "'lss' is not a shoal service command.", "shoal service");
    }

    @Test
    void missingImageIsNamed() {
        assertUsageError(run("service", "create", "--name", "web"), "Missing required parameter: 'IMAGE'", "shoal service create");
    }

    @Test
    void malformedRestartDelayNamesTheFlagAndTheValue() {
        assertUsageError(run("service", "create", "--restart-delay", "5x", "img"),
                "invalid argument \"5x\" for \"--restart-delay\" flag: time: unknown unit \"x\" in duration \"5x\"",
                "shoal service create");
    }

    @Test
    void durationWithoutUnitIsRefused() {
        assertUsageError(run("service", "create", "--stop-grace-period", "10", "img"),
                "invalid argument \"10\" for \"--stop-grace-period\" flag: time: missing unit in duration \"10\"",
                "shoal service create");
    }

    @Test
    void malformedRestartWindowOnUpdateNamesTheFlag() {
        assertUsageError(run("service", "update", "--restart-window", "soon", "web"),
                "invalid argument \"soon\" for \"--restart-window\" flag: time: invalid duration \"soon\"",
                "shoal service update");
    }

    @Test
    void nonNumericReplicasNamesTheFlag() {
        assertUsageError(run("service", "create", "--replicas", "three", "img"),
                "invalid argument \"three\" for \"--replicas\" flag: not an integer", "shoal service create");
    }

    @Test
    void negativeReplicasIsLeftForTheDaemonsValidator() {
        // Docker's validator explains it ("invalid Mode.Replicated.Replicas: -1: must be >= 0"); the
        // end-to-end test checks that message
        assertEquals(-1, createSpec("service", "create", "--replicas", "-1", "img").replicas());
        Run run = run("service", "create", "--replicas", "-1", "img");
        assertEquals(ErrorHandlers.EXIT_FAILURE, run.exit(), "parsed, then failed to connect: " + run.err());
    }

    @Test
    void unknownRestartConditionListsTheChoices() {
        assertUsageError(run("service", "create", "--restart-condition", "always", "img"),
                "invalid argument \"always\" for \"--restart-condition\" flag: must be one of none, on-failure, any",
                "shoal service create");
    }

    @Test
    void envWithoutKeyIsRefused() {
        assertUsageError(run("service", "create", "-e", "=x", "img"),
                "invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x", "shoal service create");
    }

    @Test
    void labelWithoutKeyIsRefused() {
        assertUsageError(run("service", "create", "--label", "=x", "img"),
                "invalid argument \"=x\" for \"-l, --label\" flag: invalid label: =x: the key must not be empty", "shoal service create");
    }

    @Test
    void unclosedQuoteInEntrypointIsRefused() {
        assertUsageError(run("service", "create", "--entrypoint", "sh -c 'oops", "img"),
                "invalid argument \"sh -c 'oops\" for \"--entrypoint\" flag: EOF found when expecting closing quote",
                "shoal service create");
    }

    @Test
    void unclosedQuoteInUpdateArgsIsRefused() {
        assertUsageError(run("service", "update", "--args", "\"oops", "web"),
                "invalid argument \"\"oops\" for \"--args\" flag: EOF found when expecting closing quote", "shoal service update");
    }

    @Test
    void scaleWithoutReplicasIsRefused() {
        assertUsageError(run("service", "scale", "web"),
                "invalid argument \"web\" for \"SERVICE=REPLICAS\" argument: expected SERVICE=REPLICAS, e.g. web=3",
                "shoal service scale");
    }

    @Test
    void scaleWithNonNumericReplicasIsRefused() {
        assertUsageError(run("service", "scale", "web=2", "db=x"),
                "invalid argument \"db=x\" for \"SERVICE=REPLICAS\" argument: invalid replicas value \"x\": not an integer",
                "shoal service scale");
    }

    @Test
    void unknownFilterListsTheKnownOnes() {
        assertUsageError(run("service", "ps", "-f", "colour=red", "web"),
                "invalid filter 'colour' (known filters: desired-state, id, name, node)", "shoal service ps");
    }

    @Test
    void filterWithoutValueIsRefused() {
        assertUsageError(run("service", "ls", "--filter", "name"), "bad format of filter (expected name=value)", "shoal service ls");
    }

    @Test
    void unknownDesiredStateIsRefused() {
        assertUsageError(run("service", "ps", "--filter", "desired-state=sleeping", "web"),
                "unknown task state: sleeping", "shoal service ps");
    }

    @Test
    void unknownExecutorListsTheChoices() {
        assertUsageError(run("daemon", "--executor", "podman"),
                "invalid argument \"podman\" for \"--executor\" flag: must be one of auto, docker, process", "shoal daemon");
    }

    @Test
    void unknownLogFormatIsRefused() {
        assertUsageError(run("daemon", "--log-format", "xml"),
                "invalid argument \"xml\" for \"--log-format\" flag: must be text or json", "shoal daemon");
    }

    @Test
    void unknownLogLevelIsRefused() {
        assertUsageError(run("daemon", "--log-level", "loud"),
                "invalid argument \"loud\" for \"-l, --log-level\" flag: must be one of debug, info, warn, error", "shoal daemon");
    }

    @Test
    void nonNumericRaftPortIsRefused() {
        assertUsageError(run("daemon", "--raft-port", "http"),
                "invalid argument \"http\" for \"--raft-port\" flag: not an integer", "shoal daemon");
    }

    // ---- the daemon's address -----------------------------------------------------------------

    @Test
    void missingSocketSaysTheDaemonIsNotRunning() {
        Run run = run("service", "ls");
        assertEquals(ErrorHandlers.EXIT_FAILURE, run.exit());
        assertEquals("Cannot connect to the Shoal daemon at " + NO_DAEMON + ". Is the shoal daemon running?", run.err().strip());
    }

    @Test
    void hostFlagWinsOverTheEnvironment() {
        Run run = run("-H", "unix:///tmp/shoal-other.sock", "service", "ls");
        assertTrue(run.err().contains("unix:///tmp/shoal-other.sock"), run.err());
        assertEquals("unix:///x.sock", DaemonConnection.hostOf(null, Map.of("SHOAL_HOST", "unix:///x.sock")));
        assertEquals("unix:///var/run/shoal/shoal.sock", DaemonConnection.hostOf(null, Map.of()));
    }

    @Test
    void hostWithAnUnknownSchemeIsRefused() {
        Run run = run("-H", "http://localhost:2375", "info");
        assertEquals(ErrorHandlers.EXIT_FAILURE, run.exit());
        assertTrue(run.err().contains("the scheme must be unix:// or tcp://"), run.err());
    }

    // ---- the spec service create builds ----------------------------------------------------------

    @Test
    void everythingAfterTheImageIsTheCommand() {
        ServiceSpec spec = createSpec("service", "create", "--name", "web", "busybox", "sh", "-c", "echo hi", "--name", "x");
        assertEquals("web", spec.name());
        assertEquals("busybox", spec.taskTemplate().containerSpec().image());
        assertEquals(List.of("sh", "-c", "echo hi", "--name", "x"), spec.taskTemplate().containerSpec().args());
    }

    @Test
    void flagsBecomeTheSpec() {
        ServiceSpec spec = createSpec("service", "create", "--name", "web", "--replicas", "3", "-e", "A=1", "--env", "FROM_CLIENT",
                "--label", "tier=front", "--label", "canary", "--restart-condition", "on-failure", "--restart-delay", "1m30s",
                "--restart-max-attempts", "4", "--restart-window", "10m", "--stop-grace-period", "500ms",
                "--workdir", "/srv", "--entrypoint", "sh -c", "busybox", "sleep 1");
        assertEquals(3, spec.replicas());
        assertEquals(Map.of("tier", "front", "canary", ""), spec.labels());
        var c = spec.taskTemplate().containerSpec();
        assertEquals(List.of("A=1", "FROM_CLIENT=client-value"), c.env());
        assertEquals(List.of("sh", "-c"), c.command());
        assertEquals(List.of("sleep 1"), c.args());
        assertEquals("/srv", c.dir());
        assertEquals(500_000_000L, c.stopGracePeriod());
        assertEquals(new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, 90_000_000_000L, 4L, 600_000_000_000L),
                spec.taskTemplate().restartPolicy());
    }

    @Test
    void unsetFlagsLeaveTheDaemonsDefaults() {
        ServiceSpec spec = createSpec("service", "create", "busybox");
        assertNull(spec.mode());
        assertNull(spec.labels());
        assertNull(spec.taskTemplate().restartPolicy());
        assertNull(spec.taskTemplate().containerSpec().args());
        assertNull(spec.taskTemplate().containerSpec().env());
    }

    @Test
    void aServiceWithoutNameGetsAGeneratedOne() {
        // The API refuses an empty name; the CLI picks one in Docker's adjective_scientist shape.
        String name = createSpec("service", "create", "busybox").name();
        assertTrue(name.matches("[a-z]+_[a-z]+"), name);
    }

    @Test
    void oneRestartFlagKeepsTheOthersUnset() {
        ServiceSpec spec = createSpec("service", "create", "--restart-delay", "0s", "busybox");
        assertEquals(new RestartPolicy(null, 0L, null, null), spec.taskTemplate().restartPolicy());
    }

    // ---- update helpers ---------------------------------------------------------------------------

    @Test
    void envAddReplacesAndEnvRmRemovesByKey() {
        assertEquals(List.of("A=2", "C=3"), KeyValues.updateEnv(List.of("A=1", "B=2"), List.of("A=2", "C=3"), List.of("B")));
        assertNull(KeyValues.updateEnv(List.of("A=1"), null, List.of("A=whatever")));
    }

    @Test
    void labelAddAndRm() {
        assertEquals(Map.of("a", "2", "c", ""), KeyValues.updateLabels(Map.of("a", "1", "b", "x"), List.of("a=2", "c"), List.of("b")));
    }
}
