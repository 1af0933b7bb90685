package dev.shoal.controlplane.cluster;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.message.ManagerAddress;
import dev.shoal.api.message.NodeJoinRequest;
import dev.shoal.api.message.NodeJoinResponse;
import dev.shoal.api.message.NodeRenewRequest;
import dev.shoal.api.message.NodeRenewResponse;
import dev.shoal.api.model.ManagerStatus;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Version;
import dev.shoal.ca.Csr;
import dev.shoal.ca.InvalidCsrException;
import dev.shoal.ca.InvalidJoinTokenException;
import dev.shoal.ca.JoinToken;
import dev.shoal.ca.NodeIdentity;
import dev.shoal.ca.Role;
import dev.shoal.ca.RootCa;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.StoreView;
import dev.shoal.controlplane.store.Transaction;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The swarm's certificate authority as a manager serves it: {@code node.join} (a join token and a
 * CSR in, a node id and certificate out) and {@code node.renew}. The signing root and its key live
 * in the Raft store ({@link Swarm#rootCa()}), so any manager can sign; a join commits the new node
 * first and answers only once it is stored, so a refused join writes nothing.
 *
 * <p>The CA decides everything a certificate says: CN is a node id it chooses, OU the role of the
 * token that matched (or, on renewal, the role the store holds), O the swarm's id.
 */
public final class CaService {
    private static final Logger log = LoggerFactory.getLogger(CaService.class);

    private final ClusterStore store;
    private final Clock clock;
    private final Function<StoreView, List<ManagerAddress>> managers;
    private volatile Signer signer; // cache of the parsed root, by its PEM

    private record Signer(String certPem, String keyPem, RootCa ca) {}

    public CaService(ClusterStore store, Clock clock, Function<StoreView, List<ManagerAddress>> managers) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.managers = Objects.requireNonNull(managers, "managers");
    }

    /** {@code node.join}; must run on the leader (the follower forwards it). */
    public Mono<NodeJoinResponse> join(NodeJoinRequest request) {
        return Mono.defer(() -> {
            StoreView view = store.view();
            Swarm swarm = requireSwarm(view);
            Role role = roleOf(swarm, request.token());
            PKCS10CertificationRequest csr = parseCsr(request.csr());
            NodeId id = NodeId.random();
            RootCa ca = signer(swarm);
            X509Certificate cert = issue(ca, csr, id.value(), role, swarm);
            Instant now = clock.instant();
            NodeSpec.Role specRole = role == Role.MANAGER ? NodeSpec.Role.MANAGER : NodeSpec.Role.WORKER;
            String addr = hostOf(request.advertiseAddr());
            Node node = new Node(id, Version.ZERO, now, now,
                    new NodeSpec(null, null, specRole, NodeSpec.Availability.ACTIVE),
                    request.description(),
                    new NodeStatus(NodeStatus.State.UNKNOWN, null, addr),
                    role == Role.MANAGER ? new ManagerStatus(false, "unknown", request.advertiseAddr()) : null);
            return store.commit(Transaction.of(Change.create(node)))
                    .map(after -> {
                        log.info("node {} ({}) joined as a {}", id, request.description() == null ? "?" : request.description().hostname(),
                                role == Role.MANAGER ? "manager" : "worker");
                        return new NodeJoinResponse(id.value(), swarm.id(), role == Role.MANAGER ? "manager" : "worker",
                                dev.shoal.ca.CertificatePem.encode(cert), swarm.tlsInfo().trustRoot(), managers.apply(after));
                    });
        });
    }

    /** {@code node.renew} for the node of {@code peer}'s certificate; any manager serves it. */
    public Mono<NodeRenewResponse> renew(NodeIdentity peer, NodeRenewRequest request) {
        return Mono.fromCallable(() -> {
            if (peer == null) {
                throw new ApiException(ErrorCode.PERMISSION_DENIED, "renewing a certificate needs the node's current certificate");
            }
            StoreView view = store.view();
            Swarm swarm = requireSwarm(view);
            Node node = view.nodes().get(NodeId.of(peer.nodeId()));
            if (node == null || swarm.removedNodes().contains(peer.nodeId())) {
                throw new ApiException(ErrorCode.PERMISSION_DENIED, "node " + peer.nodeId() + " is not part of this swarm");
            }
            Role role = node.spec().role() == NodeSpec.Role.MANAGER ? Role.MANAGER : Role.WORKER;
            PKCS10CertificationRequest csr = parseCsr(request.csr());
            X509Certificate cert = issue(signer(swarm), csr, peer.nodeId(), role, swarm);
            log.info("renewed the certificate of node {} as a {}", peer.nodeId(), role.ou());
            return new NodeRenewResponse(role == Role.MANAGER ? "manager" : "worker", dev.shoal.ca.CertificatePem.encode(cert), swarm.tlsInfo().trustRoot());
        });
    }

    private static Swarm requireSwarm(StoreView view) {
        Swarm swarm = view.swarm();
        if (swarm == null || swarm.rootCa() == null || swarm.joinTokens() == null) {
            throw new ApiException(ErrorCode.FAILED_PRECONDITION, "this manager's swarm has no certificate authority yet");
        }
        return swarm;
    }

    /** The role of the token that matched; refused with a message that never repeats the secret. */
    static Role roleOf(Swarm swarm, String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.invalid("Token", "\"\"", "a join token is required");
        }
        JoinToken token;
        try {
            token = JoinToken.parse(text.trim());
        } catch (InvalidJoinTokenException e) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
        JoinToken manager = JoinToken.parse(swarm.joinTokens().manager());
        JoinToken worker = JoinToken.parse(swarm.joinTokens().worker());
        if (!token.caDigest().equals(manager.caDigest())) {
            throw new ApiException(ErrorCode.PERMISSION_DENIED,
                    "invalid join token: its CA digest does not match this swarm's root CA (a token of another swarm, or from before a CA rotation)");
        }
        if (manager.secretMatches(token.secret())) {
            return Role.MANAGER;
        }
        if (worker.secretMatches(token.secret())) {
            return Role.WORKER;
        }
        throw new ApiException(ErrorCode.PERMISSION_DENIED,
                "invalid join token: it matches neither the current worker nor manager token (was it rotated?)");
    }

    private static PKCS10CertificationRequest parseCsr(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw ApiException.invalid("CSR", "\"\"", "a certificate signing request is required");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("CSR", "(" + base64.length() + " characters)", "must be base64 of a PKCS#10 DER request");
        }
        try {
            return Csr.fromDer(der);
        } catch (InvalidCsrException e) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "invalid CSR: " + e.getMessage());
        }
    }

    private X509Certificate issue(RootCa ca, PKCS10CertificationRequest csr, String nodeId, Role role, Swarm swarm) {
        try {
            return ca.issue(csr, nodeId, role, swarm.id(), Duration.ofNanos(swarm.spec().nodeCertExpiryNanos()), clock);
        } catch (InvalidCsrException e) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "invalid CSR: " + e.getMessage());
        }
    }

    private RootCa signer(Swarm swarm) {
        Signer s = signer;
        Swarm.RootCa root = swarm.rootCa();
        if (s == null || !s.certPem().equals(root.caCert()) || !s.keyPem().equals(root.caKey())) {
            if (root.caKey() == null) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION, "this manager has no signing key for the swarm's CA");
            }
            s = new Signer(root.caCert(), root.caKey(), RootCa.fromPem(root.caCert(), root.caKey()));
            signer = s;
        }
        return s.ca();
    }

    private static String hostOf(String addr) {
        if (addr == null) {
            return null;
        }
        int colon = addr.lastIndexOf(':');
        return colon > 0 ? addr.substring(0, colon) : addr;
    }
}
