package dev.shoal.cli.command;

import static dev.shoal.cli.command.CommandLineTest.assertUsageError;
import static dev.shoal.cli.command.CommandLineTest.createSpec;
import static dev.shoal.cli.command.CommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.ResourceRequirements.Resources;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.cli.ShoalMain;
import dev.shoal.cli.console.Output;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The orchestration flags of {@code service create} and {@code service update}: each flag group
 * into the spec, update's add/rm merging, and every kind of bad input, each refused with a
 * message naming the flag. No daemon runs (see {@link CommandLineTest}): a usage error exits 2
 * before any connection, so nothing reaches a daemon; an update error that depends on the
 * current spec is thrown by {@link ServiceUpdateCommand#applyTo} before the write.
 */
class ServiceOrchestrationFlagsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ServiceSpec WEB = new ServiceSpec("web", null,
            new TaskSpec(ContainerSpec.of("nginx"), null, null), ServiceMode.replicated(3));

    /** The spec {@code service update ARGS web} would send for a service whose spec is {@code current}. */
    static ServiceSpec updateSpec(ServiceSpec current, String... flags) {
        return updateCommand(flags).applyTo(current);
    }

    static ServiceUpdateCommand updateCommand(String... flags) {
        CliContext context = CliContext.of(Output.to(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false), Map.of());
        CommandLine cli = ShoalMain.commandLine(context);
        String[] args = new String[flags.length + 3];
        args[0] = "service";
        args[1] = "update";
        System.arraycopy(flags, 0, args, 2, flags.length);
        args[args.length - 1] = "web";
        return cli.parseArgs(args).subcommand().subcommand().commandSpec().commandLine().getCommand();
    }

    private static void assertCreateRefused(String message, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "service";
        all[1] = "create";
        System.arraycopy(args, 0, all, 2, args.length);
        all[all.length - 1] = "busybox";
        assertUsageError(run(all), message, "shoal service create");
    }

    private static void assertUpdateRefused(ServiceSpec current, String message, String... flags) {
        ParameterException e = assertThrows(ParameterException.class, () -> updateSpec(current, flags));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    // ---- mode ------------------------------------------------------------------------------------

    @Test
    void modeGlobal() {
        assertEquals(ServiceMode.ofGlobal(), createSpec("service", "create", "--mode", "global", "busybox").mode());
        assertEquals(ServiceMode.ofGlobalJob(), createSpec("service", "create", "--mode", "global-job", "busybox").mode());
    }

    @Test
    void replicatedJobTakesReplicasAsCompletionsAndMaxConcurrent() {
        ServiceSpec spec = createSpec("service", "create", "--mode", "replicated-job", "--replicas", "5", "--max-concurrent", "2", "busybox");
        assertEquals(ServiceMode.ofReplicatedJob(2L, 5L), spec.mode());
    }

    @Test
    void modeReplicatedWithReplicas() {
        assertEquals(ServiceMode.replicated(4), createSpec("service", "create", "--mode", "replicated", "--replicas", "4", "busybox").mode());
    }

    @Test
    void unknownModeIsRefused() {
        assertCreateRefused("invalid argument \"daemonset\" for \"--mode\" flag: must be one of replicated, global, replicated-job, global-job",
                "--mode", "daemonset");
    }

    @Test
    void replicasWithModeGlobalIsRefused() {
        assertCreateRefused("--replicas can only be used with --mode replicated or replicated-job, not with --mode global",
                "--mode", "global", "--replicas", "3");
    }

    @Test
    void maxConcurrentWithoutAJobModeIsRefused() {
        assertCreateRefused("--max-concurrent can only be used with --mode replicated-job, not with --mode replicated", "--max-concurrent", "2");
        assertCreateRefused("--max-concurrent can only be used with --mode replicated-job, not with --mode global",
                "--mode", "global", "--max-concurrent", "2");
    }

    @Test
    void maxPerNodeWithModeGlobalIsRefused() {
        assertCreateRefused("--replicas-max-per-node can only be used with replicated services, not with --mode global",
                "--mode", "global", "--replicas-max-per-node", "1");
    }

    @Test
    void updateRefusesAModeChange() {
        assertUpdateRefused(WEB, "--mode cannot be changed by service update: service web is replicated, not global", "--mode", "global");
        assertEquals(WEB, updateSpec(WEB, "--mode", "replicated"), "the same mode is no change");
    }

    @Test
    void updateRefusesMaxConcurrentOnANonJob() {
        assertUpdateRefused(WEB, "--max-concurrent can only be used with replicated-job services; service web is replicated",
                "--max-concurrent", "2");
    }

    @Test
    void updateRefusesReplicasOnAGlobalService() {
        assertUpdateRefused(WEB.withMode(ServiceMode.ofGlobal()),
                "--replicas can only be used with replicated services and replicated jobs; service web is global", "--replicas", "2");
    }

    @Test
    void updateOfAJobChangesCompletionsAndConcurrency() {
        ServiceSpec job = WEB.withMode(ServiceMode.ofReplicatedJob(1L, 4L));
        assertEquals(ServiceMode.ofReplicatedJob(1L, 9L), updateSpec(job, "--replicas", "9").mode());
        assertEquals(ServiceMode.ofReplicatedJob(3L, 4L), updateSpec(job, "--max-concurrent", "3").mode());
    }

    // ---- placement -----------------------------------------------------------------------------------

    @Test
    void placementFlagsBecomeThePlacement() {
        ServiceSpec spec = createSpec("service", "create", "--constraint", "node.labels.zone==east", "--constraint", "node.role!=manager",
                "--placement-pref", "spread=node.labels.rack", "--placement-pref", "avoid=db", "--replicas-max-per-node", "2", "busybox");
        assertEquals(new Placement(List.of("node.labels.zone==east", "node.role!=manager"),
                List.of(Placement.Preference.spread("node.labels.rack"), Placement.Preference.avoid("db")), 2L, null),
                spec.taskTemplate().placement());
    }

    @Test
    void malformedConstraintIsRefused() {
        assertCreateRefused("invalid argument \"node.role=manager\" for \"--constraint\" flag: malformed constraint \"node.role=manager\": "
                + "expected <key>==<value> or <key>!=<value>", "--constraint", "node.role=manager");
    }

    @Test
    void unknownConstraintKeyIsRefused() {
        assertCreateRefused("invalid argument \"node.colour==red\" for \"--constraint\" flag: invalid constraint key \"node.colour\"",
                "--constraint", "node.colour==red");
    }

    @Test
    void malformedConstraintOnUpdateIsRefused() {
        assertUsageError(run("service", "update", "--constraint-add", "zone", "web"),
                "invalid argument \"zone\" for \"--constraint-add\" flag: malformed constraint \"zone\"", "shoal service update");
    }

    @Test
    void unknownPlacementPreferenceIsRefused() {
        assertCreateRefused("invalid argument \"pack=node.labels.zone\" for \"--placement-pref\" flag: unsupported placement preference pack "
                + "(must be spread or avoid)", "--placement-pref", "pack=node.labels.zone");
        assertCreateRefused("invalid spread preference key \"zone\"", "--placement-pref", "spread=zone");
    }

    @Test
    void constraintAndPreferenceAddAndRmMerge() {
        ServiceSpec current = WEB.withTaskTemplate(WEB.taskTemplate().withPlacement(new Placement(
                List.of("node.role!=manager", "node.labels.zone==east"), List.of(Placement.Preference.spread("node.labels.zone")), 1L, null)));
        Placement p = updateSpec(current, "--constraint-rm", "node.labels.zone==east", "--constraint-add", "node.labels.disk==ssd",
                "--constraint-add", "node.role!=manager", "--placement-pref-rm", "spread=node.labels.zone",
                "--placement-pref-add", "avoid=db").taskTemplate().placement();
        assertEquals(List.of("node.role!=manager", "node.labels.disk==ssd"), p.constraints(), "removed, added, no duplicate");
        assertEquals(List.of(Placement.Preference.avoid("db")), p.preferences());
        assertEquals(1L, p.maxReplicas(), "kept");
        assertNull(updateSpec(current, "--constraint-rm", "node.role!=manager", "--constraint-rm", "node.labels.zone==east")
                .taskTemplate().placement().constraints(), "all removed");
    }

    // ---- resources ---------------------------------------------------------------------------------

    @Test
    void resourceFlagsBecomeNanoCpusAndBytes() {
        ServiceSpec spec = createSpec("service", "create", "--reserve-cpu", "0.25", "--reserve-memory", "512m",
                "--limit-cpu", "1.5", "--limit-memory", "1g", "--limit-pids", "100", "busybox");
        assertEquals(new ResourceRequirements(new Resources(1_500_000_000L, 1L << 30, 100L), new Resources(250_000_000L, 512L << 20, null)),
                spec.taskTemplate().resources());
    }

    @Test
    void memoryUnitsAsDocker() {
        assertEquals(1024L, Converters.MemoryBytesConverter.parse("1k"));
        assertEquals(1536L << 20, Converters.MemoryBytesConverter.parse("1.5GiB"));
        assertEquals(300L, Converters.MemoryBytesConverter.parse("300"));
        assertEquals(300L, Converters.MemoryBytesConverter.parse("300b"));
        assertEquals(64L << 20, Converters.MemoryBytesConverter.parse("64MB"));
    }

    @Test
    void malformedMemoryIsRefused() {
        assertCreateRefused("invalid argument \"lots\" for \"--limit-memory\" flag: invalid size: 'lots'", "--limit-memory", "lots");
        assertCreateRefused("invalid argument \"-1m\" for \"--reserve-memory\" flag: invalid size: '-1m'", "--reserve-memory=-1m");
    }

    @Test
    void malformedOrNegativeCpuIsRefused() {
        assertCreateRefused("invalid argument \"half\" for \"--limit-cpu\" flag: failed to parse half as a decimal number of CPUs", "--limit-cpu", "half");
        assertCreateRefused("invalid argument \"-1\" for \"--reserve-cpu\" flag: must not be negative", "--reserve-cpu=-1");
        assertCreateRefused("invalid argument \"0.0000000001\" for \"--limit-cpu\" flag: value is too precise", "--limit-cpu", "0.0000000001");
    }

    @Test
    void updateChangesOneResourceAndKeepsTheOthers() {
        ServiceSpec current = WEB.withTaskTemplate(WEB.taskTemplate().withResources(
                new ResourceRequirements(new Resources(SECOND, 1L << 30, null), new Resources(SECOND / 2, null, null))));
        assertEquals(new ResourceRequirements(new Resources(SECOND, 256L << 20, null), new Resources(SECOND / 2, null, null)),
                updateSpec(current, "--limit-memory", "256m").taskTemplate().resources());
    }

    // ---- healthcheck --------------------------------------------------------------------------------

    @Test
    void healthFlagsBecomeTheHealthcheck() {
        ServiceSpec spec = createSpec("service", "create", "--health-cmd", "curl -f http://localhost/", "--health-interval", "10s",
                "--health-timeout", "2s", "--health-retries", "5", "--health-start-period", "1m", "busybox");
        assertEquals(new HealthConfig(List.of("CMD-SHELL", "curl -f http://localhost/"), 10 * SECOND, 2 * SECOND, 5L, 60 * SECOND),
                spec.taskTemplate().containerSpec().healthcheck());
    }

    @Test
    void noHealthcheckDisablesIt() {
        assertEquals(HealthConfig.none(), createSpec("service", "create", "--no-healthcheck", "busybox").taskTemplate().containerSpec().healthcheck());
    }

    @Test
    void noHealthcheckWithHealthCmdIsRefused() {
        assertCreateRefused("--no-healthcheck conflicts with --health-* options", "--no-healthcheck", "--health-cmd", "true");
        assertUsageError(run("service", "update", "--no-healthcheck", "--health-retries", "2", "web"),
                "--no-healthcheck conflicts with --health-* options", "shoal service update");
    }

    @Test
    void negativeHealthIntervalIsRefused() {
        assertCreateRefused("invalid argument \"-5s\" for \"--health-interval\" flag: duration must not be negative", "--health-interval=-5s");
    }

    @Test
    void updateChangesOneHealthValue() {
        ServiceSpec current = WEB.withTaskTemplate(WEB.taskTemplate().withContainerSpec(ContainerSpec.of("nginx")
                .withHealthcheck(new HealthConfig(List.of("CMD-SHELL", "true"), SECOND, null, 3L, null))));
        assertEquals(new HealthConfig(List.of("CMD-SHELL", "true"), SECOND, null, 7L, null),
                updateSpec(current, "--health-retries", "7").taskTemplate().containerSpec().healthcheck());
    }

    // ---- update and rollback config -----------------------------------------------------------------

    @Test
    void updateAndRollbackFlagsBecomeTheirConfigs() {
        ServiceSpec spec = createSpec("service", "create", "--update-parallelism", "2", "--update-delay", "10s", "--update-failure-action", "rollback",
                "--update-monitor", "30s", "--update-max-failure-ratio", "0.25", "--update-order", "start-first",
                "--rollback-parallelism", "0", "--rollback-delay", "1s", "--rollback-failure-action", "continue",
                "--rollback-monitor", "5s", "--rollback-max-failure-ratio", "1", "--rollback-order", "stop-first", "busybox");
        assertEquals(new UpdateConfig(2L, 10 * SECOND, UpdateConfig.FailureAction.ROLLBACK, 30 * SECOND, 0.25, UpdateConfig.Order.START_FIRST),
                spec.updateConfig());
        assertEquals(new UpdateConfig(0L, SECOND, UpdateConfig.FailureAction.CONTINUE, 5 * SECOND, 1.0, UpdateConfig.Order.STOP_FIRST),
                spec.rollbackConfig());
    }

    @Test
    void updateKeepsTheConfigValuesNotGiven() {
        ServiceSpec current = WEB.withUpdateConfig(new UpdateConfig(3L, SECOND, UpdateConfig.FailureAction.PAUSE, null, null, null));
        assertEquals(new UpdateConfig(3L, SECOND, UpdateConfig.FailureAction.CONTINUE, null, null, null),
                updateSpec(current, "--update-failure-action", "continue").updateConfig());
    }

    @Test
    void negativeUpdateDelayIsRefused() {
        assertCreateRefused("invalid argument \"-1s\" for \"--update-delay\" flag: duration must not be negative", "--update-delay", "-1s");
    }

    @Test
    void negativeRollbackMonitorIsRefused() {
        assertCreateRefused("invalid argument \"-2m\" for \"--rollback-monitor\" flag: duration must not be negative", "--rollback-monitor=-2m");
    }

    @Test
    void ratioAboveOneIsRefused() {
        assertCreateRefused("invalid argument \"1.5\" for \"--update-max-failure-ratio\" flag: must be between 0 and 1",
                "--update-max-failure-ratio", "1.5");
        assertCreateRefused("invalid argument \"-0.1\" for \"--rollback-max-failure-ratio\" flag: must be between 0 and 1",
                "--rollback-max-failure-ratio=-0.1");
        assertCreateRefused("invalid argument \"most\" for \"--update-max-failure-ratio\" flag: not a number",
                "--update-max-failure-ratio", "most");
    }

    @Test
    void unknownFailureActionIsRefused() {
        assertCreateRefused("invalid argument \"retry\" for \"--update-failure-action\" flag: must be one of pause, continue, rollback",
                "--update-failure-action", "retry");
    }

    @Test
    void rollbackFailureActionCannotBeRollback() {
        assertCreateRefused("invalid argument \"rollback\" for \"--rollback-failure-action\" flag: must be pause or continue",
                "--rollback-failure-action", "rollback");
    }

    @Test
    void unknownUpdateOrderIsRefused() {
        assertCreateRefused("invalid argument \"random\" for \"--update-order\" flag: must be stop-first or start-first", "--update-order", "random");
    }

    @Test
    void negativeParallelismIsRefused() {
        assertCreateRefused("invalid argument \"-1\" for \"--update-parallelism\" flag: must not be negative", "--update-parallelism=-1");
    }

    // ---- update only -------------------------------------------------------------------------------

    @Test
    void forceAndRebalanceRaiseTheirCounters() {
        ServiceSpec once = updateSpec(WEB, "--force", "--rebalance");
        assertEquals(1L, once.taskTemplate().forceUpdate());
        assertEquals(1L, once.rebalance());
        ServiceSpec twice = updateSpec(once, "--force", "--rebalance");
        assertEquals(2L, twice.taskTemplate().forceUpdate());
        assertEquals(2L, twice.rebalance());
    }

    @Test
    void imageEnvAndArgsOnUpdate() {
        ServiceSpec current = WEB.withTaskTemplate(WEB.taskTemplate().withContainerSpec(
                new ContainerSpec("nginx:1", null, null, List.of("A=1", "B=2"), null, null, null)));
        ContainerSpec c = updateSpec(current, "--image", "nginx:2", "--env-add", "A=3", "--env-rm", "B", "--args", "serve --port 80")
                .taskTemplate().containerSpec();
        assertEquals("nginx:2", c.image());
        assertEquals(List.of("A=3"), c.env());
        assertEquals(List.of("serve", "--port", "80"), c.args());
    }

    @Test
    void updateKeepsWhatNoFlagNames() {
        ServiceSpec current = WEB.withUpdateConfig(new UpdateConfig(2L, null, null, null, null, null))
                .withRollbackConfig(new UpdateConfig(1L, null, null, null, null, null))
                .withTaskTemplate(WEB.taskTemplate().withPlacement(new Placement(List.of("node.role==worker"), null, null, null))
                        .withResources(new ResourceRequirements(new Resources(SECOND, null, null), null)))
                .withRebalance(4L);
        ServiceSpec next = updateSpec(current, "--image", "nginx:2");
        assertEquals(current.updateConfig(), next.updateConfig());
        assertEquals(current.rollbackConfig(), next.rollbackConfig());
        assertEquals(current.taskTemplate().placement(), next.taskTemplate().placement());
        assertEquals(current.taskTemplate().resources(), next.taskTemplate().resources());
        assertEquals(4L, next.rebalance());
        assertEquals(current.mode(), next.mode());
    }

    @Test
    void rollbackFlagRefusesOtherFlags() {
        assertUsageError(run("service", "update", "--rollback", "--image", "nginx:2", "web"),
                "other flags may not be combined with --rollback (--image)", "shoal service update");
    }

    @Test
    void rollbackFlagWithDetachParses() {
        CommandLineTest.Run r = run("service", "update", "--rollback", "-d", "web");
        assertEquals(ErrorHandlers.EXIT_FAILURE, r.exit(), "parsed, then failed to connect: " + r.err());
        assertTrue(r.err().contains("Cannot connect to the Shoal daemon"), r.err());
    }

    @Test
    void rollbackCommandParsesAndConnects() {
        CommandLineTest.Run r = run("service", "rollback", "--detach", "web");
        assertEquals(ErrorHandlers.EXIT_FAILURE, r.exit(), r.err());
        assertTrue(r.err().contains("Cannot connect to the Shoal daemon"), r.err());
        assertUsageError(run("service", "rollback"), "Missing required parameter: 'SERVICE'", "shoal service rollback");
    }

    // ---- scale ---------------------------------------------------------------------------------

    @Test
    void scaleOfAJobSetsItsCompletions() {
        ServiceSpec job = WEB.withMode(ServiceMode.ofReplicatedJob(2L, 4L));
        assertEquals(ServiceMode.ofReplicatedJob(2L, 10L), ServiceScaleCommand.scaled(job, 10).mode());
        assertEquals(ServiceMode.replicated(5), ServiceScaleCommand.scaled(WEB, 5).mode());
    }

    @Test
    void scaleOfAGlobalServiceIsRefused() {
        CliException e = assertThrows(CliException.class, () -> ServiceScaleCommand.scaled(WEB.withMode(ServiceMode.ofGlobal()), 3));
        assertEquals("scale can only be used with replicated or replicated-job mode (service web is global)", e.getMessage());
    }

    @Test
    void helpListsTheOrchestrationFlags() {
        String create = run("service", "create", "--help").out();
        for (String flag : List.of("--mode=MODE", "--max-concurrent=N", "--constraint=EXPR", "--placement-pref=PREF", "--limit-cpu=DECIMAL",
                "--reserve-memory=BYTES", "--health-cmd=CMD", "--no-healthcheck", "--update-order=ORDER", "--rollback-monitor=DURATION")) {
            assertTrue(create.contains(flag), flag + " in\n" + create);
        }
        String update = run("service", "update", "--help").out();
        for (String flag : List.of("--constraint-add=EXPR", "--placement-pref-rm=PREF", "--rebalance", "--rollback", "--force")) {
            assertTrue(update.contains(flag), flag + " in\n" + update);
        }
        assertFalse(update.contains("--mode"), "update has no --mode to offer");
        assertTrue(run("service", "--help").out().contains("rollback"));
    }
}
