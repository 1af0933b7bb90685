package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.NodeJoinRequest;
import dev.shoal.api.message.NodeJoinResponse;
import dev.shoal.api.message.NodeRemoveRequest;
import dev.shoal.api.message.RaftJoinRequest;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.SwarmJoinRequest;
import dev.shoal.api.message.SwarmUpdateRequest;
import dev.shoal.api.model.Swarm;
import dev.shoal.ca.CertificatePem;
import dev.shoal.ca.ClusterTrustManager;
import dev.shoal.ca.Csr;
import dev.shoal.ca.JoinToken;
import dev.shoal.ca.NodeCredentials;
import dev.shoal.ca.NodeIdentity;
import dev.shoal.ca.PeerPolicy;
import dev.shoal.ca.ReloadingKeyManager;
import dev.shoal.ca.Role;
import dev.shoal.ca.RootCa;
import dev.shoal.ca.Tls;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.rsocket.RSocket;
import io.rsocket.transport.netty.client.TcpClientTransport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.tcp.TcpClient;

/**
 * Every way into a swarm that must be refused, each its own test, against a real manager daemon
 * listening with mutual TLS on loopback. The swarm runs on a root CA this test made (given to
 * {@code swarm init} as the operator's own), so that the test can mint the certificates an
 * attacker might hold. Each refusal is checked to write nothing: the swarm's version and its nodes
 * stay as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSecurityTest {
    static final Duration CALL = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private final Clock clock = Clock.systemUTC();
    private RootCa ca;
    private TestDaemons.Handle manager;
    private String managerAddr;
    private Swarm swarm;
    private EventLoopGroup group;

    @BeforeAll
    void startManager() {
        // made three hours ago, so that the test can also mint a certificate that has expired since
        ca = RootCa.generate(Clock.offset(clock, Duration.ofHours(-3)));
        manager = TestDaemons.start(dir.resolve("manager"), "process");
        manager.client().swarmInit(new SwarmInitRequest("127.0.0.1:0", "127.0.0.1", null, false, ca.certificatePem(), ca.privateKeyPem()))
                .block(CALL);
        swarm = manager.client().swarmInspect().block(CALL);
        managerAddr = manager.client().nodeInspect("self").block(CALL).managerStatus().addr();
        group = dev.shoal.api.client.Transports.newClientGroup("security-test");
    }

    @AfterAll
    void stopManager() {
        if (manager != null) {
            manager.leaveAndClose();
        }
        if (group != null) {
            group.shutdownGracefully();
        }
    }

    // ---- the refusals -------------------------------------------------------------------------------

    @Test
    void wrongCaDigestInTokenIsRefused() {
        String other = JoinToken.generate(RootCa.generate(clock), new java.security.SecureRandom()).toString();
        String forged = "SWMTKN-1-" + JoinToken.parse(other).caDigest() + "-" + JoinToken.parse(swarm.joinTokens().worker()).secret();
        assertNothingWritten(() -> {
            ApiException e = joinWith(forged);
            assertTrue(e.getMessage().contains("CA digest"), e.getMessage());
        });
    }

    @Test
    void rotatedTokenIsRefused() {
        String old = manager.client().swarmInspect().block(CALL).joinTokens().worker();
        manager.client().call(Routes.SWARM_UPDATE, new SwarmUpdateRequest(0, null, true, false, false), Swarm.class).block(CALL);
        swarm = manager.client().swarmInspect().block(CALL);
        assertFalse(old.equals(swarm.joinTokens().worker()), "the worker token changed");
        assertNothingWritten(() -> {
            ApiException e = joinWith(old);
            assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("rotated"), e.getMessage());
        });
    }

    @Test
    void workerTokenCannotMakeAManager() {
        NodeCredentials worker = joinRaw(swarm.joinTokens().worker(), "swarm-manager");
        assertEquals(Role.WORKER, worker.identity().role(), "the token decides the role");
        try (ShoalClient c = connect(worker)) {
            ApiException raft = assertThrows(ApiException.class,
                    () -> c.call(Routes.RAFT_JOIN, new RaftJoinRequest("127.0.0.1:1"), Map.class).block(CALL));
            assertEquals(ErrorCode.PERMISSION_DENIED, raft.code(), raft.getMessage());
            ApiException list = assertThrows(ApiException.class, () -> c.serviceList().collectList().block(CALL));
            assertEquals(ErrorCode.PERMISSION_DENIED, list.code(), list.getMessage());
            assertTrue(list.getMessage().contains("worker"), list.getMessage());
        }
    }

    @Test
    void csrAskingForTheManagerOuGetsWhatTheCaChooses() {
        NodeCredentials worker = joinRaw(swarm.joinTokens().worker(), "swarm-manager");
        NodeIdentity id = NodeIdentity.of(worker.certificate());
        assertEquals(Role.WORKER, id.role());
        assertEquals(swarm.id(), id.clusterId());
        assertFalse(id.nodeId().equals("asked-for-this-id"), "the CA chose the node id");
    }

    @Test
    void clientWithoutCertificateCannotCallTheApi() {
        try (ShoalClient c = connect(null)) {
            ApiException e = assertThrows(ApiException.class, () -> c.serviceList().collectList().block(CALL));
            assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("client certificate"), e.getMessage());
        }
    }

    @Test
    void certificateFromAnotherSwarmsCaIsRefused() {
        RootCa other = RootCa.generate(clock);
        NodeCredentials forged = mint(other, Role.MANAGER, swarm.id(), Duration.ofDays(1), clock);
        assertNothingWritten(() -> assertConnectionRefused(forged));
    }

    @Test
    void expiredCertificateIsRefused() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(150)), ZoneOffset.UTC);
        NodeCredentials expired = mint(ca, Role.MANAGER, swarm.id(), Duration.ofHours(1), past);
        assertNothingWritten(() -> assertConnectionRefused(expired));
    }

    @Test
    void certificateOfAnotherSwarmWithTheSameCaIsRefused() {
        NodeCredentials foreign = mint(ca, Role.MANAGER, "another-swarm-id", Duration.ofDays(1), clock);
        assertNothingWritten(() -> assertConnectionRefused(foreign));
    }

    @Test
    void plaintextConnectionIsRefused() {
        InetSocketAddress addr = address();
        assertNothingWritten(() -> assertThrows(RuntimeException.class, () -> {
            try (ShoalClient c = ShoalClient.of(ShoalClient.connector()
                    .connect(TcpClientTransport.create(TcpClient.create().runOn(group).remoteAddress(() -> addr)))
                    .block(CALL))) {
                c.serviceList().collectList().block(Duration.ofSeconds(5));
            }
        }));
    }

    @Test
    void removedNodeReconnectingIsRefused() {
        NodeCredentials worker = joinRaw(swarm.joinTokens().worker(), null);
        String id = worker.identity().nodeId();
        manager.client().call(Routes.NODE_REMOVE, new NodeRemoveRequest(id, true), Map.class).block(CALL);
        assertFalse(nodeIds().contains(id), "the node is gone");
        assertNothingWritten(() -> assertConnectionRefused(worker));
        assertTrue(manager.client().swarmInspect().block(CALL).removedNodes().contains(id));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private ApiException joinWith(String token) {
        TestDaemons.Handle joiner = TestDaemons.start(dir.resolve("joiner-" + System.nanoTime()), "process");
        try {
            return assertThrows(ApiException.class, () -> joiner.client().call(Routes.SWARM_JOIN,
                    new SwarmJoinRequest(List.of(managerAddr), token, "127.0.0.1:0", "127.0.0.1"), Map.class).block(CALL));
        } finally {
            joiner.leaveAndClose();
        }
    }

    /** The join protocol by hand: no client certificate, a CSR asking for {@code askedOu}. */
    private NodeCredentials joinRaw(String token, String askedOu) {
        KeyPair keys = Csr.newKeyPair();
        String csr = Base64.getEncoder().encodeToString(Csr.toDer(Csr.create(keys, "asked-for-this-id", askedOu)));
        try (ShoalClient c = connect(null)) {
            NodeJoinResponse r = c.call(Routes.NODE_JOIN, new NodeJoinRequest(token, csr, null, "127.0.0.1:2377"), NodeJoinResponse.class)
                    .block(CALL);
            X509Certificate cert = CertificatePem.decode(r.certificate(), "the certificate").getFirst();
            return NodeCredentials.of(keys.getPrivate(), cert, CertificatePem.decode(r.rootCas(), "the roots"));
        }
    }

    private NodeCredentials mint(RootCa issuer, Role role, String clusterId, Duration expiry, Clock at) {
        KeyPair keys = Csr.newKeyPair();
        X509Certificate cert = issuer.issue(Csr.create(keys, null, null), "minted" + System.nanoTime(), role, clusterId, expiry, at);
        return NodeCredentials.of(keys.getPrivate(), cert, List.of(issuer.certificate()));
    }

    /** A TLS 1.3 client of the manager's 2377, presenting {@code credentials} (none when null). */
    private ShoalClient connect(NodeCredentials credentials) {
        ClusterTrustManager trust = new ClusterTrustManager(() -> List.of(ca.certificate()), PeerPolicy.requireRole(Role.MANAGER), clock);
        SslContext ssl = Tls.client(credentials == null ? null : new ReloadingKeyManager(() -> credentials), trust);
        InetSocketAddress addr = address();
        RSocket rs = ShoalClient.connector()
                .connect(TcpClientTransport.create(TcpClient.create().runOn(group).remoteAddress(() -> addr).secure(s -> s.sslContext(ssl))))
                .block(CALL);
        return ShoalClient.of(rs);
    }

    /** The handshake, or the first request right after it (TLS 1.3 checks the client last), fails. */
    private void assertConnectionRefused(NodeCredentials credentials) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (ShoalClient c = connect(credentials)) {
                c.nodeList().collectList().block(Duration.ofSeconds(5));
            }
        });
        assertFalse(e instanceof ApiException api && api.code() == ErrorCode.PERMISSION_DENIED,
                "refused at the handshake, not by a route: " + e);
    }

    private InetSocketAddress address() {
        int colon = managerAddr.lastIndexOf(':');
        return new InetSocketAddress(managerAddr.substring(0, colon), Integer.parseInt(managerAddr.substring(colon + 1)));
    }

    private Set<String> nodeIds() {
        return manager.client().nodeList().collectList().block(CALL).stream().map(n -> n.id().value()).collect(Collectors.toSet());
    }

    private void assertNothingWritten(Runnable refusal) {
        long before = manager.client().swarmInspect().block(CALL).version().index();
        Set<String> nodesBefore = nodeIds();
        refusal.run();
        assertEquals(before, manager.client().swarmInspect().block(CALL).version().index(), "the swarm is unchanged");
        assertEquals(nodesBefore, nodeIds(), "no node was added");
    }
}
