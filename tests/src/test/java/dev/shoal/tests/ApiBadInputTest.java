package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.Version;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad API requests against a real daemon over its unix control socket. Each kind of bad input has
 * its own test, which checks the error code, that the message names what is wrong, and that the
 * cluster state is exactly what it was before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiBadInputTest {
    TestDaemons.Handle daemon;
    ShoalClient client;
    String stateBefore;

    @BeforeAll
    void startSwarmWithOneService(@TempDir Path dir) {
        daemon = TestDaemons.start(dir, "process");
        client = daemon.client();
        client.swarmInit(new SwarmInitRequest("127.0.0.1:0", "127.0.0.1", null)).block(Duration.ofSeconds(30));
        client.serviceCreate(spec("existing", 1)).block(Duration.ofSeconds(10));
    }

    @AfterAll
    void stop() {
        daemon.leaveAndClose();
    }

    @BeforeEach
    void recordState() {
        stateBefore = state();
    }

    static ServiceSpec spec(String name, long replicas) {
        return new ServiceSpec(name, null,
                new TaskSpec(new ContainerSpec("process", List.of("/bin/sleep"), List.of("3600"), null, null, null, null), null, null),
                ServiceMode.replicated(replicas));
    }

    /** Services with their versions and spec: what a refused request must leave untouched. */
    private String state() {
        List<Service> services = client.serviceList().collectList().block(Duration.ofSeconds(10));
        return Json.writeString(services);
    }

    private ApiException refused(ErrorCode code, String messagePart, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), "message names the problem: " + e.getMessage());
        assertEquals(stateBefore, state(), "a refused request changes nothing");
        return e;
    }

    @Test
    void negativeReplicasAreRefused() {
        refused(ErrorCode.INVALID_ARGUMENT, "Replicas: -1: must be >= 0", () -> client.serviceCreate(spec("neg", -1)).block());
    }

    @Test
    void emptyServiceNameIsRefused() {
        refused(ErrorCode.INVALID_ARGUMENT, "Name", () -> client.serviceCreate(spec("", 1)).block());
    }

    @Test
    void serviceNameWithBadCharactersIsRefused() {
        refused(ErrorCode.INVALID_ARGUMENT, "Name", () -> client.serviceCreate(spec("web/../x", 1)).block());
    }

    @Test
    void duplicateServiceNameIsRefused() {
        refused(ErrorCode.ALREADY_EXISTS, "existing", () -> client.serviceCreate(spec("existing", 2)).block());
    }

    @Test
    void missingImageFieldIsRefused() {
        ServiceSpec noImage = new ServiceSpec("noimage", null,
                new TaskSpec(new ContainerSpec(null, null, List.of("x"), null, null, null, null), null, null), ServiceMode.replicated(1));
        refused(ErrorCode.INVALID_ARGUMENT, "Image", () -> client.serviceCreate(noImage).block());
    }

    @Test
    void unknownServiceIdIsNotFound() {
        refused(ErrorCode.NOT_FOUND, "nosuchservice", () -> client.serviceInspect("nosuchservice").block());
        refused(ErrorCode.NOT_FOUND, "nosuchservice", () -> client.serviceRemove("nosuchservice").block());
    }

    @Test
    void malformedJsonIsRefused() {
        refused(ErrorCode.INVALID_ARGUMENT, "malformed request",
                () -> client.callRaw(Routes.SERVICE_CREATE, "{\"Name\": \"x\", ".getBytes(StandardCharsets.UTF_8)).block());
    }

    @Test
    void misspeltFieldIsRefused() {
        refused(ErrorCode.INVALID_ARGUMENT, "unknown field \"Replica\"", () -> client.callRaw(Routes.SERVICE_CREATE,
                "{\"Name\":\"typo\",\"Mode\":{\"Replicated\":{\"Replica\":2}}}".getBytes(StandardCharsets.UTF_8)).block());
    }

    @Test
    void unknownRouteIsUnimplemented() {
        refused(ErrorCode.UNIMPLEMENTED, "unknown route: service.destroy",
                () -> client.callRaw("service.destroy", "{}".getBytes(StandardCharsets.UTF_8)).block());
    }

    @Test
    void oversizedPayloadIsRefused() {
        byte[] big = new byte[2 * Routes.MAX_REQUEST_BYTES];
        Arrays.fill(big, (byte) ' ');
        refused(ErrorCode.RESOURCE_EXHAUSTED, "request too large", () -> client.callRaw(Routes.SERVICE_CREATE, big).block());
    }

    @Test
    void versionConflictOnUpdateIsRefused() {
        Service s = client.serviceInspect("existing").block();
        Version stale = new Version(s.version().index() - 1);
        refused(ErrorCode.CONFLICT, "out of sequence", () -> client.serviceUpdate("existing", stale, s.spec().withReplicas(3)).block());
        // The current version still works, so the refusal was about the version alone.
        stateBefore = null;
        client.serviceUpdate("existing", s.version(), s.spec()).block(Duration.ofSeconds(10));
    }

    @Test
    void secondInitIsRefused() {
        refused(ErrorCode.FAILED_PRECONDITION, "already part of a swarm",
                () -> client.swarmInit(new SwarmInitRequest("127.0.0.1:0", "127.0.0.1", null)).block());
    }

    @Test
    void unknownTaskFilterServiceIsNotFound() {
        refused(ErrorCode.NOT_FOUND, "nosuchservice",
                () -> client.taskList(new TaskFilter("nosuchservice", null, null)).collectList().block());
    }
}
