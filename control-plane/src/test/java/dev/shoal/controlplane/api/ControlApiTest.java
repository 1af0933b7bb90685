package dev.shoal.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.message.EventFilter;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Event;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.api.model.Version;
import dev.shoal.api.server.RouteTable;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.testing.Fixtures;
import dev.shoal.controlplane.testing.TestStore;
import dev.shoal.controlplane.testing.Views;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.local.LocalServerTransport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The cluster routes over a real RSocket connection and a real store, with no leader services
 * running: every write seen in the store is the API's own. Each refused request is checked to
 * have written nothing (the store's index does not move).
 */
class ControlApiTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private TestStore store;
    private Disposable server;
    private ShoalClient client;
    private final NodeId self = NodeId.random();

    @BeforeEach
    void start() {
        store = TestStore.start();
        RouteTable table = new ControlApi(store.store(), Clock.systemUTC(), self).addRoutes(RouteTable.builder()).build();
        String name = "api-" + UUID.randomUUID();
        server = RSocketServer.create((setup, peer) -> Mono.just(table)).bind(LocalServerTransport.create(name)).block();
        RSocket socket = ShoalClient.connector().connect(LocalClientTransport.create(name)).block(TestStore.WAIT);
        client = ShoalClient.of(socket);
    }

    @AfterEach
    void stop() {
        client.close();
        server.dispose();
        store.close();
    }

    private ApiException refusedWritingNothing(ErrorCode code, Supplier<Mono<?>> call) {
        StoreView before = store.view();
        ApiException e = assertThrows(ApiException.class, () -> call.get().block(TestStore.WAIT));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(before, store.view(), "a refused request wrote to the store");
        return e;
    }

    private Service create(ServiceSpec spec) {
        ServiceId id = client.serviceCreate(spec).block(TestStore.WAIT).id();
        return store.view().services().get(id);
    }

    // ---- swarm and nodes ------------------------------------------------------------------------

    @Test
    void swarmInspectBeforeInitIsFailedPrecondition() {
        ApiException e = refusedWritingNothing(ErrorCode.FAILED_PRECONDITION, () -> client.swarmInspect());
        assertEquals("this node is not part of a swarm", e.getMessage());
    }

    @Test
    void swarmInspectReturnsTheSwarm() {
        store.commit(Change.create(Fixtures.swarm(SwarmSpec.defaults(), T0)));
        assertEquals("default", client.swarmInspect().block(TestStore.WAIT).spec().name());
    }

    @Test
    void nodeInspectFindsSelfByIdPrefixAndHostname() {
        Node me = new Node(self, Version.ZERO, T0, T0, null, Fixtures.description("alpha"), null, null);
        Node other = Fixtures.readyNode("beta", T0);
        store.commit(Change.create(me), Change.create(other));
        assertEquals(self, client.nodeInspect("self").block(TestStore.WAIT).id());
        assertEquals(other.id(), client.nodeInspect("beta").block(TestStore.WAIT).id());
        assertEquals(other.id(), client.nodeInspect(other.id().value().substring(0, 20)).block(TestStore.WAIT).id());
        assertEquals(List.of("alpha", "beta"), client.nodeList().map(n -> n.description().hostname()).collectList().block(TestStore.WAIT));
        ApiException e = refusedWritingNothing(ErrorCode.NOT_FOUND, () -> client.nodeInspect("gamma"));
        assertEquals("node gamma not found", e.getMessage());
    }

    // ---- service.create -------------------------------------------------------------------------

    @Test
    void createStoresTheServiceWithOneReplicaByDefault() {
        ServiceSpec spec = new ServiceSpec("web", null, new TaskSpec(ContainerSpec.of("busybox"), null, null), null);
        Service s = create(spec);
        assertEquals("web", s.spec().name());
        assertEquals(1L, s.spec().mode().replicated().replicas());
        assertNotNull(s.createdAt());
        assertTrue(s.version().index() > 0);
    }

    @Test
    void createWithNegativeReplicasWritesNothing() {
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceCreate(Fixtures.spec("web", -1)));
        assertEquals("invalid Mode.Replicated.Replicas: -1: must be >= 0", e.getMessage());
    }

    @Test
    void createWithEmptyNameWritesNothing() {
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceCreate(Fixtures.spec("", 1)));
        assertEquals("invalid Name: \"\": must not be empty", e.getMessage());
    }

    @Test
    void createWithBadNameCharactersWritesNothing() {
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceCreate(Fixtures.spec("web app", 1)));
        assertTrue(e.getMessage().startsWith("invalid Name: \"web app\": must start with a letter or digit"), e.getMessage());
    }

    @Test
    void createWithoutImageWritesNothing() {
        ServiceSpec spec = new ServiceSpec("web", null, new TaskSpec(new ContainerSpec(null, null, null, null, null, null, null), null, null), null);
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceCreate(spec));
        assertEquals("invalid TaskTemplate.ContainerSpec.Image: \"\": must not be empty", e.getMessage());
    }

    @Test
    void createWithNegativeRestartDelayWritesNothing() {
        ServiceSpec spec = Fixtures.spec("web", 1, new dev.shoal.api.model.RestartPolicy(null, -1L, null, null));
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceCreate(spec));
        assertEquals("invalid TaskTemplate.RestartPolicy.Delay: -1: must be >= 0", e.getMessage());
    }

    @Test
    void createWithAnUnknownFieldWritesNothing() {
        byte[] body = "{\"Name\":\"web\",\"Replicas\":3}".getBytes(StandardCharsets.UTF_8);
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.callRaw(Routes.SERVICE_CREATE, body));
        assertTrue(e.getMessage().startsWith("malformed request: unknown field \"Replicas\""), e.getMessage());
    }

    @Test
    void createWithATakenNameIsAlreadyExistsAndWritesNothing() {
        Service first = create(Fixtures.spec("web", 1));
        ApiException e = refusedWritingNothing(ErrorCode.ALREADY_EXISTS, () -> client.serviceCreate(Fixtures.spec("web", 2)));
        assertEquals("service name web is already in use by service " + first.id(), e.getMessage());
    }

    // ---- lookups --------------------------------------------------------------------------------

    @Test
    void servicesAreFoundByIdUniquePrefixAndName() {
        Service s = create(Fixtures.spec("web", 1));
        assertEquals(s.id(), client.serviceInspect(s.id().value()).block(TestStore.WAIT).id());
        assertEquals(s.id(), client.serviceInspect(s.id().value().substring(0, 5)).block(TestStore.WAIT).id());
        assertEquals(s.id(), client.serviceInspect("web").block(TestStore.WAIT).id());
    }

    @Test
    void anAmbiguousPrefixNamesTheCandidates() {
        Service a = new Service(ServiceId.of("abc" + "1".repeat(22)), Version.ZERO, T0, T0, Fixtures.spec("a", 1), null);
        Service b = new Service(ServiceId.of("abc" + "2".repeat(22)), Version.ZERO, T0, T0, Fixtures.spec("b", 1), null);
        store.commit(Change.create(a), Change.create(b));
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceInspect("abc"));
        assertEquals("service abc is ambiguous: 2 services have an id starting with it (" + a.id() + ", " + b.id() + ")", e.getMessage());
        assertEquals(b.id(), client.serviceInspect("abc2").block(TestStore.WAIT).id());
    }

    @Test
    void anUnknownServiceIsNotFound() {
        ApiException e = refusedWritingNothing(ErrorCode.NOT_FOUND, () -> client.serviceInspect("nope"));
        assertEquals("service nope not found", e.getMessage());
    }

    @Test
    void servicesAreListedByName() {
        create(Fixtures.spec("web", 1));
        create(Fixtures.spec("api", 1));
        create(Fixtures.spec("db", 1));
        assertEquals(List.of("api", "db", "web"), client.serviceList().map(s -> s.spec().name()).collectList().block(TestStore.WAIT));
    }

    // ---- service.update -------------------------------------------------------------------------

    @Test
    void updateReplacesTheSpecAndKeepsThePreviousOne() {
        Service s = create(Fixtures.spec("web", 1));
        Service updated = client.serviceUpdate("web", s.version(), Fixtures.spec("web", 5)).block(TestStore.WAIT);
        assertEquals(5L, updated.spec().replicas());
        assertEquals(s.spec(), updated.previousSpec());
        assertTrue(updated.version().index() > s.version().index());
        assertEquals(updated, store.view().services().get(s.id()));
    }

    @Test
    void updateFromAStaleVersionIsConflictAndWritesNothing() {
        Service s = create(Fixtures.spec("web", 1));
        client.serviceUpdate("web", s.version(), Fixtures.spec("web", 2)).block(TestStore.WAIT);
        ApiException e = refusedWritingNothing(ErrorCode.CONFLICT, () -> client.serviceUpdate("web", s.version(), Fixtures.spec("web", 3)));
        assertTrue(e.getMessage().startsWith("update out of sequence: service web is at version "), e.getMessage());
        assertEquals(2L, store.view().services().get(s.id()).spec().replicas());
    }

    @Test
    void updateRenamingIsRefusedAndWritesNothing() {
        Service s = create(Fixtures.spec("web", 1));
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceUpdate("web", s.version(), Fixtures.spec("www", 1)));
        assertEquals("renaming services is not supported (service web cannot become www)", e.getMessage());
    }

    @Test
    void updateWithoutAVersionWritesNothing() {
        create(Fixtures.spec("web", 1));
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceUpdate("web", null, Fixtures.spec("web", 2)));
        assertEquals("invalid Version: null: must be the version the spec was read at", e.getMessage());
    }

    @Test
    void updateWithoutAnIdWritesNothing() {
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceUpdate(null, Version.ZERO, Fixtures.spec("web", 2)));
        assertEquals("invalid ID: \"\": must name a service by id, id prefix or name", e.getMessage());
    }

    @Test
    void updateWithABadSpecWritesNothing() {
        Service s = create(Fixtures.spec("web", 1));
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.serviceUpdate("web", s.version(), Fixtures.spec("web", -3)));
        assertEquals("invalid Mode.Replicated.Replicas: -3: must be >= 0", e.getMessage());
    }

    @Test
    void updateOfAnUnknownServiceIsNotFound() {
        ApiException e = refusedWritingNothing(ErrorCode.NOT_FOUND, () -> client.serviceUpdate("nope", Version.ZERO, Fixtures.spec("nope", 1)));
        assertEquals("service nope not found", e.getMessage());
    }

    @Test
    void updateOfTheTemplateStartsARollout() {
        Service s = create(Fixtures.spec("web", 2));
        Service scaled = client.serviceUpdate("web", s.version(), Fixtures.spec("web", 3)).block(TestStore.WAIT);
        assertNull(scaled.updateStatus(), "scaling alone is not a rollout");
        ServiceSpec newImage = scaled.spec().withTaskTemplate(scaled.spec().taskTemplate().withContainerSpec(ContainerSpec.of("busybox:2")));
        Service updated = client.serviceUpdate("web", scaled.version(), newImage).block(TestStore.WAIT);
        assertEquals(UpdateStatus.State.UPDATING, updated.updateStatus().state());
        assertEquals("update in progress", updated.updateStatus().message());
        assertNotNull(updated.updateStatus().startedAt());
        assertNull(updated.updateStatus().completedAt());
    }

    @Test
    void updateChangingTheModeIsRefusedAndWritesNothing() {
        Service s = create(Fixtures.spec("web", 1));
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT,
                () -> client.serviceUpdate("web", s.version(), s.spec().withMode(ServiceMode.ofGlobal())));
        assertEquals("invalid Mode: global: service web is replicated and its mode cannot be changed (remove it and create it again)", e.getMessage());
    }

    // ---- service.rollback -----------------------------------------------------------------------

    @Test
    void rollbackReturnsToThePreviousSpecAndBackAgain() {
        Service s = create(Fixtures.spec("web", 1));
        ServiceSpec v2 = s.spec().withTaskTemplate(s.spec().taskTemplate().withContainerSpec(ContainerSpec.of("busybox:2")));
        Service updated = client.serviceUpdate("web", s.version(), v2).block(TestStore.WAIT);
        Service rolledBack = client.serviceRollback("web", updated.version()).block(TestStore.WAIT);
        assertEquals(s.spec(), rolledBack.spec());
        assertEquals(v2, rolledBack.previousSpec());
        assertEquals(UpdateStatus.State.ROLLBACK_STARTED, rolledBack.updateStatus().state());
        assertEquals("manually requested rollback", rolledBack.updateStatus().message());
        assertEquals(rolledBack, store.view().services().get(s.id()));
        Service again = client.serviceRollback("web", null).block(TestStore.WAIT);
        assertEquals(v2, again.spec(), "a second rollback returns to the spec the first one left, as in Docker");
    }

    @Test
    void rollbackWithNoPreviousSpecIsFailedPreconditionAndWritesNothing() {
        create(Fixtures.spec("web", 1));
        ApiException e = refusedWritingNothing(ErrorCode.FAILED_PRECONDITION, () -> client.serviceRollback("web", null));
        assertEquals("service web has no previous spec to roll back to (it was never updated)", e.getMessage());
    }

    @Test
    void rollbackFromAStaleVersionIsConflictAndWritesNothing() {
        Service s = create(Fixtures.spec("web", 1));
        client.serviceUpdate("web", s.version(), Fixtures.spec("web", 2)).block(TestStore.WAIT);
        ApiException e = refusedWritingNothing(ErrorCode.CONFLICT, () -> client.serviceRollback("web", s.version()));
        assertTrue(e.getMessage().startsWith("rollback out of sequence: service web is at version "), e.getMessage());
    }

    @Test
    void rollbackOfAnUnknownServiceIsNotFound() {
        ApiException e = refusedWritingNothing(ErrorCode.NOT_FOUND, () -> client.serviceRollback("nope", null));
        assertEquals("service nope not found", e.getMessage());
    }

    // ---- service.remove -------------------------------------------------------------------------

    @Test
    void removeDeletesTheServiceAndMarksItsTasksRemoveInOneCommit() {
        Service s = create(Fixtures.spec("web", 2));
        Task running = Fixtures.task(s, 1, TaskState.RUNNING, TaskState.RUNNING, NodeId.random(), T0);
        Task history = Fixtures.task(s, 1, TaskState.FAILED, TaskState.SHUTDOWN, NodeId.random(), T0.minusSeconds(10));
        store.commit(Change.create(running), Change.create(history));
        client.serviceRemove("web").block(TestStore.WAIT);
        StoreView view = store.view();
        assertNull(view.services().get(s.id()));
        Task runningAfter = view.tasks().get(running.id());
        Task historyAfter = view.tasks().get(history.id());
        assertEquals(TaskState.REMOVE, runningAfter.desiredState());
        assertEquals(TaskState.REMOVE, historyAfter.desiredState());
        assertEquals(view.index(), runningAfter.version().index(), "written by the last transaction");
        assertEquals(view.index(), historyAfter.version().index(), "written by the same transaction");
    }

    @Test
    void removeOfAnUnknownServiceIsNotFoundAndWritesNothing() {
        ApiException e = refusedWritingNothing(ErrorCode.NOT_FOUND, () -> client.serviceRemove("nope"));
        assertEquals("service nope not found", e.getMessage());
    }

    // ---- tasks ----------------------------------------------------------------------------------

    @Test
    void taskListFiltersByServiceNodeAndDesiredStateInSlotOrderNewestFirst() {
        Service web = create(Fixtures.spec("web", 2));
        Service api = create(Fixtures.spec("api", 1));
        Node n1 = Fixtures.readyNode("n1", T0);
        Node n2 = Fixtures.readyNode("n2", T0);
        Task web2 = Fixtures.task(web, 2, TaskState.RUNNING, TaskState.RUNNING, n1.id(), T0);
        Task web1old = Fixtures.task(web, 1, TaskState.FAILED, TaskState.SHUTDOWN, n2.id(), T0.minusSeconds(20));
        Task web1new = Fixtures.task(web, 1, TaskState.RUNNING, TaskState.RUNNING, n1.id(), T0.minusSeconds(5));
        Task api1 = Fixtures.task(api, 1, TaskState.RUNNING, TaskState.RUNNING, n2.id(), T0);
        store.commit(List.of(Change.create(n1), Change.create(n2), Change.create(web2), Change.create(web1old),
                Change.create(web1new), Change.create(api1)));

        assertEquals(List.of(api1.id(), web1new.id(), web1old.id(), web2.id()),
                client.taskList(TaskFilter.ALL).map(Task::id).collectList().block(TestStore.WAIT));
        assertEquals(List.of(web1new.id(), web1old.id(), web2.id()),
                client.taskList(new TaskFilter("web", null, null)).map(Task::id).collectList().block(TestStore.WAIT));
        assertEquals(List.of(web1new.id(), web2.id()),
                client.taskList(new TaskFilter(web.id().value().substring(0, 6), "n1", null)).map(Task::id).collectList().block(TestStore.WAIT));
        assertEquals(List.of(web1old.id()),
                client.taskList(new TaskFilter(null, null, List.of("shutdown"))).map(Task::id).collectList().block(TestStore.WAIT));
    }

    @Test
    void taskListRefusesAnUnknownDesiredState() {
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT,
                () -> client.taskList(new TaskFilter(null, null, List.of("running", "sleeping"))).collectList());
        assertEquals("invalid DesiredState[1]: \"sleeping\": must be a task state (running, shutdown, ...)", e.getMessage());
    }

    @Test
    void taskListOfAnUnknownServiceIsNotFound() {
        ApiException e = refusedWritingNothing(ErrorCode.NOT_FOUND, () -> client.taskList(new TaskFilter("nope", null, null)).collectList());
        assertEquals("service nope not found", e.getMessage());
    }

    @Test
    void taskInspectFindsATaskByIdPrefix() {
        Service web = create(Fixtures.spec("web", 1));
        Task t = Fixtures.task(web, 1, TaskState.NEW, TaskState.RUNNING, null, T0);
        store.commit(Change.create(t));
        assertEquals(t.id(), client.taskInspect(t.id().value().substring(0, 8)).block(TestStore.WAIT).id());
        ApiException e = refusedWritingNothing(ErrorCode.NOT_FOUND, () -> client.taskInspect("zzzz"));
        assertEquals("task zzzz not found", e.getMessage());
    }

    // ---- events ---------------------------------------------------------------------------------

    @Test
    void eventsStreamCommittedChangesAsDockerEvents() {
        Sinks.Many<Event> seen = Sinks.many().replay().all();
        Disposable subscription = client.events(new EventFilter(List.of("service"))).subscribe(seen::tryEmitNext);
        try {
            // the stream is live once a probe's event comes through: from then on nothing is missed
            for (int i = 0; seen.asFlux().next().timeout(Duration.ofMillis(100), Mono.empty()).block() == null; i++) {
                assertTrue(i < 50, "the events stream never started");
                create(Fixtures.spec("probe-" + i, 0));
            }
            Service s = create(Fixtures.spec("web", 1));
            client.serviceRemove("web").block(TestStore.WAIT);
            List<Event> got = seen.asFlux().filter(e -> "web".equals(e.actor().attributes().get("name"))).take(2)
                    .collectList().block(TestStore.WAIT);
            assertEquals("service", got.get(0).type());
            assertEquals("create", got.get(0).action());
            assertEquals(s.id().value(), got.get(0).actor().id());
            assertEquals(Map.of("name", "web"), got.get(0).actor().attributes());
            assertEquals("remove", got.get(1).action());
            assertTrue(got.get(1).index() > got.get(0).index());
            assertNotEquals(0, got.get(1).timeNano());
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void eventsRefuseAnUnknownType() {
        ApiException e = refusedWritingNothing(ErrorCode.INVALID_ARGUMENT, () -> client.events(new EventFilter(List.of("network"))).next());
        assertEquals("invalid Types: \"network\": must be one of swarm, node, service, task", e.getMessage());
    }

    @Test
    void tasksOfTheViewHelperSeeWhatTheApiWrote() {
        Service web = create(Fixtures.spec("web", 1));
        assertTrue(Views.tasksOf(store.view(), web.spec().name()).isEmpty(), "no orchestrator runs in this test");
    }
}
