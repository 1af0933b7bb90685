package dev.shoal.controlplane.dispatcher;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.AgentMessage;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.Version;
import dev.shoal.api.server.RouteTable;
import dev.shoal.controlplane.reconcile.Commits;
import dev.shoal.controlplane.reconcile.ReconcileLoop;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.Kind;
import dev.shoal.controlplane.store.StoreEvent;
import io.rsocket.Payload;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The leader's end of the agents' sessions ({@code dispatcher.session}, a request-channel of JSON
 * {@link AgentMessage}s in and {@link Assignments} out). One instance lives
 * for one leadership term; {@link #close()} ends every session so that the agents reconnect to the
 * next leader.
 *
 * <p>A session:
 * <ol>
 *   <li>must open with a hello, else it fails with INVALID_ARGUMENT. The hello marks the node READY
 *       and records its description, creating the node (a worker) when it is new; for now any node
 *       that says hello is accepted (certificates come with the security issue). A second session
 *       of the same node replaces the first.</li>
 *   <li>then receives the node's complete assignment set at once and again whenever it changes
 *       (see {@link Session}), at most one set per {@link #ASSIGNMENTS_INTERVAL};</li>
 *   <li>sends heartbeats and status reports; every message counts as a sign of life, and reports are
 *       applied in batches ({@link StatusBatcher}).</li>
 * </ol>
 * When the session ends the node becomes DISCONNECTED; when it misses three heartbeat periods it
 * becomes DOWN (and its session, if still open, is ended), which makes the restart supervisor
 * replace its tasks.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** The shortest time between two assignment sets sent to one node: bursts of changes coalesce. */
    public static final Duration ASSIGNMENTS_INTERVAL = Duration.ofMillis(20);

    private final ClusterStore store;
    private final ReconcileLoop.Runtime runtime;
    private final Map<NodeId, Session> sessions = new ConcurrentHashMap<>();
    private final Map<NodeId, Instant> lastSeen = new ConcurrentHashMap<>();
    private final StatusBatcher statuses;
    private final Disposable watch;
    private final ReconcileLoop heartbeats;
    private volatile boolean closed;

    private Dispatcher(ClusterStore store, ReconcileLoop.Runtime runtime) {
        this.store = store;
        this.runtime = runtime;
        this.statuses = new StatusBatcher(store, runtime.clock(), runtime.work());
        this.watch = store.watch().filter(e -> e.kind() != Kind.SERVICE).subscribe(this::changed,
                e -> log.warn("the store's watch stream failed; assignment sets are no longer updated", e));
        this.heartbeats = ReconcileLoop.start("heartbeats", store,
                new HeartbeatMonitor(store, runtime.clock(), lastSeen, runtime.clock().instant(), this::nodeDown), runtime);
    }

    /** Starts serving sessions and watching heartbeats. */
    public static Dispatcher start(ClusterStore store, ReconcileLoop.Runtime runtime) {
        return new Dispatcher(store, runtime);
    }

    /** The handler of {@code dispatcher.session}: raw payloads in, encoded assignment sets out. */
    public Flux<Payload> session(Flux<Payload> inbound) {
        return inbound.map(p -> RouteTable.decode(p, AgentMessage.class))
                .switchOnFirst((first, messages) -> {
                    if (first.isOnError()) {
                        return Flux.error(first.getThrowable());
                    }
                    if (!first.hasValue()) {
                        return Flux.empty();
                    }
                    AgentMessage.Hello hello = first.get().hello();
                    if (hello == null) {
                        return Flux.error(new ApiException(ErrorCode.INVALID_ARGUMENT,
                                "the first message of a dispatcher session must be a hello"));
                    }
                    return open(hello, messages.skip(1));
                })
                .map(RouteTable::encode);
    }

    private Flux<Assignments> open(AgentMessage.Hello hello, Flux<AgentMessage> rest) {
        if (hello.nodeId() == null || hello.nodeId().isBlank()) {
            return Flux.error(ApiException.invalid("Hello.NodeID", "\"" + Objects.toString(hello.nodeId(), "") + "\"", "must not be empty"));
        }
        if (closed) {
            return Flux.error(notLeading());
        }
        return dev.shoal.controlplane.cluster.Peers.current().flatMapMany(peer -> {
            if (peer.isPresent() && !peer.get().nodeId().equals(hello.nodeId())) {
                return Flux.error(new ApiException(ErrorCode.PERMISSION_DENIED, "the hello names node " + hello.nodeId()
                        + " but the caller's certificate is node " + peer.get().nodeId()));
            }
            if (peer.isPresent() && store.view().nodes().get(NodeId.of(hello.nodeId())) == null) {
                return Flux.error(new ApiException(ErrorCode.PERMISSION_DENIED, "node " + hello.nodeId() + " is not part of this swarm"));
            }
            return openChecked(hello, rest);
        });
    }

    private Flux<Assignments> openChecked(AgentMessage.Hello hello, Flux<AgentMessage> rest) {
        NodeId node = NodeId.of(hello.nodeId());
        Session session = new Session(node, store, runtime.work(), ASSIGNMENTS_INTERVAL);
        return Flux.defer(() -> {
                    Session previous = sessions.put(node, session);
                    if (previous != null) {
                        previous.end(new ApiException(ErrorCode.UNAVAILABLE, "a newer session of node " + node + " replaced this one"));
                    }
                    lastSeen.put(node, runtime.clock().instant());
                    return register(node, hello.description()).thenMany(Flux.defer(() -> {
                        Disposable in = rest.subscribe(m -> received(session, m), session::end, () -> session.end(null));
                        session.changed();
                        return session.outbound().doFinally(s -> in.dispose());
                    }));
                })
                .doFinally(s -> ended(session));
    }

    private Mono<Void> register(NodeId id, NodeDescription description) {
        return Commits.withRetry(store, view -> {
            Instant now = runtime.clock().instant();
            Node existing = view.nodes().get(id);
            if (existing == null) {
                NodeSpec spec = new NodeSpec(null, null, NodeSpec.Role.WORKER, NodeSpec.Availability.ACTIVE);
                return List.of(Change.create(new Node(id, Version.ZERO, now, now, spec, description,
                        new NodeStatus(NodeStatus.State.READY, null, null), null)));
            }
            String addr = existing.status() == null ? null : existing.status().addr();
            Node ready = existing.withStatus(new NodeStatus(NodeStatus.State.READY, null, addr), now);
            return List.of(Change.update(description == null ? ready : ready.withDescription(description, now)));
        }).then();
    }

    private void received(Session session, AgentMessage m) {
        lastSeen.put(session.node, runtime.clock().instant());
        if (m.hello() != null) {
            session.end(new ApiException(ErrorCode.INVALID_ARGUMENT, "a dispatcher session says hello only once, as its first message"));
        } else if (m.updates() != null && !m.updates().isEmpty()) {
            statuses.submit(session.node, m.updates());
        }
    }

    /** The session is over; unless another one took its place, the node is DISCONNECTED. */
    private void ended(Session session) {
        if (!sessions.remove(session.node, session) || closed) {
            return;
        }
        Commits.withRetry(store, view -> {
            Node n = view.nodes().get(session.node);
            if (n == null || !n.isReady() || sessions.containsKey(session.node)) {
                return List.of();
            }
            String addr = n.status().addr();
            return List.of(Change.update(n.withStatus(new NodeStatus(NodeStatus.State.DISCONNECTED,
                    "node is currently trying to find new manager", addr), runtime.clock().instant())));
        }).subscribe(v -> { }, e -> log.debug("could not mark node {} disconnected: {}", session.node, e.toString()));
    }

    private void nodeDown(NodeId node) {
        Session s = sessions.get(node);
        if (s != null) {
            s.end(new ApiException(ErrorCode.UNAVAILABLE, "node " + node + " missed its heartbeats and is marked down; say hello again"));
        }
    }

    /**
     * A task change concerns its node's session; a change of a node's role concerns that node's;
     * a change of the managers (a manager's address) or of the swarm (heartbeat, trusted roots)
     * concerns every session, as each carries the node info.
     */
    private void changed(StoreEvent e) {
        switch (e.kind()) {
            case TASK -> {
                notify(e.before());
                notify(e.after());
            }
            case NODE -> {
                Node before = (Node) e.before();
                Node after = (Node) e.after();
                boolean managersChanged = before == null || after == null
                        || !Objects.equals(before.managerStatus() == null ? null : before.managerStatus().addr(),
                                after.managerStatus() == null ? null : after.managerStatus().addr());
                if (managersChanged) {
                    sessions.values().forEach(Session::changed);
                } else if (!Objects.equals(before.spec(), after.spec())) {
                    Session s = sessions.get(after.id());
                    if (s != null) {
                        s.changed();
                    }
                }
            }
            case SWARM -> sessions.values().forEach(Session::changed);
            default -> { }
        }
    }

    private void notify(Object task) {
        if (task instanceof Task t && t.nodeId() != null) {
            Session s = sessions.get(t.nodeId());
            if (s != null) {
                s.changed();
            }
        }
    }

    /** Why a session is refused or ended by a manager that does not lead: agents reconnect to the leader. */
    public static ApiException notLeading() {
        return new ApiException(ErrorCode.UNAVAILABLE, "this manager is not the leader of the swarm; reconnect to the leader");
    }

    /** Ends every session with UNAVAILABLE and stops watching; the store is left as it is. */
    @Override
    public void close() {
        closed = true;
        watch.dispose();
        heartbeats.dispose();
        for (Session s : sessions.values()) {
            s.end(notLeading());
        }
        sessions.clear();
    }
}
