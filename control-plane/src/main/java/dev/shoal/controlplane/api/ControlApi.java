package dev.shoal.controlplane.api;

import dev.shoal.api.Routes;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.message.EventFilter;
import dev.shoal.api.message.ObjectRef;
import dev.shoal.api.message.ServiceCreateResponse;
import dev.shoal.api.message.ServiceRollbackRequest;
import dev.shoal.api.message.ServiceUpdateRequest;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.Event;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.api.model.Version;
import dev.shoal.api.server.RouteTable;
import dev.shoal.controlplane.orchestrator.Tasks;
import dev.shoal.controlplane.reconcile.Commits;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.StoreEvent;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The handlers of the cluster routes ({@link Routes}): swarm, node, service, task and events.
 *
 * <p>Reads answer from this manager's view of the store. Writes are validated completely before
 * anything is committed, so a refused request writes nothing; the store re-checks names and
 * versions atomically. Lists are request-streams in a stable order: nodes by name, services by
 * name, tasks by service name, slot, then newest first. Handlers never block.
 */
public final class ControlApi {
    /** The event types {@code events} can filter on. */
    public static final List<String> EVENT_TYPES = List.of("swarm", "node", "service", "task");

    private static final Comparator<Node> NODE_ORDER = Comparator.comparing(ControlApi::nodeName, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Node::id);
    private static final Comparator<Task> TASK_ORDER = Comparator.comparing(Task::serviceName)
            .thenComparingLong(Task::slot)
            .thenComparing(Tasks.NEWEST_FIRST);

    private final ClusterStore store;
    private final Clock clock;
    private final NodeId self;

    private final java.util.function.Supplier<java.util.Optional<String>> leaderId;
    private final NodeAdmin admin;

    public ControlApi(ClusterStore store, Clock clock, NodeId self) {
        this(store, clock, self, () -> store.isLeader() ? java.util.Optional.of(self.value()) : java.util.Optional.empty(), null);
    }

    /**
     * @param leaderId the leading manager's node id, for {@code ManagerStatus.Leader}
     * @param admin    node and swarm administration; null where there is no Raft group (tests)
     */
    public ControlApi(ClusterStore store, Clock clock, NodeId self, java.util.function.Supplier<java.util.Optional<String>> leaderId, NodeAdmin admin) {
        this.store = store;
        this.clock = clock;
        this.self = self;
        this.leaderId = leaderId;
        this.admin = admin == null ? new NodeAdmin(store, clock, null) : admin;
    }

    /** Adds every route this class serves to {@code routes}. */
    public RouteTable.Builder addRoutes(RouteTable.Builder routes) {
        return routes
                .requestResponse(Routes.SWARM_INSPECT, Map.class, r -> swarmInspect())
                .requestStream(Routes.NODE_LIST, Map.class, r -> nodeList())
                .requestResponse(Routes.NODE_INSPECT, ObjectRef.class, this::nodeInspect)
                .requestResponse(Routes.SERVICE_CREATE, ServiceSpec.class, this::serviceCreate)
                .requestResponse(Routes.SERVICE_INSPECT, ObjectRef.class, this::serviceInspect)
                .requestResponse(Routes.SERVICE_UPDATE, ServiceUpdateRequest.class, this::serviceUpdate)
                .requestResponse(Routes.SERVICE_ROLLBACK, ServiceRollbackRequest.class, this::serviceRollback)
                .requestResponse(Routes.SERVICE_REMOVE, ObjectRef.class, this::serviceRemove)
                .requestStream(Routes.SERVICE_LIST, Map.class, r -> serviceList())
                .requestStream(Routes.TASK_LIST, TaskFilter.class, this::taskList)
                .requestResponse(Routes.TASK_INSPECT, ObjectRef.class, this::taskInspect)
                .requestStream(Routes.EVENTS, EventFilter.class, this::events)
                .requestResponse(Routes.NODE_UPDATE, dev.shoal.api.message.NodeUpdateRequest.class, admin::update)
                .requestResponse(Routes.NODE_REMOVE, dev.shoal.api.message.NodeRemoveRequest.class, admin::remove)
                .requestResponse(Routes.SWARM_UPDATE, dev.shoal.api.message.SwarmUpdateRequest.class, admin::updateSwarm);
    }

    // ---- swarm and nodes ------------------------------------------------------------------------

