package dev.shoal.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
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
}
