package dev.shoal.ca;

import static dev.shoal.ca.TestCa.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.ResumableX509ExtendedTrustManager;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Real TLS 1.3 handshakes over 127.0.0.1 between nodes holding certificates from the CA. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsHandshakeTest {
    private TlsLoopback loopback;
    private RootCa ca;
    private NodeCredentials manager;
    private NodeCredentials worker;

    @BeforeAll
    void setUp() {
        loopback = new TlsLoopback();
        ca = RootCa.generate(TestCa.CLOCK);
        manager = TestCa.node(ca, "manager1", Role.MANAGER);
        worker = TestCa.node(ca, "worker1", Role.WORKER);
    }

    @AfterAll
    void tearDown() {
        loopback.close();
    }

    private static SslContext server(NodeCredentials node, PeerPolicy policy, ClientAuth clientAuth) {
        return Tls.server(new ReloadingKeyManager(() -> node),
                new ClusterTrustManager(node::roots, policy, TestCa.CLOCK), clientAuth);
    }

    private static SslContext client(NodeCredentials node, PeerPolicy policy) {
        return Tls.client(new ReloadingKeyManager(() -> node),
                new ClusterTrustManager(node::roots, policy, TestCa.CLOCK));
    }

    @Test
    void mutualTlsBetweenTwoNodesOfOneCa() throws Exception {
        TlsLoopback.Outcome outcome = loopback.handshake(
                server(manager, PeerPolicy.anyNode(), ClientAuth.REQUIRE),
                client(worker, PeerPolicy.requireRole(Role.MANAGER)));

        assertTrue(outcome.server().succeeded(), () -> "server: " + outcome.server().failure());
        assertTrue(outcome.client().succeeded(), () -> "client: " + outcome.client().failure());
        assertEquals("TLSv1.3", outcome.server().session().getProtocol());
        assertEquals(new NodeIdentity("worker1", Role.WORKER, TestCa.CLUSTER), outcome.server().peer());
        assertEquals(new NodeIdentity("manager1", Role.MANAGER, TestCa.CLUSTER), outcome.client().peer());
    }

    @Test
    void serverServesItsCertificateFollowedByTheRoot() throws Exception {
        TlsLoopback.Outcome outcome = loopback.handshake(
                server(manager, PeerPolicy.anyNode(), ClientAuth.REQUIRE), client(worker, PeerPolicy.anyNode()));

        var chain = outcome.client().session().getPeerCertificates();
        assertEquals(2, chain.length);
        assertEquals(manager.certificate(), chain[0]);
        assertEquals(ca.certificate(), chain[1]);
    }

    @Test
    void applicationDataFlowsOverTheMutualTlsConnection() throws Exception {
        try (TlsLoopback.Server server = loopback.serve(server(manager, PeerPolicy.anyNode(), ClientAuth.REQUIRE))) {
            TlsLoopback.Outcome outcome = server.connect(client(worker, PeerPolicy.anyNode()));
            assertEquals("ping", TlsLoopback.roundTrip(outcome.client().channel(), "ping"));
            outcome.client().channel().close().sync();
        }
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        SslContext anonymous =
                Tls.client(null, new ClusterTrustManager(worker::roots, PeerPolicy.anyNode(), TestCa.CLOCK));

        TlsLoopback.Outcome outcome =
                loopback.handshake(server(manager, PeerPolicy.anyNode(), ClientAuth.REQUIRE), anonymous);

        assertFalse(outcome.server().succeeded());
        assertInstanceOf(SSLHandshakeException.class, outcome.server().failure());
        assertMessageContains(outcome.server().failure(), "Empty client certificate chain");
    }

    @Test
    void clientWithoutCertificateIsAdmittedWhenOptionalAndHasNoIdentity() throws Exception {
        SslContext anonymous =
                Tls.client(null, new ClusterTrustManager(worker::roots, PeerPolicy.anyNode(), TestCa.CLOCK));

        TlsLoopback.Outcome outcome =
                loopback.handshake(server(manager, PeerPolicy.anyNode(), ClientAuth.OPTIONAL), anonymous);

        assertTrue(outcome.server().succeeded(), () -> "server: " + outcome.server().failure());
        assertNull(outcome.server().peer());
        assertEquals(Role.MANAGER, outcome.client().peer().role());
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        // The stranger trusts our CA, so it gets as far as presenting its own certificate.
        NodeCredentials stranger = TestCa.node(RootCa.generate(TestCa.CLOCK), "stranger", Role.MANAGER)
                .withRoots(List.of(ca.certificate()));

        TlsLoopback.Outcome outcome = loopback.handshake(
                server(manager, PeerPolicy.anyNode(), ClientAuth.REQUIRE), client(stranger, PeerPolicy.anyNode()));

        assertFalse(outcome.server().succeeded());
        assertMessageContains(
                outcome.server().failure(), "certificate not issued by this swarm's CA (issuer CN=swarm-ca");
    }

    @Test
    void serverFromAnotherCaIsRefusedByTheClient() throws Exception {
        NodeCredentials impostor = TestCa.node(RootCa.generate(TestCa.CLOCK), "manager1", Role.MANAGER);

        TlsLoopback.Outcome outcome = loopback.handshake(
                server(impostor, PeerPolicy.anyNode(), ClientAuth.REQUIRE), client(worker, PeerPolicy.anyNode()));

        assertFalse(outcome.client().succeeded());
        assertMessageContains(outcome.client().failure(), "certificate not issued by this swarm's CA");
        assertFalse(outcome.server().succeeded());
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        // Issued three hours ago for one hour, by a root that was valid then.
        Instant threeHoursAgo = Instant.now().minus(Duration.ofHours(3));
        RootCa oldCa = RootCa.generate(TestCa.clockAt(threeHoursAgo.minus(Duration.ofDays(1))));
        NodeCredentials expired =
                TestCa.node(oldCa, "worker2", Role.WORKER, Duration.ofHours(1), TestCa.clockAt(threeHoursAgo));
        NodeCredentials server = TestCa.node(oldCa, "manager2", Role.MANAGER);

        TlsLoopback.Outcome outcome = loopback.handshake(
                server(server, PeerPolicy.anyNode(), ClientAuth.REQUIRE), client(expired, PeerPolicy.anyNode()));

        assertFalse(outcome.server().succeeded());
        assertMessageContains(outcome.server().failure(), "certificate expired at " + expired.notAfter());
    }

    @Test
    void certificateIsRefusedOnceTheTrustManagersClockPassesItsExpiry() throws Exception {
        Instant afterExpiry = worker.notAfter().plusSeconds(1);
        SslContext futureServer = Tls.server(new ReloadingKeyManager(() -> manager),
                new ClusterTrustManager(manager::roots, PeerPolicy.anyNode(), TestCa.clockAt(afterExpiry)),
                ClientAuth.REQUIRE);

        TlsLoopback.Outcome outcome = loopback.handshake(futureServer, client(worker, PeerPolicy.anyNode()));

        assertFalse(outcome.server().succeeded());
        assertMessageContains(outcome.server().failure(), "certificate expired at");
    }

    @Test
    void removedNodeIsRefused() throws Exception {
        Set<String> removed = Set.of("worker1");

        TlsLoopback.Outcome outcome = loopback.handshake(
                server(manager, PeerPolicy.rejectRemoved(removed::contains), ClientAuth.REQUIRE),
                client(worker, PeerPolicy.anyNode()));

        assertFalse(outcome.server().succeeded());
        assertMessageContains(outcome.server().failure(), "node worker1 was removed from the swarm");
    }

    @Test
    void workerCertificateCannotActAsManager() throws Exception {
        // A worker listening as if it were a manager: a client that wants a manager refuses it.
        TlsLoopback.Outcome outcome = loopback.handshake(
                server(worker, PeerPolicy.anyNode(), ClientAuth.REQUIRE),
                client(manager, PeerPolicy.requireRole(Role.MANAGER)));

        assertFalse(outcome.client().succeeded());
        assertMessageContains(
                outcome.client().failure(), "node worker1 is a swarm-worker; the role must be swarm-manager");
    }

    @Test
    void workerCannotJoinTheManagersOnlyListener() throws Exception {
        TlsLoopback.Outcome outcome = loopback.handshake(
                server(manager, PeerPolicy.requireRole(Role.MANAGER), ClientAuth.REQUIRE),
                client(worker, PeerPolicy.anyNode()));

        assertFalse(outcome.server().succeeded());
        assertMessageContains(outcome.server().failure(), "the role must be swarm-manager");
    }

    @Test
    void nodeOfAnotherClusterIdIsRefused() throws Exception {
        TlsLoopback.Outcome outcome = loopback.handshake(
                server(manager, PeerPolicy.requireCluster("cluster-2"), ClientAuth.REQUIRE),
                client(worker, PeerPolicy.anyNode()));

        assertFalse(outcome.server().succeeded());
        assertMessageContains(outcome.server().failure(), "the cluster id must be cluster-2");
    }

    @Test
    void joiningNodeTrustsTheManagerOfItsTokensCa() throws Exception {
        JoinToken token = JoinToken.generate(ca, new SecureRandom());
        TokenTrustManager trust = new TokenTrustManager(token, TestCa.CLOCK);

        TlsLoopback.Outcome outcome = loopback.handshake(
                server(manager, PeerPolicy.anyNode(), ClientAuth.OPTIONAL), Tls.client(null, trust));

        assertTrue(outcome.client().succeeded(), () -> "client: " + outcome.client().failure());
        assertEquals(Role.MANAGER, outcome.client().peer().role());
        assertEquals(ca.certificate(), trust.verifiedRoot().orElseThrow());
    }

    @Test
    void wrongCaDigestInTokenIsRefused() throws Exception {
        RootCa otherCa = RootCa.generate(TestCa.CLOCK);
        JoinToken token = JoinToken.generate(otherCa, new SecureRandom());
        TokenTrustManager trust = new TokenTrustManager(token, TestCa.CLOCK);

        TlsLoopback.Outcome outcome = loopback.handshake(
                server(manager, PeerPolicy.anyNode(), ClientAuth.OPTIONAL), Tls.client(null, trust));

        assertFalse(outcome.client().succeeded());
        assertMessageContains(outcome.client().failure(),
                "the manager's CA does not match the join token's CA digest (remote CA digest " + ca.digest() + ")");
        assertTrue(trust.verifiedRoot().isEmpty());
    }

    @Test
    void joiningNodeRefusesAWorkerPosingAsManager() throws Exception {
        JoinToken token = JoinToken.generate(ca, new SecureRandom());

        TlsLoopback.Outcome outcome = loopback.handshake(
                server(worker, PeerPolicy.anyNode(), ClientAuth.OPTIONAL),
                Tls.client(null, new TokenTrustManager(token, TestCa.CLOCK)));

        assertFalse(outcome.client().succeeded());
        assertMessageContains(outcome.client().failure(), "only a manager can admit a joining node");
    }

    @Test
    void plaintextConnectionIsRefused() throws Exception {
        try (TlsLoopback.Server server = loopback.serve(server(manager, PeerPolicy.anyNode(), ClientAuth.REQUIRE))) {
            TlsLoopback.Side side = server.connectPlaintext("GET / HTTP/1.1\r\nHost: manager1\r\n\r\n");

            assertFalse(side.succeeded());
            assertInstanceOf(NotSslRecordException.class, side.failure());
        }
    }

    @Test
    void tls12OnlyClientIsRefused() throws Exception {
        SslContext tls12 = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.2")
                .keyManager(new ReloadingKeyManager(() -> worker))
                .trustManager(new ClusterTrustManager(worker::roots, PeerPolicy.anyNode(), TestCa.CLOCK))
                .endpointIdentificationAlgorithm(null)
                .build();

        TlsLoopback.Outcome outcome =
                loopback.handshake(server(manager, PeerPolicy.anyNode(), ClientAuth.REQUIRE), tls12);

        assertFalse(outcome.server().succeeded());
        assertFalse(outcome.client().succeeded());
        assertInstanceOf(SSLHandshakeException.class, outcome.server().failure());
    }

    @Test
    void reloadingKeyManagerServesRenewedCertificateOnNextHandshake() throws Exception {
        AtomicReference<NodeCredentials> current = new AtomicReference<>(TestCa.node(ca, "manager3", Role.MANAGER));
        SslContext serverContext = Tls.server(new ReloadingKeyManager(current::get),
                new ClusterTrustManager(() -> current.get().roots(), PeerPolicy.anyNode(), TestCa.CLOCK),
                ClientAuth.REQUIRE);
        SslContext clientContext = client(worker, PeerPolicy.anyNode());

        try (TlsLoopback.Server server = loopback.serve(serverContext)) {
            TlsLoopback.Outcome first = server.connect(clientContext);
            X509Certificate before = (X509Certificate) first.client().session().getPeerCertificates()[0];
            first.client().channel().close().sync();

            NodeCredentials renewed = TestCa.node(ca, "manager3", Role.MANAGER);
            current.set(renewed);
            // A new client context, so that the second connection is a full handshake rather than a resumption.
            TlsLoopback.Outcome second = server.connect(client(worker, PeerPolicy.anyNode()));
            X509Certificate after = (X509Certificate) second.client().session().getPeerCertificates()[0];
            second.client().channel().close().sync();

            assertEquals(current.get().certificate(), after);
            assertNotEquals(before.getSerialNumber(), after.getSerialNumber());
            assertEquals(renewed.certificate().getSerialNumber(), after.getSerialNumber());
        }
    }

    @Test
    void removedNodeCannotResumeItsSession() throws Exception {
        Set<String> removed = ConcurrentHashMap.newKeySet();
        CountingTrustManager trust = new CountingTrustManager(
                new ClusterTrustManager(manager::roots, PeerPolicy.rejectRemoved(removed::contains), TestCa.CLOCK));
        SslContext serverContext = Tls.server(new ReloadingKeyManager(() -> manager), trust, ClientAuth.REQUIRE);
        SslContext clientContext = client(worker, PeerPolicy.anyNode());

        try (TlsLoopback.Server server = loopback.serve(serverContext)) {
            TlsLoopback.Outcome first = server.connect(clientContext);
            assertTrue(first.server().succeeded(), () -> "first: " + first.server().failure());
            // The round trip guarantees the client has read the server's session ticket.
            assertEquals("ping", TlsLoopback.roundTrip(first.client().channel(), "ping"));
            first.client().channel().close().sync();

            TlsLoopback.Outcome resumed = server.connect(clientContext);
            assertTrue(resumed.server().succeeded(), () -> "resumed: " + resumed.server().failure());
            assertEquals("ping", TlsLoopback.roundTrip(resumed.client().channel(), "ping"));
            resumed.client().channel().close().sync();
            assertEquals(1, trust.fullChecks.get());
            assertEquals(1, trust.resumedChecks.get(), "the second connection should resume the session");

            removed.add("worker1");
            TlsLoopback.Outcome refused = server.connect(clientContext);
            refused.client().channel().close().sync();
            assertEquals(2, trust.resumedChecks.get(), "the third connection should try to resume too");
            assertFalse(refused.server().succeeded());
            assertMessageContains(refused.server().failure(), "node worker1 was removed from the swarm");
        }
    }

    @Test
    void duringCaRotationNodesOfBothRootsAreTrusted() throws Exception {
        RootCa newCa = RootCa.generate(TestCa.CLOCK);
        NodeCredentials rotatingManager =
                manager.withRoots(List.of(ca.certificate(), newCa.certificate()));
        NodeCredentials newWorker = TestCa.node(newCa, "worker9", Role.WORKER)
                .withRoots(List.of(ca.certificate(), newCa.certificate()));

        TlsLoopback.Outcome outcome = loopback.handshake(
                server(rotatingManager, PeerPolicy.anyNode(), ClientAuth.REQUIRE),
                client(newWorker, PeerPolicy.anyNode()));

        assertTrue(outcome.server().succeeded(), () -> "server: " + outcome.server().failure());
        assertTrue(outcome.client().succeeded(), () -> "client: " + outcome.client().failure());
        assertEquals("worker9", outcome.server().peer().nodeId());
    }

    /** Tells full handshakes from resumed ones, which the JDK does not check. */
    private static final class CountingTrustManager extends X509ExtendedTrustManager
            implements ResumableX509ExtendedTrustManager {
        final AtomicInteger fullChecks = new AtomicInteger();
        final AtomicInteger resumedChecks = new AtomicInteger();
        private final ClusterTrustManager delegate;

        CountingTrustManager(ClusterTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            fullChecks.incrementAndGet();
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void resumeClientTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
            resumedChecks.incrementAndGet();
            delegate.resumeClientTrusted(chain, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void resumeServerTrusted(X509Certificate[] chain, SSLEngine engine) {
            throw new UnsupportedOperationException();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
