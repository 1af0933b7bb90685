package dev.shoal.cli.daemon;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.SwarmJoinRequest;
import java.util.Map;
import dev.shoal.api.message.SwarmLeaveRequest;
import dev.shoal.api.message.SystemInfo;
import dev.shoal.api.model.ManagerStatus;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Version;
import dev.shoal.api.server.RouteTable;
import dev.shoal.cli.ShoalVersion;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.executor.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One Shoal node: {@code shoal daemon}. It owns the node's data directory and id, the executor, and
 * the control socket, whose route table serves {@code system.info}, {@code swarm.init} and
 * {@code swarm.leave} itself and hands every other route to the manager while this node is one
 * (before {@code swarm init} they fail with FAILED_PRECONDITION).
 *
 * <p>{@code swarm init} starts a {@link SwarmMember} (Raft store, manager, agent) and records
 * {@code swarm/state.json}; a daemon that starts with that file rejoins on its own, and the agent
 * re-adopts the tasks that kept running. Closing the daemon stops the member but leaves tasks
 * running; {@code swarm leave --force} stops them and deletes the swarm state.
 *
 * <p>No static state: several daemons, each with its own data directory, socket and Raft port, run
 * in one JVM. Threading: route handlers run on the socket's event loop and move the blocking work
 * of init and leave to the bounded elastic scheduler, where it runs under the lifecycle lock.
 */
