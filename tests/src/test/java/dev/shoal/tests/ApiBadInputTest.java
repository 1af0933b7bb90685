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
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.UpdateConfig;
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
        // settled: the node ready and the task running, so nothing changes between a test's before and after
        Await.until(Duration.ofSeconds(30), "the node ready and the service running", () -> client.nodeInspect("self").block().isReady()
                && client.taskList(TaskFilter.ALL).collectList().block().stream()
                        .anyMatch(t -> t.status().state() == dev.shoal.api.model.TaskState.RUNNING));
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

    /** The swarm, nodes and services with their versions: what a refused request must leave untouched. */
    private String state() {
        List<Service> services = client.serviceList().collectList().block(Duration.ofSeconds(10));
        var nodes = client.nodeList().collectList().block(Duration.ofSeconds(10)).stream().map(n -> n.id() + "@" + n.version().index()).toList();
        return Json.writeString(services) + nodes + client.swarmInspect().block(Duration.ofSeconds(10)).version();
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

    // ---- orchestration (issue 4): each refused with the field named, nothing changed ---------------

    private static ServiceSpec placed(String name, String... constraints) {
        ServiceSpec base = spec(name, 1);
        return base.withTaskTemplate(base.taskTemplate().withPlacement(new Placement(List.of(constraints), null, null, null)));
    }

    @Test
    void unknownConstraintKeyIsRefused() {
        refused(ErrorCode.INVALID_ARGUMENT, "invalid TaskTemplate.Placement.Constraints[0]: \"node.colour==blue\": invalid constraint key \"node.colour\"",
                () -> client.serviceCreate(placed("badkey", "node.colour==blue")).block());
    }

    @Test
    void malformedConstraintIsRefused() {
        refused(ErrorCode.INVALID_ARGUMENT, "malformed constraint \"node.role=worker\": expected <key>==<value> or <key>!=<value>",
                () -> client.serviceCreate(placed("malformed", "node.role=worker")).block());
    }

    @Test
    void conflictingModesAreRefused() {
        ServiceSpec both = spec("twomodes", 1).withMode(new ServiceMode(new ServiceMode.Replicated(2L), new ServiceMode.Global(), null, null));
        refused(ErrorCode.INVALID_ARGUMENT, "invalid Mode: 2 modes: must set exactly one of Replicated, Global, ReplicatedJob, GlobalJob",
                () -> client.serviceCreate(both).block());
        ServiceSpec globalMax = spec("globalmax", 1).withMode(ServiceMode.ofGlobal());
        ServiceSpec limited = globalMax.withTaskTemplate(globalMax.taskTemplate().withPlacement(new Placement(null, null, 2L, null)));
        refused(ErrorCode.INVALID_ARGUMENT, "only replicated services may limit replicas per node",
                () -> client.serviceCreate(limited).block());
    }

    @Test
    void negativeDurationsAreRefused() {
        ServiceSpec base = spec("negdelay", 1);
        refused(ErrorCode.INVALID_ARGUMENT, "invalid UpdateConfig.Delay: -1000000000: must be >= 0",
                () -> client.serviceCreate(base.withUpdateConfig(new UpdateConfig(1L, -1_000_000_000L, null, null, null, null))).block());
        refused(ErrorCode.INVALID_ARGUMENT, "invalid TaskTemplate.ContainerSpec.Healthcheck.Interval: -5: must be >= 0",
                () -> client.serviceCreate(base.withTaskTemplate(base.taskTemplate().withContainerSpec(base.taskTemplate().containerSpec()
                        .withHealthcheck(new HealthConfig(List.of("CMD", "true"), -5L, null, null, null))))).block());
    }

    @Test
    void modeChangeOnUpdateIsRefused() {
        Service existing = client.serviceInspect("existing").block(Duration.ofSeconds(10));
        refused(ErrorCode.INVALID_ARGUMENT, "service existing is replicated and its mode cannot be changed",
                () -> client.serviceUpdate("existing", existing.version(), existing.spec().withMode(ServiceMode.ofGlobal())).block());
    }

    @Test
    void rollbackWithNoPreviousSpecIsRefused() {
        client.serviceCreate(spec("neverupdated", 0)).block(Duration.ofSeconds(10));
        stateBefore = state();
        refused(ErrorCode.FAILED_PRECONDITION, "service neverupdated has no previous spec to roll back to",
                () -> client.serviceRollback("neverupdated", null).block());
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

    // ---- the cluster routes ------------------------------------------------------------------

    @Test
    void malformedJoinTokenIsRefused() {
        refused(ErrorCode.INVALID_ARGUMENT, "invalid join token", () -> client.call(dev.shoal.api.Routes.NODE_JOIN,
                new dev.shoal.api.message.NodeJoinRequest("SWMTKN-2-abc-def", "AAAA", null, "127.0.0.1:2377"), java.util.Map.class).block());
    }

    @Test
    void csrThatIsNotBase64IsRefused() {
        String token = client.swarmInspect().block(Duration.ofSeconds(10)).joinTokens().worker();
        refused(ErrorCode.INVALID_ARGUMENT, "CSR", () -> client.call(dev.shoal.api.Routes.NODE_JOIN,
                new dev.shoal.api.message.NodeJoinRequest(token, "!!not base64!!", null, "127.0.0.1:2377"), java.util.Map.class).block());
    }

    @Test
    void csrThatIsNotPkcs10IsRefused() {
        String token = client.swarmInspect().block(Duration.ofSeconds(10)).joinTokens().worker();
        refused(ErrorCode.INVALID_ARGUMENT, "CSR", () -> client.call(dev.shoal.api.Routes.NODE_JOIN,
                new dev.shoal.api.message.NodeJoinRequest(token, "aGVsbG8gd29ybGQ=", null, "127.0.0.1:2377"), java.util.Map.class).block());
    }

    @Test
    void staleNodeVersionIsRefused() {
        var self = client.nodeInspect("self").block(Duration.ofSeconds(10));
        refused(ErrorCode.CONFLICT, "out of sequence", () -> client.call(dev.shoal.api.Routes.NODE_UPDATE,
                new dev.shoal.api.message.NodeUpdateRequest(self.id().value(), self.version().index() - 1, self.spec()),
                dev.shoal.api.model.Node.class).block());
    }

    @Test
    void demotingTheLastManagerIsRefused() {
        var self = client.nodeInspect("self").block(Duration.ofSeconds(10));
        var worker = new dev.shoal.api.model.NodeSpec(null, null, dev.shoal.api.model.NodeSpec.Role.WORKER, null);
        refused(ErrorCode.FAILED_PRECONDITION, "last manager", () -> client.call(dev.shoal.api.Routes.NODE_UPDATE,
                new dev.shoal.api.message.NodeUpdateRequest(self.id().value(), self.version().index(), worker),
                dev.shoal.api.model.Node.class).block());
    }

    @Test
    void removingAnUnknownNodeIsNotFound() {
        refused(ErrorCode.NOT_FOUND, "nosuchnode", () -> client.call(dev.shoal.api.Routes.NODE_REMOVE,
                new dev.shoal.api.message.NodeRemoveRequest("nosuchnode", true), java.util.Map.class).block());
    }

    @Test
    void certExpiryBelowOneHourIsRefused() {
        var spec = new dev.shoal.api.model.SwarmSpec(null, null, null, new dev.shoal.api.model.SwarmSpec.CaConfig(1_000_000_000L));
        refused(ErrorCode.INVALID_ARGUMENT, "CAConfig.NodeCertExpiry", () -> client.call(dev.shoal.api.Routes.SWARM_UPDATE,
                new dev.shoal.api.message.SwarmUpdateRequest(0, spec, false, false, false), dev.shoal.api.model.Swarm.class).block());
    }

    @Test
    void raftJoinWithoutACertificateIsRefused() {
        refused(ErrorCode.PERMISSION_DENIED, "certificate", () -> client.call(dev.shoal.api.Routes.RAFT_JOIN,
                new dev.shoal.api.message.RaftJoinRequest("127.0.0.1:1"), java.util.Map.class).block());
    }
}