    public Mono<Swarm> swarmInspect() {
        return Mono.fromCallable(() -> {
            Swarm s = store.view().swarm();
            if (s == null) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, "this node is not part of a swarm");
            }
            return s.forClients();
        });
    }

    public Flux<Node> nodeList() {
        return Flux.defer(() -> {
            String leader = leaderId.get().orElse(null);
            return Flux.fromIterable(store.view().nodes().values().stream().sorted(NODE_ORDER).map(n -> withLeader(n, leader)).toList());
        });
    }

    /** A manager's status with {@code Leader} as Raft says now, and its reachability from its session. */
    private static Node withLeader(Node n, String leader) {
        if (n.managerStatus() == null) {
            return n;
        }
        boolean isLeader = n.id().value().equals(leader);
        String reachability = isLeader || n.isReady() ? "reachable" : "unreachable";
        return new Node(n.id(), n.version(), n.createdAt(), n.updatedAt(), n.spec(), n.description(), n.status(),
                new dev.shoal.api.model.ManagerStatus(isLeader, reachability, n.managerStatus().addr()));
    }

    /** One node by id, id prefix or name; {@code self} is this manager's node. */
    public Mono<Node> nodeInspect(ObjectRef ref) {
        return Mono.fromCallable(() -> withLeader(findNode(store.view(), ref.id()), leaderId.get().orElse(null)));
    }

    private Node findNode(StoreView view, String ref) {
        if ("self".equals(ref)) {
            Node n = view.nodes().get(self);
            if (n == null) {
                throw ApiException.notFound("node", "self (" + self + ")");
            }
            return n;
        }
        return Lookup.find("node", ref, view.nodes().values(), n -> n.id().value(), ControlApi::nodeName);
    }

    private static String nodeName(Node n) {
        if (n.spec() != null && n.spec().name() != null && !n.spec().name().isEmpty()) {
            return n.spec().name();
        }
        return n.description() == null ? null : n.description().hostname();
    }

    // ---- services -------------------------------------------------------------------------------

    public Mono<ServiceCreateResponse> serviceCreate(ServiceSpec spec) {
        return Mono.defer(() -> {
            ServiceSpecValidator.validate(spec);
            store.view().serviceByName(spec.name()).ifPresent(other -> {
                throw nameTaken(spec.name(), other);
            });
            Instant now = clock.instant();
            Service service = new Service(ServiceId.random(), Version.ZERO, now, now, ServiceSpecValidator.withDefaults(spec), null);
            return store.commit(Transaction.of(Change.create(service))).thenReturn(new ServiceCreateResponse(service.id()));
        });
    }

    public Mono<Service> serviceInspect(ObjectRef ref) {
        return Mono.fromCallable(() -> findService(store.view(), ref.id()));
    }

    /**
     * Replaces a service's spec. The request must quote the version it was read at (CONFLICT when
     * the service has changed since: "update out of sequence") and may not rename the service.
     */
    public Mono<Service> serviceUpdate(ServiceUpdateRequest request) {
        return Mono.defer(() -> {
            StoreView view = store.view();
            Service current = findService(view, request.id());
            if (request.version() == null) {
                throw ApiException.invalid("Version", "null", "must be the version the spec was read at");
            }
            ServiceSpecValidator.validate(request.spec());
            ServiceSpecValidator.validateUpdate(current.spec(), request.spec());
            if (!current.version().equals(request.version())) {
                throw new ApiException(ErrorCode.CONFLICT, "update out of sequence: service " + current.spec().name()
                        + " is at version " + current.version().index() + ", the request was based on version "
                        + request.version().index() + " (inspect it again and retry)");
            }
            Instant now = clock.instant();
            ServiceSpec next = ServiceSpecValidator.withDefaults(request.spec());
            Service updated = current.withSpec(next, now);
            if (!Objects.equals(next.taskTemplate(), current.spec().taskTemplate()) || next.rebalanceOrZero() != current.spec().rebalanceOrZero()) {
                // a new rollout starts; one in progress (or paused) is superseded
                updated = updated.withUpdateStatus(new UpdateStatus(UpdateStatus.State.UPDATING, now, null, "update in progress"));
            }
            return store.commit(Transaction.of(Change.update(updated))).map(after -> after.services().get(current.id()));
        });
    }

    /**
     * Returns a service to its previous spec (Docker's {@code service rollback}): the previous spec
     * becomes the spec and the current one the previous, and the updater rolls the tasks back with
     * the rollback config. FAILED_PRECONDITION, with nothing written, when there is no previous spec.
     */
    public Mono<Service> serviceRollback(ServiceRollbackRequest request) {
        return Mono.defer(() -> {
            Service current = findService(store.view(), request.id());
            if (request.version() != null && !current.version().equals(request.version())) {
                throw new ApiException(ErrorCode.CONFLICT, "rollback out of sequence: service " + current.spec().name()
                        + " is at version " + current.version().index() + ", the request was based on version "
                        + request.version().index() + " (inspect it again and retry)");
            }
            if (current.previousSpec() == null) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, "service " + current.spec().name()
                        + " has no previous spec to roll back to (it was never updated)");
            }
            Instant now = clock.instant();
            Service rolledBack = current.rolledBack(new UpdateStatus(UpdateStatus.State.ROLLBACK_STARTED, now, null,
                    "manually requested rollback"), now);
            return store.commit(Transaction.of(Change.update(rolledBack))).map(after -> after.services().get(current.id()));
        });
    }

    /** Deletes a service and gives all its tasks desired REMOVE, in one transaction. */
    public Mono<Void> serviceRemove(ObjectRef ref) {
        return Commits.withRetry(store, view -> {
            Service service = findService(view, ref.id());
            Instant now = clock.instant();
            List<Change> changes = new ArrayList<>();
            changes.add(Change.delete(service));
            for (Task t : view.tasksOf(service.id())) {
                if (t.desiredState().isBefore(TaskState.REMOVE)) {
                    changes.add(Change.update(t.withDesiredState(TaskState.REMOVE, now)));
                }
            }
            return changes;
        }).then();
    }

    public Flux<Service> serviceList() {
        return Flux.defer(() -> Flux.fromIterable(store.view().services().values().stream()
                .sorted(Comparator.comparing((Service s) -> s.spec().name()).thenComparing(Service::id))
                .toList()));
    }

    private static Service findService(StoreView view, String ref) {
        return Lookup.find("service", ref, view.services().values(), s -> s.id().value(), s -> s.spec().name());
    }

    /** The store's own wording, so that the pre-check and the store's atomic check read the same. */
    private static ApiException nameTaken(String name, Service other) {
        return new ApiException(ErrorCode.ALREADY_EXISTS, "service name " + name + " is already in use by service " + other.id().value());
    }

    // ---- tasks ----------------------------------------------------------------------------------

    public Flux<Task> taskList(TaskFilter filter) {
        return Flux.defer(() -> {
            StoreView view = store.view();
            Predicate<Task> keep = t -> true;
            if (filter.service() != null && !filter.service().isEmpty()) {
                ServiceId service = serviceOfTasks(view, filter.service());
                keep = keep.and(t -> t.serviceId().equals(service));
            }
            if (filter.node() != null && !filter.node().isEmpty()) {
                NodeId node = findNode(view, filter.node()).id();
                keep = keep.and(t -> node.equals(t.nodeId()));
            }
            if (filter.desiredState() != null && !filter.desiredState().isEmpty()) {
                Set<TaskState> states = desiredStates(filter.desiredState());
                keep = keep.and(t -> states.contains(t.desiredState()));
            }
            return Flux.fromIterable(view.tasks().values().stream().filter(keep).sorted(TASK_ORDER).toList());
        });
    }

    /** The service a task filter names; tasks of a removed service can still be listed by its full id. */
    private static ServiceId serviceOfTasks(StoreView view, String ref) {
        try {
            return findService(view, ref).id();
        } catch (ApiException e) {
            if (e.code() == ErrorCode.NOT_FOUND && view.tasks().values().stream().anyMatch(t -> t.serviceId().value().equals(ref))) {
                return ServiceId.of(ref);
            }
            throw e;
        }
    }

    private static Set<TaskState> desiredStates(List<String> names) {
        Set<TaskState> states = EnumSet.noneOf(TaskState.class);
        for (int i = 0; i < names.size(); i++) {
            try {
                states.add(TaskState.fromWire(names.get(i)));
            } catch (RuntimeException e) {
                throw ApiException.invalid("DesiredState[" + i + "]", ServiceSpecValidator.quote(names.get(i)),
                        "must be a task state (running, shutdown, ...)");
            }
        }
        return states;
    }

    public Mono<Task> taskInspect(ObjectRef ref) {
        return Mono.fromCallable(() -> Lookup.find("task", ref.id(), store.view().tasks().values(), t -> t.id().value(), t -> null));
    }

    // ---- events ---------------------------------------------------------------------------------

    /** Committed changes from now on, as Docker-shaped events, until the caller cancels. */
    public Flux<Event> events(EventFilter filter) {
        return Flux.defer(() -> {
            Set<String> types = filter.types() == null ? Set.of() : Set.copyOf(filter.types());
            for (String t : types) {
                if (!EVENT_TYPES.contains(t)) {
                    throw ApiException.invalid("Types", ServiceSpecValidator.quote(t), "must be one of " + String.join(", ", EVENT_TYPES));
                }
            }
            return store.watch()
                    .map(ControlApi::toEvent)
                    .filter(e -> types.isEmpty() || types.contains(e.type()));
        });
    }

    static Event toEvent(StoreEvent e) {
        Object o = e.after() != null ? e.after() : e.before();
        Map<String, String> attributes = new LinkedHashMap<>();
        switch (o) {
            case Swarm s -> attributes.put("name", s.spec().name());
            case Node n -> {
                putIfSet(attributes, "name", nodeName(n));
                putIfSet(attributes, "state", n.status() == null ? null : n.status().state().wireName());
            }
            case Service s -> attributes.put("name", s.spec().name());
            case Task t -> {
                attributes.put("name", t.serviceName() + "." + t.slot());
                attributes.put("state", t.state().wireName());
                attributes.put("desiredState", t.desiredState().wireName());
                putIfSet(attributes, "node", t.nodeId() == null ? null : t.nodeId().value());
            }
            case null, default -> { }
        }
        long nanos = e.time() == null ? 0 : e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano();
        return new Event(e.kind().name().toLowerCase(Locale.ROOT), e.action().name().toLowerCase(Locale.ROOT),
                new Event.Actor(e.id(), attributes), e.index(), nanos);
    }

    private static void putIfSet(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