public final class ShoalDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShoalDaemon.class);

    static final Duration INFO_TIMEOUT = Duration.ofSeconds(10);
    static final Duration STOP_MARGIN = Duration.ofSeconds(10);
    static final String DEFAULT_LISTEN_ADDR = "0.0.0.0:2377";
    static final int DEFAULT_MANAGER_PORT = 2377;
    static final String NOT_A_MANAGER = "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. "
            + "Please run this command on a manager node or promote the current node to a manager.";
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);
    static final String MANAGER_LEAVE_REFUSED = "You are attempting to leave the swarm on a node that is participating as a manager. "
            + "Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.";

    private final DaemonConfig config;
    private final DataDir dataDir;
    private volatile NodeId nodeId;
    private volatile NodeDescription description;
    private volatile Executor executor;
    private final Object lifecycle = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile SwarmMember member;
    private ControlSocket socket;

    private ShoalDaemon(DaemonConfig config, DataDir dataDir, NodeId nodeId, NodeDescription description, Executor executor) {
        this.config = config;
        this.dataDir = dataDir;
        this.nodeId = nodeId;
        this.description = description;
        this.executor = executor;
    }

    /**
     * Starts a node: locks the data directory, reads or makes the node id, starts the executor,
     * rejoins the swarm recorded in {@code swarm/state.json} if any, and listens on the control
     * socket. Blocking.
     *
     * @throws IllegalStateException or {@link UncheckedIOException} saying what could not start
     */
    public static ShoalDaemon start(DaemonConfig config) {
        DataDir dataDir = DataDir.open(config.dataDir());
        Executor executor = null;
        ShoalDaemon daemon = null;
        try {
            NodeId nodeId = dataDir.nodeId();
            executor = config.executor().create(nodeId, dataDir.executorDir());
            NodeDescription description = NodeDescriptions.of(config.hostname(), executor.name(), config.labels());
            daemon = new ShoalDaemon(config, dataDir, nodeId, description, executor);
            log.info("starting node {} ({}) with the {} executor, data in {}", nodeId, description.hostname(), executor.name(), config.dataDir());
            daemon.rejoin();
            daemon.socket = ControlSocket.bind(config.socket(), daemon.routes(), "shoal-control-" + nodeId.shortForm());
            return daemon;
        } catch (RuntimeException e) {
            if (daemon != null) {
                daemon.close();
            } else {
                if (executor != null) {
                    executor.close();
                }
                dataDir.close();
            }
            throw e;
        }
    }

    /** The address of the control socket, {@code unix:///path}, for {@code -H} and {@link ShoalClient}. */
    public String host() {
        return "unix://" + config.socket();
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public DaemonConfig config() {
        return config;
    }

    /** True while this node is in a swarm. */
    public boolean inSwarm() {
        return member != null;
    }

    /** Completes once {@link #close()} has finished. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    // ---- routes -------------------------------------------------------------------------------

    private RouteTable routes() {
        return RouteTable.builder()
                .requestResponse(Routes.SYSTEM_INFO, java.util.Map.class, ignored -> info())
                .requestResponse(Routes.SWARM_INIT, SwarmInitRequest.class,
                        request -> Mono.fromCallable(() -> init(request)).subscribeOn(Schedulers.boundedElastic()))
                .requestResponse(Routes.SWARM_LEAVE, SwarmLeaveRequest.class,
                        request -> Mono.fromRunnable(() -> leave(request.force())).subscribeOn(Schedulers.boundedElastic()))
                .requestResponse(Routes.SWARM_JOIN, SwarmJoinRequest.class,
                        request -> Mono.fromCallable(() -> join(request)).subscribeOn(Schedulers.boundedElastic()))
                .fallback(() -> {
                    SwarmMember m = member;
                    if (m == null) {
                        return null;
                    }
                    if (!m.isManager()) {
                        throw new ApiException(ErrorCode.FAILED_PRECONDITION, NOT_A_MANAGER);
                    }
                    return m.api();
                })
                .build();
    }

    private Mono<SystemInfo> info() {
        SwarmMember m = member;
        if (m == null) {
            return Mono.just(new SystemInfo(nodeId.value(), "inactive", false, null, 0, 0, executor.name(), ShoalVersion.version()));
        }
        if (!m.isManager()) {
            return Mono.just(new SystemInfo(nodeId.value(), "active", false, m.swarmId(), 0, 0, executor.name(), ShoalVersion.version()));
        }
        ShoalClient api = ShoalClient.of(m.api());
        return Mono.zip(api.swarmInspect(), api.nodeList().collectList())
                .map(t -> {
                    List<Node> nodes = t.getT2();
                    int managers = (int) nodes.stream().filter(n -> n.managerStatus() != null).count();
                    return new SystemInfo(nodeId.value(), "active", true, t.getT1().id(), managers, nodes.size(),
                            executor.name(), ShoalVersion.version());
                })
                .timeout(INFO_TIMEOUT);
    }

    // ---- swarm init, rejoin, leave --------------------------------------------------------------

    private Swarm init(SwarmInitRequest request) {
        synchronized (lifecycle) {
            checkOpen();
            if (request.forceNewCluster()) {
                return forceNewCluster();
            }
            if (member != null) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION,
                        "This node is already part of a swarm. Use \"shoal swarm leave\" to leave this swarm and join another one.");
            }
            SwarmAddresses addrs = SwarmAddresses.of(request.listenAddr(), request.advertiseAddr());
            SwarmInitRequest normalized = new SwarmInitRequest(addrs.listen(), addrs.advertise(), request.spec(), false,
                    request.caCert(), request.caKey());
            Instant now = config.clock().instant();
            Node self = new Node(nodeId, Version.ZERO, now, now,
                    new NodeSpec(null, null, NodeSpec.Role.MANAGER, NodeSpec.Availability.ACTIVE),
                    description,
                    new NodeStatus(NodeStatus.State.UNKNOWN, null, addrs.advertiseHost()),
                    new ManagerStatus(true, "reachable", addrs.advertise()));
            SwarmMember started;
            try {
                started = SwarmMember.init(settings(), executor, normalized, self, addrs);
            } catch (RuntimeException e) {
                deleteSwarmDir();
                throw e;
            }
            try {
                new SwarmState(started.swarmId(), SwarmState.MANAGER, addrs.listen(), started.managerAddr(), started.raftAddr(), now, List.of())
                        .write(dataDir.swarmStateFile());
            } catch (RuntimeException e) {
                started.close();
                deleteSwarmDir();
                throw new ApiException(ErrorCode.INTERNAL, e.getMessage());
            }
            Swarm swarm = ShoalClient.of(started.api()).swarmInspect().block(INFO_TIMEOUT);
            member = started;
            log.info("swarm {} initialized: node {} is now a manager (advertise {}, listen {})", swarm.id(), nodeId, addrs.advertise(), addrs.listen());
            return swarm;
        }
    }

    /** {@code swarm init --force-new-cluster}: a new one-manager group from this manager's state. Under the lifecycle lock. */
    private Swarm forceNewCluster() {
        SwarmMember m = member;
        SwarmState state = SwarmState.read(dataDir.swarmStateFile());
        if (m == null || state == null) {
            throw new ApiException(ErrorCode.FAILED_PRECONDITION,
                    "--force-new-cluster needs a manager that was in a swarm; this node is not part of one");
        }
        member = null;
        SwarmMember started = SwarmMember.forceNewCluster(settings(), executor, m, state);
        member = started;
        return ShoalClient.of(started.api()).swarmInspect().block(INFO_TIMEOUT);
    }

    /** At start: rejoin the swarm recorded on disk, if any. */
    private void rejoin() {
        SwarmState state = SwarmState.read(dataDir.swarmStateFile());
        if (state == null) {
            return;
        }
        log.info("rejoining swarm {} as a {} (from {})", state.swarmId(), state.role(), dataDir.swarmStateFile());
        try {
            member = SwarmMember.rejoin(settings(), executor, state);
        } catch (ApiException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new IllegalStateException("cannot rejoin swarm " + state.swarmId() + ": " + e.getMessage()
                    + " (to start outside the swarm, move " + dataDir.swarmDir() + " away)", e);
        }
    }

    private void leave(boolean force) {
        synchronized (lifecycle) {
            checkOpen();
            SwarmMember m = member;
            if (m == null) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, "This node is not part of a swarm");
            }
            if (!force && m.isManager()) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, MANAGER_LEAVE_REFUSED);
            }
            member = null;
            m.stopAgent();
            stopAllTasks();
            m.close();
            deleteSwarmDir();
            log.info("node {} left the swarm", nodeId);
        }
    }

    /** Stops and removes every instance of this node, each with its own grace period. */
    private void stopAllTasks() {
        List<Instance> instances = executor.instances().collectList().block(INFO_TIMEOUT);
        if (instances == null || instances.isEmpty()) {
            return;
        }
        Duration longest = instances.stream().map(Instance::stopGracePeriod).max(Duration::compareTo).orElse(Duration.ZERO);
        log.info("stopping {} task(s) of this node", instances.size());
        Flux.fromIterable(instances)
                .flatMap(i -> executor.controller(i).stop(i.stopGracePeriod())
                        .then(executor.controller(i).remove())
                        .onErrorResume(e -> {
                            log.warn("cannot stop task {} ({}): {}", i.taskId(), i.name(), e.toString());
                            return Mono.empty();
                        }))
                .then()
                .block(longest.plus(STOP_MARGIN));
    }

    private void deleteSwarmDir() {
        try {
            DataDir.deleteRecursively(dataDir.swarmDir());
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", dataDir.swarmDir(), e.toString());
        }
    }

    private SwarmMember.Settings settings() {
        return new SwarmMember.Settings(nodeId, description, dataDir.swarmDir(), config.raftPort(), config.clock(), events);
    }

    private final SwarmMember.Events events = new SwarmMember.Events() {
        @Override
        public void roleChanged(dev.shoal.ca.Role role) {
            Schedulers.boundedElastic().schedule(() -> changeRole(role));
        }

        @Override
        public void managersChanged(List<String> managers) {
            synchronized (lifecycle) {
                SwarmState state = SwarmState.read(dataDir.swarmStateFile());
                if (state != null && !state.isManager() && member != null) {
                    new SwarmState(state.swarmId(), state.role(), state.listenAddr(), state.advertiseAddr(), state.raftAddr(),
                            state.joinedAt(), managers).write(dataDir.swarmStateFile());
                }
            }
        }
    };

    /**
     * A promotion or demotion took effect in this node's certificate: the swarm parts restart in
     * the new role (tasks keep running and are re-adopted). A promoted node starts a Raft member
     * and asks the leader to add it; a demoted one stops its manager (the leader has taken it out
     * of the Raft group, or does so now) and deletes its Raft storage.
     */
    private void changeRole(dev.shoal.ca.Role role) {
        synchronized (lifecycle) {
            SwarmMember m = member;
            SwarmState state = SwarmState.read(dataDir.swarmStateFile());
            if (closed.get() || m == null || state == null) {
                return;
            }
            boolean toManager = role == dev.shoal.ca.Role.MANAGER;
            if (toManager == m.isManager()) {
                return;
            }
            log.info("node {} becomes a {}", nodeId, toManager ? "manager" : "worker");
            var credentials = m.credentials();
            List<String> managers = m.isManager() ? m.knownManagers() : state.managers();
            if (!toManager) {
                m.awaitLeftRaft(Duration.ofSeconds(30));
            }
            member = null;
            m.close();
            SwarmAddresses addrs = new SwarmAddresses(state.listenAddr(), state.advertiseAddr());
            SwarmMember next;
            try {
                if (toManager) {
                    next = SwarmMember.joinAsManager(settings(), executor, credentials, addrs, managers);
                } else {
                    DataDir.deleteRecursively(settings().raftDir());
                    next = SwarmMember.joinAsWorker(settings(), executor, credentials, managers);
                }
            } catch (RuntimeException | IOException e) {
                log.error("node {} could not restart as a {}: {}", nodeId, toManager ? "manager" : "worker", e.toString());
                return;
            }
            member = next;
            new SwarmState(state.swarmId(), toManager ? SwarmState.MANAGER : SwarmState.WORKER, state.listenAddr(),
                    next.isManager() ? next.managerAddr() : state.advertiseAddr(), next.raftAddr(), state.joinedAt(),
                    managers).write(dataDir.swarmStateFile());
        }
    }

    /**
     * {@code swarm join}: dial the managers in turn over TLS, trusting only a chain whose root
     * matches the token's CA digest; prove the token and send a CSR; take the node id, role and
     * certificate the CA gives; then run as that node (a new executor under the new id, which has no
     * tasks yet) and record the swarm on disk.
     */
    private Map<String, String> join(SwarmJoinRequest request) {
        synchronized (lifecycle) {
            checkOpen();
            if (member != null) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION,
                        "This node is already part of a swarm. Use \"shoal swarm leave\" to leave this swarm and join another one.");
            }
            SwarmJoin.Joined joined = SwarmJoin.request(request, description, config.clock(), JOIN_TIMEOUT);
            NodeId assigned = NodeId.of(joined.response().nodeId());
            SwarmMember started = null;
            try {
                adoptNodeId(assigned);
                SwarmMember.writeCredentials(joined.credentials(), settings().certDir());
                List<String> managers = joined.response().managers().stream().map(dev.shoal.api.message.ManagerAddress::addr).toList();
                boolean manager = "manager".equals(joined.response().role());
                started = manager
                        ? SwarmMember.joinAsManager(settings(), executor, joined.credentials(), joined.addresses(), managers)
                        : SwarmMember.joinAsWorker(settings(), executor, joined.credentials(), managers);
                new SwarmState(joined.response().swarmId(), manager ? SwarmState.MANAGER : SwarmState.WORKER,
                        joined.addresses().listen(), joined.addresses().advertise(), started.raftAddr(), config.clock().instant(), managers)
                        .write(dataDir.swarmStateFile());
            } catch (RuntimeException e) {
                if (started != null) {
                    started.close();
                }
                deleteSwarmDir();
                throw e instanceof ApiException ? e : new ApiException(ErrorCode.INTERNAL, "cannot join the swarm: " + e.getMessage());
            }
            member = started;
            log.info("node {} joined swarm {} as a {}", nodeId, joined.response().swarmId(), joined.response().role());
            return Map.of();
        }
    }

    /** Takes the node id the CA chose: written to disk, and a new executor labelling with it. */
    private void adoptNodeId(NodeId assigned) {
        if (assigned.equals(nodeId)) {
            return;
        }
        dataDir.writeNodeId(assigned);
        executor.close(); // it holds the executor directory's lock; it has no tasks outside a swarm
        executor = config.executor().create(assigned, dataDir.executorDir());
        nodeId = assigned;
        log.info("this node's id is now {} (chosen by the swarm's CA)", assigned);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new ApiException(ErrorCode.UNAVAILABLE, "the daemon is shutting down");
        }
    }

    /**
     * Stops the node: the control socket, then the agent, manager and store, then the executor.
     * Tasks keep running, for the next start to re-adopt. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            terminated.join();
            return;
        }
        log.info("shutting down node {}", nodeId);
        try {
            if (socket != null) {
                socket.close();
            }
            synchronized (lifecycle) {
                SwarmMember m = member;
                member = null;
                if (m != null) {
                    m.close();
                }
            }
            executor.close();
        } finally {
            dataDir.close();
            terminated.complete(null);
            log.info("node {} stopped", nodeId);
        }
    }

    @Override
    public String toString() {
        return "ShoalDaemon[" + nodeId.shortForm() + " on " + host() + "]";
    }
}
