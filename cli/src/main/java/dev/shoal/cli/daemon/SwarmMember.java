package dev.shoal.cli.daemon;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.Swarm;
import dev.shoal.controlplane.Manager;
import dev.shoal.controlplane.store.RaftClusterStore;
import dev.shoal.dataplane.agent.Agent;
import dev.shoal.dataplane.executor.Executor;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.local.LocalServerTransport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The parts a node runs while it is in a swarm, as a manager: the Raft store, the manager (API,
 * leader services, dispatcher), and the node's agent. The agent reaches the dispatcher through an
 * in-process RSocket transport ({@code local:shoal-dispatcher-<node id>}), exactly as it would
 * reach a remote manager, so that the control plane and the data plane stay separable.
 *
 * <p>Not thread-safe: the daemon starts and closes members under its lifecycle lock.
 */
final class SwarmMember implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwarmMember.class);

    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);
    static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration AGENT_RECONNECT_MIN = Duration.ofMillis(100);
    static final Duration AGENT_RECONNECT_MAX = Duration.ofSeconds(5);

    /** What a member is started from. */
    record Settings(NodeId nodeId, NodeDescription description, Path raftDir, int raftPort, Clock clock) {
        InetSocketAddress raftAddress() {
            // loopback only until Raft has mutual TLS (the certificate authority issue)
            return new InetSocketAddress("127.0.0.1", raftPort);
        }

        String dispatcherName() {
            return "shoal-dispatcher-" + nodeId.value();
        }
    }

    private final RaftClusterStore store;
    private final Manager manager;
    private final Disposable dispatcherServer;
    private final Agent agent;
    private final Swarm swarm;

    private SwarmMember(RaftClusterStore store, Manager manager, Disposable dispatcherServer, Agent agent, Swarm swarm) {
        this.store = store;
        this.manager = manager;
        this.dispatcherServer = dispatcherServer;
        this.agent = agent;
        this.swarm = swarm;
    }

    /**
     * Starts the store (recovering it from {@code raftDir} when it exists), waits for leadership,
     * starts the manager, bootstraps the swarm when {@code init} is given, then starts the agent.
     * Blocking; on failure everything started is closed again.
     *
     * @param init the init request, or null to rejoin the swarm stored in {@code raftDir}
     * @param self the node record to bootstrap with (ignored when rejoining)
     */
    static SwarmMember start(Settings settings, Executor executor, SwarmInitRequest init, Node self) {
        RaftClusterStore store = null;
        Manager manager = null;
        Disposable server = null;
        try {
            store = RaftClusterStore.startNow(new RaftClusterStore.StoreConfig(settings.nodeId().value(),
                    settings.raftAddress(), settings.raftDir()));
            store.awaitLeader(LEADER_TIMEOUT).block();
            manager = Manager.start(new Manager.Config(settings.nodeId(), settings.clock()), store);
            Swarm swarm = init != null
                    ? manager.bootstrap(init, self).block(BOOTSTRAP_TIMEOUT)
                    : ShoalClient.of(manager.api()).swarmInspect().block(BOOTSTRAP_TIMEOUT);
            server = RSocketServer.create(SocketAcceptor.with(manager.api()))
                    .bind(LocalServerTransport.create(settings.dispatcherName()))
                    .block(BOOTSTRAP_TIMEOUT);
            Mono<RSocket> dispatcher = ShoalClient.connector().connect(LocalClientTransport.create(settings.dispatcherName()));
            Agent agent = Agent.start(new Agent.Config(settings.nodeId(), settings.description(),
                    AGENT_RECONNECT_MIN, AGENT_RECONNECT_MAX), executor, dispatcher);
            log.info("node {} is a manager of swarm {} (raft on {})", settings.nodeId(), swarm == null ? "?" : swarm.id(), settings.raftAddress());
            return new SwarmMember(store, manager, server, agent, swarm);
        } catch (RuntimeException e) {
            closeQuietly(server, manager, store);
            if (e instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(ErrorCode.INTERNAL, "cannot start the swarm on this node: " + e.getMessage());
        }
    }

    /** The manager's API: every cluster route, the fallback of the control socket. */
    RSocket api() {
        return manager.api();
    }

    Swarm swarm() {
        return swarm;
    }

    /** Stops the agent only: tasks keep running until the caller stops them. */
    void stopAgent() {
        agent.close();
    }

    /**
     * Closes the dispatcher transport and the manager first, so that the agent's leaving commits
     * nothing while the store closes, then the agent, then the store; tasks keep running.
     */
    @Override
    public void close() {
        dispatcherServer.dispose();
        try {
            manager.close();
        } catch (RuntimeException e) {
            log.warn("closing the manager failed", e);
        }
        try {
            agent.close();
        } catch (RuntimeException e) {
            log.warn("closing the agent failed", e);
        }
        store.close();
    }

    private static void closeQuietly(Disposable server, Manager manager, RaftClusterStore store) {
        if (server != null) {
            server.dispose();
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
