package dev.shoal.controlplane;

import dev.shoal.api.Routes;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.error.LeaderHint;
import dev.shoal.api.id.Ids;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.ManagerAddress;
import dev.shoal.api.message.NodeJoinRequest;
import dev.shoal.api.message.NodeRenewRequest;
import dev.shoal.api.message.RaftJoinRequest;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.model.ManagerStatus;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Version;
import dev.shoal.api.server.RouteTable;
import dev.shoal.ca.Role;
import dev.shoal.controlplane.api.ControlApi;
import dev.shoal.controlplane.api.NodeAdmin;
import dev.shoal.controlplane.api.SwarmSpecs;
import dev.shoal.controlplane.cluster.CaService;
import dev.shoal.controlplane.cluster.LeaderRouter;
import dev.shoal.controlplane.cluster.Peers;
import dev.shoal.controlplane.reconcile.Commits;
import dev.shoal.controlplane.reconcile.ReconcileLoop;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.Kind;
import dev.shoal.controlplane.store.RaftClusterStore;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import io.netty.util.ReferenceCountUtil;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A manager of the swarm, as the daemon runs it: the cluster API, and the leader services
 * (orchestrators, allocator, scheduler, dispatcher) whenever the store says this member leads.
 *
 * <p>Leadership: each {@code true} from {@link ClusterStore#leadership()} starts a fresh set of
 * leader services, each beginning with a full pass over the store; each {@code false} stops them
 * and ends the agents' sessions so they reconnect to the new leader. Nothing a leader service
 * needs lives outside the store, so a term picks up where the last one stopped.
 *
 * <p>The manager does not own the store: {@link #close()} stops the manager and leaves the store
 * running for its owner to close. Thread-safe; several managers may run in one JVM.
 */
public final class Manager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Manager.class);
    /** How long a change waits for more changes before a reconciler runs. */
    public static final Duration COALESCE_DEFAULT = Duration.ofMillis(2);
    /** How long {@link #bootstrap} waits for the store to elect this member. */
    public static final Duration LEADER_WAIT = Duration.ofSeconds(10);

    /**
     * What a manager is.
     *
     * @param self     this node's id
     * @param clock    the clock of timestamps, restart delays and heartbeat deadlines
     * @param timers   where deadlines are waited for; null for the manager's own thread (tests pass
     *                 a {@code VirtualTimeScheduler} whose time also drives {@code clock})
     * @param coalesce how long a store change waits for more before a reconciler runs; null for
     *                 {@link #COALESCE_DEFAULT}
     */
    public record Config(NodeId self, Clock clock, Scheduler timers, Duration coalesce) {
        public Config {
            Objects.requireNonNull(self, "self");
            Objects.requireNonNull(clock, "clock");
            coalesce = coalesce == null ? COALESCE_DEFAULT : coalesce;
        }

        public Config(NodeId self, Clock clock) {
            this(self, clock, null, null);
        }

        public Config withTimers(Scheduler t) {
            return new Config(self, clock, t, coalesce);
        }

        public Config withCoalesce(Duration c) {
            return new Config(self, clock, timers, c);
        }
    }

    /**
     * What a manager of a multi-node swarm has beyond its store: the Raft group's membership and a
     * way to dial other managers' APIs over mutual TLS (for forwarding to the leader).
     *
     * @param raft the store as a Raft member
     * @param dial a cached mutual-TLS connection to a manager's API, {@code host:port}
     */
    public record Cluster(RaftClusterStore raft, Function<String, Mono<RSocket>> dial) {}

    /** Routes a follower serves itself instead of forwarding to the leader. */
    static final Set<String> LOCAL_ROUTES = Set.of(Routes.NODE_RENEW, Routes.RAFT_JOIN, Routes.DISPATCHER_SESSION);

    private final Config config;
    private final ClusterStore store;
    private final Cluster cluster;
    private final CaService ca;
    private final RSocket routed;
    private final Scheduler work;
    private final ReconcileLoop.Runtime runtime;
    private final RouteTable api;
    private final Disposable leadership;
    private LeaderServices term;
    private Disposable membership;
    private final AtomicReference<Mono<Void>> membershipChanges =
            new AtomicReference<>(Mono.empty());
    private boolean closed;

    private Manager(Config config, ClusterStore store, Cluster cluster) {
        this.config = config;
        this.store = store;
        this.cluster = cluster;
        this.work = Schedulers.newSingle("shoal-manager-" + config.self().shortForm(), true);
        this.runtime = new ReconcileLoop.Runtime(config.clock(), work,
                config.timers() == null ? work : config.timers(), config.coalesce());
        this.ca = new CaService(store, config.clock(), this::managers);
        ControlApi control = new ControlApi(store, config.clock(), config.self(), this::leaderId,
                cluster == null ? null : new NodeAdmin(store, config.clock(), cluster.raft()));
        this.api = control
                .addRoutes(RouteTable.builder())
                .requestChannel(Routes.DISPATCHER_SESSION, this::session)
                .requestResponse(Routes.NODE_JOIN, NodeJoinRequest.class, ca::join)
                .requestResponse(Routes.NODE_RENEW, NodeRenewRequest.class,
                        r -> Peers.current().flatMap(peer -> ca.renew(peer.orElse(null), r)))
                .requestResponse(Routes.RAFT_JOIN, RaftJoinRequest.class, this::raftJoin)
                .build();
        this.routed = cluster == null ? api
                : new LeaderRouter(api, LOCAL_ROUTES, store::isLeader, this::leaderApiAddress, cluster.dial());
        this.leadership = store.leadership()
                .distinctUntilChanged()
                .publishOn(work)
                .subscribe(this::leading, e -> log.error("the store's leadership stream failed; leader services stop", e));
    }

    /** Starts a manager over {@code store}; its leader services run whenever the store says it leads. */
    public static Manager start(Config config, ClusterStore store) {
        return new Manager(config, store, null);
    }

    /** Starts a manager of a multi-node swarm: it forwards API requests to the leader when it does not lead. */
    public static Manager start(Config config, ClusterStore store, Cluster cluster) {
        return new Manager(config, store, Objects.requireNonNull(cluster, "cluster"));
    }

    // ---- the cluster: leader, managers, Raft membership ------------------------------------------

    private Optional<String> leaderId() {
        if (cluster == null) {
            return store.isLeader() ? Optional.of(config.self().value()) : Optional.empty();
        }
        return cluster.raft().leaderId();
    }

    /** The leader's API address from its node record; empty when no leader is known. */
    public Optional<String> leaderApiAddress() {
        return leaderId().flatMap(id -> {
            Node n = store.view().nodes().get(NodeId.of(id));
            return n == null || n.managerStatus() == null ? Optional.<String>empty()
                    : Optional.ofNullable(n.managerStatus().addr());
        });
    }

    /** Every manager: its API address from the store, its Raft address from the group. */
    private List<ManagerAddress> managers(StoreView view) {
        Map<String, String> raft = new HashMap<>();
        if (cluster != null) {
            cluster.raft().members().forEach(m -> raft.put(m.id(), m.address()));
        }
        return view.nodes().values().stream()
                .filter(n -> n.managerStatus() != null && n.managerStatus().addr() != null)
                .map(n -> new ManagerAddress(n.id().value(), n.managerStatus().addr(), raft.get(n.id().value())))
                .toList();
    }

    private Mono<Void> raftJoin(RaftJoinRequest request) {
        return Peers.current().flatMap(peer -> {
            if (cluster == null) {
                return Mono.error(new ApiException(ErrorCode.FAILED_PRECONDITION, "this manager does not run a Raft group of several members"));
            }
            if (peer.isEmpty() || peer.get().role() != Role.MANAGER) {
                return Mono.error(new ApiException(ErrorCode.PERMISSION_DENIED, "joining the Raft group needs a manager's certificate"));
            }
            // the leader first: a follower may not have applied the join of this node yet
            if (!store.isLeader()) {
                return Mono.error(LeaderHint.notLeader("this manager cannot change the Raft group: it is not the leader",
                        leaderApiAddress().orElse(null)));
            }
            String id = peer.get().nodeId();
            Node node = store.view().nodes().get(NodeId.of(id));
            if (node == null || node.spec().role() != NodeSpec.Role.MANAGER) {
                return Mono.error(new ApiException(ErrorCode.PERMISSION_DENIED, "node " + id + " is not a manager of this swarm"));
            }
            if (request.raftAddr() == null || request.raftAddr().isBlank() || request.raftAddr().lastIndexOf(':') < 1) {
                return Mono.error(ApiException.invalid("RaftAddr", "\"" + request.raftAddr() + "\"", "must be host:port"));
            }
            return serially(cluster.raft().addMember(new RaftClusterStore.Member(id, request.raftAddr())));
        });
    }

    /**
     * Runs Raft membership changes one after another: Ratis refuses a configuration change while
     * another is under way (two managers promoted at once would otherwise race).
     */
    private Mono<Void> serially(Mono<Void> change) {
        return membershipChanges.updateAndGet(previous -> previous.onErrorResume(e -> Mono.empty()).then(change).cache());
    }

    private synchronized void leading(boolean leader) {
        if (closed) {
            return;
        }
        if (leader && term == null) {
            log.info("node {} leads the swarm: starting the leader services", config.self());
            term = LeaderServices.start(store, runtime);
            if (cluster != null) {
                membership = store.watch()
                        .filter(e -> e.kind() == Kind.NODE)
                        .map(e -> Boolean.TRUE)
                        .startWith(Boolean.TRUE)
                        .sample(Duration.ofMillis(100))
                        .concatMap(ignored -> reconcileMembers().onErrorResume(e -> {
                            log.warn("Raft membership change failed, retrying at the next node change: {}", e.getMessage());
                            return Mono.empty();
                        }))
                        .subscribe();
            }
        } else if (!leader && term != null) {
            log.info("node {} no longer leads the swarm: stopping the leader services", config.self());
            term.close();
            term = null;
            if (membership != null) {
                membership.dispose();
                membership = null;
            }
        }
    }

    /**
     * The leader's membership reconciler: a Raft member whose node is no longer a manager (demoted
     * or removed) leaves the group; when that member is this leader, it hands leadership over
     * first and the next leader removes it.
     */
    private Mono<Void> reconcileMembers() {
        return Mono.defer(() -> {
            var view = store.view();
            if (view.swarm() == null) {
                return Mono.empty(); // not bootstrapped yet
            }
            for (RaftClusterStore.Member m : cluster.raft().members()) {
                Node node = view.nodes().get(NodeId.of(m.id()));
                // a member without a node record is one whose join has not been applied here yet
                if (node == null || node.spec().role() == NodeSpec.Role.MANAGER) {
                    continue;
                }
                if (m.id().equals(config.self().value())) {
                    log.info("this leader ({}) was demoted: handing leadership over", m.id());
                    return serially(cluster.raft().transferLeadership(null, Duration.ofSeconds(10)));
                }
                log.info("removing node {} from the Raft group: it is no longer a manager", m.id());
                return serially(cluster.raft().removeMember(m.id()));
            }
            return Mono.empty();
        });
    }

    private Flux<Payload> session(Flux<Payload> inbound) {
        LeaderServices t;
        synchronized (this) {
            t = term;
        }
        if (t == null) {
            return inbound.switchOnFirst((first, all) -> {
                if (first.hasValue()) {
                    ReferenceCountUtil.release(first.get());
                }
                return Flux.error(LeaderHint.notLeader("this manager is not the leader of the swarm",
                        leaderApiAddress().orElse(null)));
            });
        }
        return t.dispatcher().session(inbound);
    }

    /**
     * Makes the store a one-manager swarm: one transaction creating the swarm (a new random id, its
     * spec {@code request.spec()} over Docker's defaults) and this node (role manager, availability
     * active, status UNKNOWN until its agent says hello to the dispatcher). Waits up to
     * {@link #LEADER_WAIT} for the store to elect this member first.
     *
     * @param self this node as the daemon knows it (description, name, labels); its id is
     *             {@link Config#self()}
     * @return the swarm as committed; FAILED_PRECONDITION "this node is already part of a swarm"
     *         when the store has one, INVALID_ARGUMENT for a bad spec field, and nothing written
     */
    public Mono<Swarm> bootstrap(SwarmInitRequest request, Node self) {
        return bootstrap(request, self, new Swarm(Ids.random(), Version.ZERO, null, null, null));
    }

    /**
     * As {@link #bootstrap(SwarmInitRequest, Node)}, with the swarm's id and security material
     * (root CA, trust roots, join tokens) taken from {@code template}, so that this node's own
     * certificate, made before the store holds anything, names the right swarm.
     */
    public Mono<Swarm> bootstrap(SwarmInitRequest request, Node self, Swarm template) {
        return Mono.defer(() -> {
            SwarmSpec spec = SwarmSpecs.withDefaults(request == null ? null : request.spec());
            SwarmSpecs.validate(spec);
            if (store.view().swarm() != null) {
                throw alreadyInSwarm();
            }
            return store.leadership().filter(Boolean::booleanValue).next()
                    .timeout(LEADER_WAIT, Mono.error(() -> new ApiException(ErrorCode.UNAVAILABLE,
                            "the store elected no leader within " + LEADER_WAIT.toSeconds() + " s")))
                    .then(Mono.defer(() -> {
                        if (store.view().swarm() != null) {
                            throw alreadyInSwarm();
                        }
                        Instant now = config.clock().instant();
                        Swarm swarm = new Swarm(template.id(), Version.ZERO, now, now, spec, template.joinTokens(),
                                template.tlsInfo(), template.rootCa(), List.of());
                        return store.commit(Transaction.of(Change.create(swarm), Change.create(managerNode(request, self, now))))
                                .onErrorMap(e -> e instanceof ApiException a && a.code() == ErrorCode.ALREADY_EXISTS, e -> alreadyInSwarm())
                                .map(after -> after.swarm());
                    }));
        });
    }

    private Node managerNode(SwarmInitRequest request, Node self, Instant now) {
        NodeSpec given = self == null ? null : self.spec();
        NodeSpec spec = new NodeSpec(given == null ? null : given.name(), given == null ? null : given.labels(),
                NodeSpec.Role.MANAGER, NodeSpec.Availability.ACTIVE);
        String addr = self == null || self.status() == null ? null : self.status().addr();
        String managerAddr = self != null && self.managerStatus() != null && self.managerStatus().addr() != null
                ? self.managerStatus().addr()
                : request == null ? null : request.advertiseAddr() != null ? request.advertiseAddr() : request.listenAddr();
        return new Node(config.self(), Version.ZERO, now, now, spec, self == null ? null : self.description(),
                new NodeStatus(NodeStatus.State.UNKNOWN, null, addr), new ManagerStatus(true, "reachable", managerAddr));
    }

    /**
     * Writes a saved state into an empty store ({@code --force-new-cluster}), in batches, once this
     * member leads. Refused when the store already holds a swarm.
     */
    public Mono<Void> restore(List<Change> creates) {
        return store.leadership().filter(Boolean::booleanValue).next()
                .timeout(LEADER_WAIT, Mono.error(() -> new ApiException(ErrorCode.UNAVAILABLE,
                        "the store elected no leader within " + LEADER_WAIT.toSeconds() + " s")))
                .then(Mono.defer(() -> {
                    if (store.view().swarm() != null) {
                        return Mono.error(alreadyInSwarm());
                    }
                    return Commits.inBatches(store, creates);
                }));
    }

    private static ApiException alreadyInSwarm() {
        return new ApiException(ErrorCode.FAILED_PRECONDITION, "this node is already part of a swarm");
    }

    /**
     * The cluster API as one RSocket: every route of {@link Routes} but {@code system.info},
     * {@code swarm.init} and {@code swarm.leave}, which the daemon serves (falling back to this
     * table for the rest). {@code dispatcher.session} is served while this manager leads and is
     * refused with UNAVAILABLE otherwise.
     */
    public RSocket api() {
        return routed;
    }

    /** Stops the leader services and the manager's thread; the store stays open. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (term != null) {
                term.close();
                term = null;
            }
            if (membership != null) {
                membership.dispose();
            }
        }
        leadership.dispose();
        work.dispose();
    }
}
