package dev.shoal.ca;

import static dev.shoal.ca.TestCa.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The key and trust managers used directly by the JDK, as Apache Ratis' gRPC transport uses them
 * ({@code GrpcTlsConfig(KeyManager, TrustManager, boolean)}): two {@link SSLEngine}s handshake in
 * memory, without Netty.
 */
class JdkEngineHandshakeTest {
    private final RootCa ca = RootCa.generate(TestCa.CLOCK);

    @Test
    void rawKeyAndTrustManagersHandshakeWithoutNetty() throws Exception {
        NodeCredentials manager = TestCa.node(ca, "manager1", Role.MANAGER);
        NodeCredentials worker = TestCa.node(ca, "worker1", Role.WORKER);
        SSLEngine server = engine(manager, PeerPolicy.anyNode(), false);
        SSLEngine client = engine(worker, PeerPolicy.requireRole(Role.MANAGER), true);

        handshake(client, server);

        assertEquals("TLSv1.3", server.getSession().getProtocol());
        assertEquals(new NodeIdentity("worker1", Role.WORKER, TestCa.CLUSTER), Tls.peerIdentity(server.getSession()));
        assertEquals(new NodeIdentity("manager1", Role.MANAGER, TestCa.CLUSTER), Tls.peerIdentity(client.getSession()));
    }

    @Test
    void rawTrustManagerRefusesAnotherCa() throws Exception {
        NodeCredentials manager = TestCa.node(ca, "manager1", Role.MANAGER);
        NodeCredentials stranger = TestCa.node(RootCa.generate(TestCa.CLOCK), "stranger", Role.MANAGER);
        SSLEngine server = engine(manager, PeerPolicy.anyNode(), false);
        SSLEngine client = engine(stranger, PeerPolicy.anyNode(), true);

        SSLHandshakeException refused = assertThrows(SSLHandshakeException.class, () -> handshake(client, server));

        assertMessageContains(refused, "certificate not issued by this swarm's CA");
    }

    private static SSLEngine engine(NodeCredentials node, PeerPolicy policy, boolean client) throws Exception {
        SSLContext context = SSLContext.getInstance(Tls.PROTOCOL);
        context.init(new KeyManager[] {new ReloadingKeyManager(() -> node)},
                new TrustManager[] {new ClusterTrustManager(node::roots, policy, TestCa.CLOCK)}, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(client);
        engine.setEnabledProtocols(new String[] {Tls.PROTOCOL});
        if (!client) {
            engine.setNeedClientAuth(true);
        }
        return engine;
    }

    /** Moves records between the engines until neither is handshaking and nothing is in flight. */
    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(4 * size);
        ByteBuffer toClient = ByteBuffer.allocate(4 * size);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 100; round++) {
            step(client, toClient, toServer, size);
            step(server, toServer, toClient, size);
            if (idle(client) && idle(server) && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        throw new AssertionError("handshake did not finish in 100 rounds");
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, int size) throws SSLException {
        ByteBuffer application = ByteBuffer.allocate(4 * size);
        in.flip();
        while (in.hasRemaining()) {
            int before = in.remaining();
            engine.unwrap(in, application);
            runTasks(engine);
            if (in.remaining() == before) {
                break;
            }
        }
        in.compact();
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            engine.wrap(ByteBuffer.allocate(0), out);
            runTasks(engine);
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    private static boolean idle(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }
}
