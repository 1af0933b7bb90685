package dev.shoal.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.EndpointSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.UpdateConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every rule of a service spec, one bad input per test, each refused naming the field and the rule. */
class ServiceSpecValidatorTest {
    private static final ContainerSpec IMAGE = ContainerSpec.of("busybox");

    private static ServiceSpec spec(String name, ServiceMode mode, TaskSpec template) {
        return new ServiceSpec(name, null, template, mode);
    }

    private static ServiceSpec withContainer(ContainerSpec c) {
        return spec("web", ServiceMode.replicated(1), new TaskSpec(c, null, null));
    }

    private static ServiceSpec withRestart(RestartPolicy p) {
        return spec("web", ServiceMode.replicated(1), new TaskSpec(IMAGE, p, null));
    }

    private static void assertRefused(String message, ServiceSpec spec) {
        ApiException e = assertThrows(ApiException.class, () -> ServiceSpecValidator.validate(spec));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void aCompleteSpecIsValid() {
        assertDoesNotThrow(() -> ServiceSpecValidator.validate(new ServiceSpec("web-1.a_b", Map.of("tier", "front"),
                new TaskSpec(new ContainerSpec("busybox:1.36", List.of("httpd"), List.of("-f"), List.of("A=1", "B="), null, "/www", 0L),
                        new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, 0L, 3L, 0L), null),
                ServiceMode.replicated(0))));
    }

    @Test
    void missingSpec() {
        assertRefused("invalid Spec: null: must be set", null);
    }

    @Test
    void emptyName() {
        assertRefused("invalid Name: \"\": must not be empty", spec("", null, new TaskSpec(IMAGE, null, null)));
    }

    @Test
    void missingName() {
        assertRefused("invalid Name: \"\": must not be empty", spec(null, null, new TaskSpec(IMAGE, null, null)));
    }

    @Test
    void nameWithForbiddenCharacters() {
        assertRefused("invalid Name: \"web/1\": must start with a letter or digit and contain only letters, digits, '_', '.' and '-'",
                spec("web/1", null, new TaskSpec(IMAGE, null, null)));
    }

    @Test
    void nameStartingWithADash() {
        assertRefused("invalid Name: \"-web\": must start with a letter or digit and contain only letters, digits, '_', '.' and '-'",
                spec("-web", null, new TaskSpec(IMAGE, null, null)));
    }

    @Test
    void nameLongerThan63Characters() {
        String name = "a".repeat(64);
        assertRefused("invalid Name: \"" + name + "\": must be at most 63 characters", spec(name, null, new TaskSpec(IMAGE, null, null)));
        assertDoesNotThrow(() -> ServiceSpecValidator.validate(spec("a".repeat(63), null, new TaskSpec(IMAGE, null, null))));
    }

    @Test
    void emptyLabelKey() {
        assertRefused("invalid Labels: \"\": label keys must not be empty",
                new ServiceSpec("web", Map.of("", "x"), new TaskSpec(IMAGE, null, null), null));
    }

    @Test
    void negativeReplicas() {
        assertRefused("invalid Mode.Replicated.Replicas: -1: must be >= 0", spec("web", ServiceMode.replicated(-1), new TaskSpec(IMAGE, null, null)));
    }

    @Test
    void modeWithNothingSet() {
        assertRefused("invalid Mode: {}: must set exactly one of Replicated, Global, ReplicatedJob, GlobalJob",
                spec("web", new ServiceMode(null), new TaskSpec(IMAGE, null, null)));
    }

    @Test
    void missingTaskTemplate() {
        assertRefused("invalid TaskTemplate: null: must be set", spec("web", null, null));
    }

    @Test
    void missingContainerSpec() {
        assertRefused("invalid TaskTemplate.ContainerSpec: null: must be set", spec("web", null, new TaskSpec(null, null, null)));
    }

