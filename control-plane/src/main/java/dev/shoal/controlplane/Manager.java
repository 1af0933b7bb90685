package dev.shoal.controlplane;

import dev.shoal.api.Routes;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.Ids;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.model.ManagerStatus;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Version;
import dev.shoal.api.server.RouteTable;
import dev.shoal.controlplane.api.ControlApi;
import dev.shoal.controlplane.api.SwarmSpecs;
import dev.shoal.controlplane.dispatcher.Dispatcher;
import dev.shoal.controlplane.reconcile.ReconcileLoop;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.Transaction;
import io.netty.util.ReferenceCountUtil;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
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

    private final Config config;
    private final ClusterStore store;
    private final Scheduler work;
    private final ReconcileLoop.Runtime runtime;
    private final RouteTable api;
    private final Disposable leadership;
    private LeaderServices term;
    private boolean closed;

    private Manager(Config config, ClusterStore store) {
        this.config = config;
        this.store = store;
        this.work = Schedulers.newSingle("shoal-manager-" + config.self().shortForm(), true);
        this.runtime = new ReconcileLoop.Runtime(config.clock(), work,
                config.timers() == null ? work : config.timers(), config.coalesce());
        this.api = new ControlApi(store, config.clock(), config.self())
                .addRoutes(RouteTable.builder())
                .requestChannel(Routes.DISPATCHER_SESSION, this::session)
                .build();
        this.leadership = store.leadership()
                .distinctUntilChanged()
                .publishOn(work)
                .subscribe(this::leading, e -> log.error("the store's leadership stream failed; leader services stop", e));
    }

    /** Starts a manager over {@code store}; its leader services run whenever the store says it leads. */
    public static Manager start(Config config, ClusterStore store) {
        return new Manager(config, store);
    }

    private synchronized void leading(boolean leader) {
        if (closed) {
            return;
        }
        if (leader && term == null) {
            log.info("node {} leads the swarm: starting the leader services", config.self());
            term = LeaderServices.start(store, runtime);
        } else if (!leader && term != null) {
            log.info("node {} no longer leads the swarm: stopping the leader services", config.self());
            term.close();
            term = null;
        }
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
                return Flux.error(Dispatcher.notLeading());
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
                        Swarm swarm = new Swarm(Ids.random(), Version.ZERO, now, now, spec);
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
        String managerAddr = request == null ? null
                : request.advertiseAddr() != null ? request.advertiseAddr() : request.listenAddr();
        return new Node(config.self(), Version.ZERO, now, now, spec, self == null ? null : self.description(),
                new NodeStatus(NodeStatus.State.UNKNOWN, null, addr), new ManagerStatus(true, "reachable", managerAddr));
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
        return api;
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
        }
        leadership.dispose();
        work.dispose();
    }
}
