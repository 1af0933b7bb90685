package dev.shoal.cli.daemon;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.error.LeaderHint;
import dev.shoal.api.id.Ids;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.RaftJoinRequest;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Version;
import dev.shoal.ca.Csr;
import dev.shoal.ca.JoinToken;
import dev.shoal.ca.NodeCredentials;
import dev.shoal.ca.Role;
import dev.shoal.ca.RootCa;
import dev.shoal.controlplane.Manager;
import dev.shoal.controlplane.api.SwarmSpecs;
import dev.shoal.controlplane.cluster.ClusterServer;
import dev.shoal.controlplane.cluster.PeerAccess;
import dev.shoal.controlplane.store.RaftClusterStore;
import dev.shoal.dataplane.agent.Agent;
import dev.shoal.dataplane.executor.Executor;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.RSocketProxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The parts a node runs while it is in a swarm. Every node runs its agent, which keeps a session
 * with the leader's dispatcher over mutual TLS (dialling the managers in turn, and the leader a
 * refusal names). A manager also runs the Raft store (TLS on the Raft port), the manager (API,
 * leader services, CA) and the cluster listener on 2377.
 *
 * <p>Not thread-safe: the daemon starts and closes members under its lifecycle lock.
 */
final class SwarmMember implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwarmMember.class);

    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);
    static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration RAFT_JOIN_TIMEOUT = Duration.ofSeconds(60);
    static final Duration REJOIN_LEADER_WAIT = Duration.ofSeconds(10);
    static final Duration POLL = Duration.ofMillis(20);
    static final Duration AGENT_RECONNECT_MIN = Duration.ofMillis(100);
    static final Duration AGENT_RECONNECT_MAX = Duration.ofSeconds(2);

    /** What the member tells the daemon as it learns it from the swarm. */
    interface Events {
        /** The CA renewed this node's certificate in another role: restart the swarm parts in it. */
        void roleChanged(Role role);

        /** The managers' addresses changed (a worker records them for its next start). */
        void managersChanged(List<String> managers);

        Events NONE = new Events() {
            @Override
            public void roleChanged(Role role) {}

            @Override
            public void managersChanged(List<String> managers) {}
        };
    }

    /** What a member is started from. */
    record Settings(NodeId nodeId, NodeDescription description, Path swarmDir, int raftPort, Clock clock, Events events) {
        Path raftDir() {
            return swarmDir.resolve("raft");
        }

        Path certDir() {
            return swarmDir.resolve("certificates");
        }
    }

    private final NodeTls tls;
    private final EventLoopGroup group;
    private final ManagerLinks links;
    private final RaftClusterStore store;  // null on a worker
    private final Manager manager;         // null on a worker
    private final ClusterServer server;    // null on a worker
    private final Agent agent;
    private final CertificateRenewer renewer;
    private final String swarmId;
    private final String managerAddr;      // this manager's API address; null on a worker

    private SwarmMember(NodeTls tls, EventLoopGroup group, ManagerLinks links, RaftClusterStore store, Manager manager,
                        ClusterServer server, Agent agent, CertificateRenewer renewer, String swarmId, String managerAddr) {
        this.tls = tls;
        this.group = group;
        this.links = links;
        this.store = store;
        this.manager = manager;
        this.server = server;
        this.agent = agent;
        this.renewer = renewer;
        this.swarmId = swarmId;
        this.managerAddr = managerAddr;
    }

    // ---- init ------------------------------------------------------------------------------------

    /**
     * {@code swarm init}: a root CA (generated, or the operator's), join tokens and this node's
     * manager certificate, then a one-member Raft group bootstrapped with the swarm. Blocking.
     */
    static SwarmMember init(Settings s, Executor executor, SwarmInitRequest request, Node self, SwarmAddresses addrs) {
        SwarmSpec spec = SwarmSpecs.withDefaults(request.spec());
        SwarmSpecs.validate(spec);
        RootCa ca = rootCa(request, s.clock());
        String swarmId = Ids.random();
        SecureRandom random = new SecureRandom();
        Swarm.JoinTokens tokens = new Swarm.JoinTokens(JoinToken.generate(ca, random).toString(), JoinToken.generate(ca, random).toString());
        KeyPair keys = Csr.newKeyPair();
        X509Certificate cert = ca.issue(Csr.create(keys, s.nodeId().value(), Role.MANAGER.ou()), s.nodeId().value(), Role.MANAGER,
                swarmId, Duration.ofNanos(spec.nodeCertExpiryNanos()), s.clock());
        NodeCredentials credentials = NodeCredentials.of(keys.getPrivate(), cert, List.of(ca.certificate()));
        writeCredentials(credentials, s.certDir());
        Swarm template = new Swarm(swarmId, Version.ZERO, null, null, spec, tokens, new Swarm.TlsInfo(ca.certificatePem()),
                new Swarm.RootCa(ca.certificatePem(), ca.privateKeyPem(), List.of()), List.of());
        return startManager(s, executor, new NodeTls(credentials, s.certDir(), s.clock()), addrs, RaftClusterStore.Startup.BOOTSTRAP,
                (manager, apiAddr) -> manager.bootstrap(request, withManagerAddr(self, apiAddr), template).block(BOOTSTRAP_TIMEOUT).id());
    }

    private static RootCa rootCa(SwarmInitRequest request, Clock clock) {
        if (request.caCert() == null && request.caKey() == null) {
            return RootCa.generate(clock);
        }
        if (request.caCert() == null || request.caKey() == null) {
            throw ApiException.invalid(request.caCert() == null ? "CACert" : "CAKey", "(missing)",
                    "an external root CA needs both its certificate and its private key");
        }
        try {
            return RootCa.fromPem(request.caCert(), request.caKey());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "invalid root CA: " + e.getMessage());
        }
    }

    private static Node withManagerAddr(Node self, String apiAddr) {
        return new Node(self.id(), self.version(), self.createdAt(), self.updatedAt(), self.spec(), self.description(), self.status(),
                new dev.shoal.api.model.ManagerStatus(true, "reachable", apiAddr));
    }

    // ---- join --------------------------------------------------------------------------------------

    /** A joined manager: its Raft member starts empty and asks the leader to add it. Blocking. */
    static SwarmMember joinAsManager(Settings s, Executor executor, NodeCredentials credentials, SwarmAddresses addrs, List<String> managers) {
        NodeTls tls = new NodeTls(credentials, s.certDir(), s.clock());
        return startManager(s, executor, tls, addrs, RaftClusterStore.Startup.JOIN, (manager, apiAddr) -> null, managers);
    }

    /** A joined worker: the agent alone. */
    static SwarmMember joinAsWorker(Settings s, Executor executor, NodeCredentials credentials, List<String> managers) {
        return startWorker(s, executor, new NodeTls(credentials, s.certDir(), s.clock()), managers);
    }

    /** At daemon start: the role and addresses recorded in {@code state}, the credentials on disk. */
    static SwarmMember rejoin(Settings s, Executor executor, SwarmState state) {
        NodeCredentials credentials;
        try {
            credentials = NodeCredentials.readFrom(s.certDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the node's certificate in " + s.certDir() + ": " + e.getMessage(), e);
        }
        if (credentials == null) {
            throw new IllegalStateException("no node certificate in " + s.certDir());
        }
        NodeTls tls = new NodeTls(credentials, s.certDir(), s.clock());
        if (!state.isManager()) {
            return startWorker(s, executor, tls, state.managers());
        }
        SwarmAddresses addrs = new SwarmAddresses(state.listenAddr(), state.advertiseAddr());
        SwarmAddresses.HostPort listen = addrs.listenHostPort();
        if (listen.port() == 0 && state.advertiseAddr() != null) {
            // an ephemeral listener (tests) comes back on the port the swarm knows this manager by
            addrs = new SwarmAddresses(new SwarmAddresses.HostPort(listen.host(), addrs.advertiseHostPort().port()).toString(),
                    state.advertiseAddr());
        }
        return startManager(s, executor, tls, addrs, RaftClusterStore.Startup.JOIN, null, state.managers());
    }

    /** Stores credentials atomically in {@code dir}; an error names the directory. */
    static void writeCredentials(NodeCredentials credentials, Path dir) {
        try {
            credentials.writeTo(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the node's certificate to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code swarm init --force-new-cluster} on a manager that lost quorum: takes this member's
     * state (every entry it applied), moves the old Raft storage aside ({@code raft.old-<time>}),
     * bootstraps a one-member group and writes the state back, so services, tasks and workers
     * carry on. The other managers are left in the node list as managers that are no longer in
     * the group; the operator demotes or removes them. Blocking; closes {@code current}.
     */
    static SwarmMember forceNewCluster(Settings s, Executor executor, SwarmMember current, SwarmState state) {
        if (current.store == null) {
            throw new ApiException(ErrorCode.FAILED_PRECONDITION, "--force-new-cluster runs on a manager; this node is a worker");
        }
        dev.shoal.controlplane.store.StoreView saved = current.store.view();
        if (saved.swarm() == null) {
            throw new ApiException(ErrorCode.FAILED_PRECONDITION, "this manager holds no swarm state to start a new cluster from");
        }
        NodeTls tls = current.tls;
        current.close();
        Path old = s.swarmDir().resolve("raft.old-" + s.clock().millis());
        try {
            java.nio.file.Files.move(s.raftDir(), old);
        } catch (java.io.IOException e) {
            throw new ApiException(ErrorCode.INTERNAL, "cannot move the old Raft storage aside: " + e.getMessage());
        }
        log.warn("forcing a new cluster from this manager's state at index {} (old Raft storage kept in {})", saved.index(), old);
        SwarmAddresses addrs = new SwarmAddresses(state.listenAddr(), state.advertiseAddr());
        NodeTls fresh = new NodeTls(tls.credentials(), s.certDir(), s.clock());
        return startManager(s, executor, fresh, addrs, RaftClusterStore.Startup.BOOTSTRAP, (manager, apiAddr) -> {
            restore(manager, saved);
            return saved.swarm().id();
        });
    }

    private static void restore(Manager manager, dev.shoal.controlplane.store.StoreView saved) {
        List<dev.shoal.controlplane.store.Change> changes = new java.util.ArrayList<>();
        changes.add(dev.shoal.controlplane.store.Change.create(saved.swarm()));
        saved.nodes().values().forEach(n -> changes.add(dev.shoal.controlplane.store.Change.create(n)));
        saved.services().values().forEach(v -> changes.add(dev.shoal.controlplane.store.Change.create(v)));
        saved.tasks().values().forEach(t -> changes.add(dev.shoal.controlplane.store.Change.create(t)));
        manager.restore(changes).block(BOOTSTRAP_TIMEOUT);
    }

    // ---- starting the parts ------------------------------------------------------------------------

    private interface Bootstrap {
        /** Runs once the manager listens; returns the swarm id, or null when it comes from the store. */
        String run(Manager manager, String apiAddr);
    }

    private static SwarmMember startManager(Settings s, Executor executor, NodeTls tls, SwarmAddresses addrs,
                                            RaftClusterStore.Startup startup, Bootstrap bootstrap) {
        return startManager(s, executor, tls, addrs, startup, bootstrap, List.of());
    }

    /**
     * @param bootstrap null when rejoining at start (no wait for a leader: a manager must come up
     *                  even while its swarm has no quorum)
     * @param joinVia   managers to ask for Raft membership (a joining manager); empty otherwise
     */
    private static SwarmMember startManager(Settings s, Executor executor, NodeTls tls, SwarmAddresses addrs,
                                            RaftClusterStore.Startup startup, Bootstrap bootstrap, List<String> joinVia) {
        EventLoopGroup group = newGroup(s.nodeId());
        ManagerLinks links = new ManagerLinks(tls::clientContext, group);
        RaftClusterStore store = null;
        Manager manager = null;
        ClusterServer server = null;
        try {
            SwarmAddresses.HostPort listen = addrs.listenHostPort();
            String advertiseHost = addrs.advertiseHostPort().host();
            store = RaftClusterStore.startNow(new RaftClusterStore.StoreConfig(s.nodeId().value(),
                    new InetSocketAddress(listen.bareHost(), s.raftPort()), advertiseHost + ":" + s.raftPort(), s.raftDir(), tls.raft(), startup));
            RaftClusterStore raft = store;
            tls.removedNodesFrom(() -> {
                Swarm swarm = raft.view().swarm();
                return swarm == null ? Set.of() : Set.copyOf(swarm.removedNodes());
            });
            manager = Manager.start(new Manager.Config(s.nodeId(), s.clock()), store, new Manager.Cluster(store, links::cached));
            Manager m = manager;
            server = ClusterServer.bind(listen.socketAddress(), tls.serverContext(), group,
                    peer -> PeerAccess.of(peer, m.api()));
            String apiAddr = advertiseHost + ":" + server.address().getPort();
            String swarmId;
            boolean joining = !joinVia.isEmpty() && bootstrap != null;
            if (bootstrap != null && !joining) {
                if (startup == RaftClusterStore.Startup.BOOTSTRAP) {
                    store.awaitLeader(LEADER_TIMEOUT).block();
                }
                swarmId = bootstrap.run(manager, apiAddr);
            } else {
                swarmId = tls.identity().clusterId();
                if (bootstrap == null) {
                    awaitAnyLeader(store, REJOIN_LEADER_WAIT);
                }
            }
            if (joining) {
                joinRaft(links, joinVia, advertiseHost + ":" + s.raftPort());
                awaitSwarm(store);
            }
            RaftClusterStore r = store;
            ManagerDirectory directory = new ManagerDirectory(() -> managerAddresses(r, joinVia));
            Agent agent = startAgent(s, executor, links, directory);
            CertificateRenewer renewer = new CertificateRenewer(tls, links, directory, s.clock(), s.events()::roleChanged);
            renewer.start(agent.nodeInfo());
            log.info("node {} is a manager of swarm {} (API on {}, Raft on {}:{})", s.nodeId(), swarmId, apiAddr, advertiseHost, s.raftPort());
            return new SwarmMember(tls, group, links, store, manager, server, agent, renewer, swarmId, apiAddr);
        } catch (RuntimeException e) {
            closeQuietly(server, manager, store);
            links.close();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            if (e instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(ErrorCode.INTERNAL, "cannot start the swarm on this node: " + e.getMessage());
        }
    }

    private static SwarmMember startWorker(Settings s, Executor executor, NodeTls tls, List<String> managers) {
        EventLoopGroup group = newGroup(s.nodeId());
        ManagerLinks links = new ManagerLinks(tls::clientContext, group);
        java.util.concurrent.atomic.AtomicReference<List<String>> known = new java.util.concurrent.atomic.AtomicReference<>(List.copyOf(managers));
        ManagerDirectory directory = new ManagerDirectory(known::get);
        Agent agent = startAgent(s, executor, links, directory);
        agent.nodeInfo().subscribe(info -> {
            if (!info.managers().isEmpty() && !info.managers().equals(known.get())) {
                known.set(info.managers());
                s.events().managersChanged(info.managers());
            }
        });
        CertificateRenewer renewer = new CertificateRenewer(tls, links, directory, s.clock(), s.events()::roleChanged);
        renewer.start(agent.nodeInfo());
        log.info("node {} is a worker of swarm {} (managers {})", s.nodeId(), tls.identity().clusterId(), known.get());
        return new SwarmMember(tls, group, links, null, null, null, agent, renewer, tls.identity().clusterId(), null);
    }

    /** Asks the managers in turn, then the leader a refusal names, to add this member to Raft. */
    private static void joinRaft(ManagerLinks links, List<String> via, String raftAddr) {
        ManagerDirectory directory = new ManagerDirectory(() -> via);
        Mono.defer(() -> {
                    String target = directory.next();
                    return links.connect(target).flatMap(rs -> ShoalClient.of(rs)
                            .call(Routes.RAFT_JOIN, new RaftJoinRequest(raftAddr), java.util.Map.class)
                            .doFinally(sig -> rs.dispose()));
                })
                .doOnError(e -> LeaderHint.of(e).ifPresent(directory::leaderIs))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2))
                        .filter(e -> !(e instanceof ApiException a) || a.code() == ErrorCode.UNAVAILABLE))
                .timeout(RAFT_JOIN_TIMEOUT, Mono.error(() -> new ApiException(ErrorCode.UNAVAILABLE,
                        "the leader did not add this manager to the Raft group within " + RAFT_JOIN_TIMEOUT.toSeconds() + " s")))
                .block();
    }

    /**
     * At a restart: waits a little for the group to have a leader, so that a node whose swarm is
     * healthy answers as soon as it is up; a swarm without quorum does not stop it from starting.
     */
    private static void awaitAnyLeader(RaftClusterStore store, Duration timeout) {
        if (!waitUntil(() -> store.leaderId().isPresent(), timeout)) {
            log.warn("no leader after {} s: the swarm may have lost quorum; this manager keeps trying", timeout.toSeconds());
        }
    }

    private static void awaitSwarm(RaftClusterStore store) {
        if (!waitUntil(() -> store.view().swarm() != null, LEADER_TIMEOUT)) {
            throw new ApiException(ErrorCode.UNAVAILABLE, "this manager's store did not catch up with the swarm within "
                    + LEADER_TIMEOUT.toSeconds() + " s");
        }
    }

    /** Blocks (never on an event loop) until {@code condition} holds or {@code timeout} passes; whether it held. */
    private static boolean waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
        if (condition.getAsBoolean()) {
            return true;
        }
        return Boolean.TRUE.equals(Flux.interval(POLL)
                .filter(i -> condition.getAsBoolean())
                .next()
                .map(i -> true)
                .timeout(timeout, Mono.just(false))
                .block());
    }

    private static List<String> managerAddresses(RaftClusterStore store, List<String> fallback) {
        List<String> fromStore = store.view().nodes().values().stream()
                .filter(n -> n.managerStatus() != null && n.managerStatus().addr() != null)
                .map(n -> n.managerStatus().addr())
                .sorted()
                .toList();
        return fromStore.isEmpty() ? fallback : fromStore;
    }

    private static Agent startAgent(Settings s, Executor executor, ManagerLinks links, ManagerDirectory directory) {
        Mono<RSocket> dispatcher = Mono.defer(() -> links.connect(directory.next()))
                .map(rs -> (RSocket) new RSocketProxy(rs) {
                    @Override
                    public Flux<Payload> requestChannel(Publisher<Payload> payloads) {
                        return super.requestChannel(payloads).doOnError(e -> LeaderHint.of(e).ifPresent(directory::leaderIs));
                    }
                });
        return Agent.start(new Agent.Config(s.nodeId(), s.description(), AGENT_RECONNECT_MIN, AGENT_RECONNECT_MAX), executor, dispatcher);
    }

    private static EventLoopGroup newGroup(NodeId id) {
        return new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("shoal-net-" + id.shortForm(), true), EpollIoHandler.newFactory());
    }

    // ---- accessors --------------------------------------------------------------------------------

    /** The API this node's control socket falls back to: the manager's, or a refusal on a worker. */
    RSocket api() {
        return manager == null ? null : manager.api();
    }

    boolean isManager() {
        return manager != null;
    }

    String swarmId() {
        return swarmId;
    }

    /** This manager's API address ({@code host:port}); null on a worker. */
    String managerAddr() {
        return managerAddr;
    }

    String raftAddr() {
        return store == null ? null : store.config().advertiseAddress();
    }

    /** The managers this node knows now (its store's, or the dispatcher's latest list). */
    List<String> knownManagers() {
        if (store != null) {
            return managerAddresses(store, List.of()).stream().filter(a -> !a.equals(managerAddr)).toList();
        }
        return List.of();
    }

    /**
     * A demoted manager waits until the leader has taken it out of the Raft group before it stops
     * its member: stopping first could leave a two-member group without quorum.
     */
    void awaitLeftRaft(Duration timeout) {
        if (store != null) {
            waitUntil(() -> store.members().stream().noneMatch(m -> m.id().equals(store.memberId())), timeout);
        }
    }

    /** This node's credentials as they are now (renewed ones included). */
    NodeCredentials credentials() {
        return tls.credentials();
    }

    /** Stops the agent only: tasks keep running until the caller stops them. */
    void stopAgent() {
        agent.close();
    }

    /**
     * Closes the listener and the manager first, so that the agent's leaving commits nothing while
     * the store closes, then the agent, then the store; tasks keep running.
     */
    @Override
    public void close() {
        renewer.close();
        closeQuietly(server, manager, null);
        try {
            agent.close();
        } catch (RuntimeException e) {
            log.warn("closing the agent failed", e);
        }
        if (store != null) {
            store.close();
        }
        links.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void closeQuietly(ClusterServer server, Manager manager, RaftClusterStore store) {
        if (server != null) {
            server.close();
        }
        if (manager != null) {
            try {
                manager.close();
            } catch (RuntimeException e) {
                log.warn("closing the manager failed", e);
            }
        }
        if (store != null) {
            store.close();
        }
    }
}
