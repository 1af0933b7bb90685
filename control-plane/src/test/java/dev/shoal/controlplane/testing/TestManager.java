package dev.shoal.controlplane.testing;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Swarm;
import dev.shoal.controlplane.Manager;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.local.LocalServerTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A manager over a real store, its API served on an in-process RSocket transport, a real
 * {@link ShoalClient}, and agents connected like real nodes. Time is virtual: {@link #clock()}
 * drives timestamps, restart delays and heartbeat deadlines.
 */
public final class TestManager implements AutoCloseable {
    public final TestStore store;
    public final Manager manager;
    public final ShoalClient client;
    private final VirtualClock clock = VirtualClock.create();
    private final NodeId self = NodeId.random();
    private final String transport = "manager-" + UUID.randomUUID();
    private final Disposable server;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private TestManager() {
        store = TestStore.start();
        manager = Manager.start(new Manager.Config(self, clock).withTimers(clock.scheduler()).withCoalesce(Duration.ofMillis(1)), store.store());
        server = RSocketServer.create((setup, peer) -> Mono.just(manager.api())).bind(LocalServerTransport.create(transport)).block();
        client = ShoalClient.of(connect());
    }

    /** A manager with no swarm yet. */
    public static TestManager start() {
        return new TestManager();
    }

    /** A manager of a freshly initialised swarm. */
    public static TestManager startSwarm() {
        TestManager m = new TestManager();
        m.manager.bootstrap(new SwarmInitRequest(null, null, null), null).block(TestStore.WAIT);
        return m;
    }

    public VirtualClock clock() {
        return clock;
    }

    public NodeId self() {
        return self;
    }

    public RSocket connect() {
        RSocket socket = ShoalClient.connector().connect(LocalClientTransport.create(transport)).block(TestStore.WAIT);
        closeables.add(socket::dispose);
        return socket;
    }

    /** An agent of a new node, connected on its own connection, hello sent. */
    public TestAgent agent(String hostname) {
        return agent(NodeId.random(), hostname);
    }

    public TestAgent agent(NodeId node, String hostname) {
        TestAgent a = TestAgent.connect(connect(), node, hostname, clock);
        closeables.add(a);
        return a;
    }

    public Swarm bootstrap(Node selfNode) {
        return manager.bootstrap(new SwarmInitRequest(null, null, null), selfNode).block(TestStore.WAIT);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        client.close();
        server.dispose();
        manager.close();
        store.close();
    }
}