    @Test
    void missingImage() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Image: \"\": must not be empty", withContainer(new ContainerSpec(null, null, null, null, null, null, null)));
    }

    @Test
    void blankImage() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Image: \"  \": must not be empty", withContainer(ContainerSpec.of("  ")));
    }

    @Test
    void imageWithWhitespace() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Image: \"busy box\": must not contain whitespace", withContainer(ContainerSpec.of("busy box")));
    }

    @Test
    void envEntryWithoutEquals() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Env[1]: \"NOVALUE\": must be KEY=value",
                withContainer(new ContainerSpec("busybox", null, null, List.of("A=1", "NOVALUE"), null, null, null)));
    }

    @Test
    void envEntryWithEmptyKey() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Env[0]: \"=value\": the key before '=' must not be empty",
                withContainer(new ContainerSpec("busybox", null, null, List.of("=value"), null, null, null)));
    }

    @Test
    void relativeWorkingDirectory() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Dir: \"www\": must be an absolute path",
                withContainer(new ContainerSpec("busybox", null, null, null, null, "www", null)));
    }

    @Test
    void negativeStopGracePeriod() {
        assertRefused("invalid TaskTemplate.ContainerSpec.StopGracePeriod: -1: must be >= 0",
                withContainer(new ContainerSpec("busybox", null, null, null, null, null, -1L)));
    }

    @Test
    void negativeRestartDelay() {
        assertRefused("invalid TaskTemplate.RestartPolicy.Delay: -5: must be >= 0", withRestart(new RestartPolicy(null, -5L, null, null)));
    }

    @Test
    void negativeRestartMaxAttempts() {
        assertRefused("invalid TaskTemplate.RestartPolicy.MaxAttempts: -1: must be >= 0", withRestart(new RestartPolicy(null, null, -1L, null)));
    }

    @Test
    void negativeRestartWindow() {
        assertRefused("invalid TaskTemplate.RestartPolicy.Window: -1: must be >= 0", withRestart(new RestartPolicy(null, null, null, -1L)));
    }

    @Test
    void defaultsFillInOneReplica() {
        ServiceSpec stored = ServiceSpecValidator.withDefaults(spec("web", null, new TaskSpec(IMAGE, null, null)));
        assertEquals(1L, stored.mode().replicated().replicas());
        ServiceSpec explicit = spec("web", ServiceMode.replicated(4), new TaskSpec(IMAGE, null, null));
        assertEquals(explicit, ServiceSpecValidator.withDefaults(explicit));
    }

    private static ServiceSpec withTemplate(TaskSpec t) {
        return spec("web", ServiceMode.replicated(1), t);
    }

    private static ServiceSpec withPlacement(Placement p) {
        return withTemplate(new TaskSpec(IMAGE, null, null, null, p));
    }

    private static ServiceSpec withResources(ResourceRequirements.Resources limits, ResourceRequirements.Resources reservations) {
        return withTemplate(new TaskSpec(IMAGE, null, null, new ResourceRequirements(limits, reservations), null));
    }

    @Test
    void everyModeIsValid() {
        for (ServiceMode m : List.of(ServiceMode.replicated(3), ServiceMode.ofGlobal(), ServiceMode.ofReplicatedJob(2L, 10L), ServiceMode.ofGlobalJob())) {
            assertDoesNotThrow(() -> ServiceSpecValidator.validate(spec("web", m, new TaskSpec(IMAGE, null, null))), m.toString());
        }
    }

    @Test
    void twoModesAtOnce() {
        assertRefused("invalid Mode: 2 modes: must set exactly one of Replicated, Global, ReplicatedJob, GlobalJob",
                spec("web", new ServiceMode(new ServiceMode.Replicated(1L), new ServiceMode.Global(), null, null), new TaskSpec(IMAGE, null, null)));
    }

    @Test
    void jobWithZeroMaxConcurrent() {
        assertRefused("invalid Mode.ReplicatedJob.MaxConcurrent: 0: must be >= 1",
                spec("web", ServiceMode.ofReplicatedJob(0L, 5L), new TaskSpec(IMAGE, null, null)));
    }

    @Test
    void jobDefaultsFillInMaxConcurrentAndCompletions() {
        ServiceSpec stored = ServiceSpecValidator.withDefaults(spec("web", ServiceMode.ofReplicatedJob(null, null), new TaskSpec(IMAGE, null, null)));
        assertEquals(1L, stored.mode().replicatedJob().maxConcurrent());
        assertEquals(1L, stored.mode().replicatedJob().totalCompletions());
        ServiceSpec four = ServiceSpecValidator.withDefaults(spec("web", ServiceMode.ofReplicatedJob(4L, null), new TaskSpec(IMAGE, null, null)));
        assertEquals(4L, four.mode().replicatedJob().totalCompletions());
    }

    @Test
    void malformedConstraint() {
        assertRefused("invalid TaskTemplate.Placement.Constraints[1]: \"node.role=manager\": malformed constraint \"node.role=manager\": "
                + "expected <key>==<value> or <key>!=<value>",
                withPlacement(new Placement(List.of("node.role==worker", "node.role=manager"), null, null, null)));
    }

    @Test
    void constraintWithEmptyValue() {
        assertRefused("invalid TaskTemplate.Placement.Constraints[0]: \"node.labels.zone==\": malformed constraint \"node.labels.zone==\": the value is empty",
                withPlacement(new Placement(List.of("node.labels.zone=="), null, null, null)));
    }

    @Test
    void unknownConstraintKey() {
        assertRefused("invalid TaskTemplate.Placement.Constraints[0]: \"node.colour==blue\": invalid constraint key \"node.colour\": must be one of "
                + "node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<label> or engine.labels.<label>",
                withPlacement(new Placement(List.of("node.colour==blue"), null, null, null)));
    }

    @Test
    void spreadOverUnknownAttribute() {
        assertRefused("invalid TaskTemplate.Placement.Preferences[0].Spread.SpreadDescriptor: \"zone\": invalid spread preference key \"zone\": must be one of "
                + "node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<label> or engine.labels.<label>",
                withPlacement(new Placement(null, List.of(Placement.Preference.spread("zone")), null, null)));
    }

    @Test
    void preferenceWithNothingSet() {
        assertRefused("invalid TaskTemplate.Placement.Preferences[0]: {}: must set exactly one of Spread, Avoid",
                withPlacement(new Placement(null, List.of(new Placement.Preference(null, null)), null, null)));
    }

    @Test
    void negativeMaxReplicasPerNode() {
        assertRefused("invalid TaskTemplate.Placement.MaxReplicas: -1: must be >= 0", withPlacement(new Placement(null, null, -1L, null)));
    }

    @Test
    void maxReplicasPerNodeOnAGlobalService() {
        assertRefused("invalid TaskTemplate.Placement.MaxReplicas: 2: only replicated services may limit replicas per node "
                + "(a global service runs one task per node)",
                spec("web", ServiceMode.ofGlobal(), new TaskSpec(IMAGE, null, null, null, new Placement(null, null, 2L, null))));
    }

    @Test
    void reservationAboveLimit() {
        assertRefused("invalid TaskTemplate.Resources.Reservations.MemoryBytes: 2147483648: must not exceed Limits.MemoryBytes (1073741824)",
                withResources(new ResourceRequirements.Resources(null, 1L << 30, null), new ResourceRequirements.Resources(null, 2L << 30, null)));
    }

    @Test
    void memoryLimitBelowDockersMinimum() {
        assertRefused("invalid TaskTemplate.Resources.Limits.MemoryBytes: 1024: must be at least 6 MiB (Docker's minimum)",
                withResources(new ResourceRequirements.Resources(null, 1024L, null), null));
    }

    @Test
    void negativeCpuLimit() {
        assertRefused("invalid TaskTemplate.Resources.Limits.NanoCPUs: -1: must be >= 0",
                withResources(new ResourceRequirements.Resources(-1L, null, null), null));
    }

    @Test
    void healthcheckWithUnknownKind() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Healthcheck.Test[0]: \"SHELL\": must be NONE, CMD or CMD-SHELL",
                withContainer(IMAGE.withHealthcheck(new HealthConfig(List.of("SHELL", "true"), null, null, null, null))));
    }

    @Test
    void healthcheckCmdWithoutCommand() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Healthcheck.Test: \"CMD-SHELL\": CMD-SHELL needs a command",
                withContainer(IMAGE.withHealthcheck(new HealthConfig(List.of("CMD-SHELL"), null, null, null, null))));
    }

    @Test
    void negativeHealthInterval() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Healthcheck.Interval: -1000000000: must be >= 0",
                withContainer(IMAGE.withHealthcheck(new HealthConfig(List.of("CMD", "true"), -1_000_000_000L, null, null, null))));
    }

    @Test
    void healthTimeoutBelowOneMillisecond() {
        assertRefused("invalid TaskTemplate.ContainerSpec.Healthcheck.Timeout: 500: must be 0 (the default) or at least 1 ms",
                withContainer(IMAGE.withHealthcheck(new HealthConfig(List.of("CMD", "true"), null, 500L, null, null))));
    }

    @Test
    void negativeUpdateDelay() {
        assertRefused("invalid UpdateConfig.Delay: -1: must be >= 0",
                withTemplate(new TaskSpec(IMAGE, null, null)).withUpdateConfig(new UpdateConfig(null, -1L, null, null, null, null)));
    }

    @Test
    void negativeRollbackMonitor() {
        assertRefused("invalid RollbackConfig.Monitor: -1: must be >= 0",
                withTemplate(new TaskSpec(IMAGE, null, null)).withRollbackConfig(new UpdateConfig(null, null, null, -1L, null, null)));
    }

    @Test
    void failureRatioAboveOne() {
        assertRefused("invalid UpdateConfig.MaxFailureRatio: 1.5: must be between 0 and 1",
                withTemplate(new TaskSpec(IMAGE, null, null)).withUpdateConfig(new UpdateConfig(null, null, null, null, 1.5, null)));
    }

    @Test
    void rollbackConfigThatRollsBack() {
        assertRefused("invalid RollbackConfig.FailureAction: \"rollback\": must be pause or continue (a rollback cannot roll back)",
                withTemplate(new TaskSpec(IMAGE, null, null)).withRollbackConfig(new UpdateConfig(null, null, UpdateConfig.FailureAction.ROLLBACK, null, null, null)));
    }

    @Test
    void portPublishedTwice() {
        EndpointSpec.PortConfig p = new EndpointSpec.PortConfig(null, null, 80L, 8080L, null);
        assertRefused("invalid EndpointSpec.Ports[1].PublishedPort: 8080: is published twice for tcp",
                withTemplate(new TaskSpec(IMAGE, null, null)).withEndpointSpec(new EndpointSpec(null, List.of(p, p))));
    }

    @Test
    void targetPortOutOfRange() {
        assertRefused("invalid EndpointSpec.Ports[0].TargetPort: 70000: must be between 1 and 65535",
                withTemplate(new TaskSpec(IMAGE, null, null)).withEndpointSpec(new EndpointSpec(null,
                        List.of(new EndpointSpec.PortConfig(null, null, 70000L, null, null)))));
    }

    @Test
    void ingressPortWithDnsRoundRobin() {
        assertRefused("invalid EndpointSpec.Ports[0].PublishMode: \"ingress\": cannot be used with endpoint mode dnsrr (use host)",
                withTemplate(new TaskSpec(IMAGE, null, null)).withEndpointSpec(new EndpointSpec(EndpointSpec.ResolutionMode.DNSRR,
                        List.of(new EndpointSpec.PortConfig(null, null, 80L, 8080L, null)))));
    }

    @Test
    void modeChangeOnUpdate() {
        ServiceSpec replicated = spec("web", ServiceMode.replicated(2), new TaskSpec(IMAGE, null, null));
        ApiException e = assertThrows(ApiException.class,
                () -> ServiceSpecValidator.validateUpdate(replicated, replicated.withMode(ServiceMode.ofGlobal())));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("invalid Mode: global: service web is replicated and its mode cannot be changed (remove it and create it again)", e.getMessage());
    }

    @Test
    void aFullOrchestrationSpecIsValid() {
        TaskSpec t = new TaskSpec(IMAGE.withHealthcheck(new HealthConfig(List.of("CMD-SHELL", "true"), 1_000_000_000L, 500_000_000L, 3L, 0L)),
                new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, 0L, 3L, 0L), 1L,
                new ResourceRequirements(new ResourceRequirements.Resources(500_000_000L, 64L << 20, 100L),
                        new ResourceRequirements.Resources(250_000_000L, 32L << 20, null)),
                new Placement(List.of("node.labels.zone!=west", "engine.labels.disk==ssd", "node.role==worker"),
                        List.of(Placement.Preference.spread("node.labels.zone"), Placement.Preference.avoid("db")), 2L,
                        List.of(new NodeDescription.Platform("amd64", "linux"))));
        assertDoesNotThrow(() -> ServiceSpecValidator.validate(withTemplate(t)
                .withUpdateConfig(new UpdateConfig(2L, 0L, UpdateConfig.FailureAction.ROLLBACK, 1_000_000_000L, 0.2, UpdateConfig.Order.START_FIRST))
                .withRollbackConfig(new UpdateConfig(0L, null, UpdateConfig.FailureAction.CONTINUE, null, null, null))
                .withEndpointSpec(new EndpointSpec(EndpointSpec.ResolutionMode.VIP, List.of(new EndpointSpec.PortConfig("http", EndpointSpec.Protocol.TCP, 80L, 8080L, EndpointSpec.PublishMode.HOST))))));
    }
}
