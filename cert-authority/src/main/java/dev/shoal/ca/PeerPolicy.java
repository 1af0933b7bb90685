package dev.shoal.ca;

import java.security.cert.CertificateException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a TLS peer must be, beyond holding a certificate from the swarm's CA: checked by
 * {@link ClusterTrustManager} on every handshake, with the identity read from the verified
 * certificate.
 *
 * <p>A policy is called on TLS handshake threads (Netty event loops): it must be quick and must
 * not block, e.g. a look-up in an in-memory set of removed nodes.
 */
@FunctionalInterface
public interface PeerPolicy {
    /**
     * Accepts {@code peer} or refuses it.
     *
     * @throws CertificateException if the peer may not connect; the message says why and is the
     *     handshake failure's message
     */
    void check(NodeIdentity peer) throws CertificateException;

    /** This policy, then {@code next}: both must accept. */
    default PeerPolicy and(PeerPolicy next) {
        Objects.requireNonNull(next, "next");
        return peer -> {
            check(peer);
            next.check(peer);
        };
    }

    /** Accepts any node of the swarm. */
    static PeerPolicy anyNode() {
        return peer -> {};
    }

    /** Accepts only nodes whose certificate has {@code role}: "the role must be manager". */
    static PeerPolicy requireRole(Role role) {
        Objects.requireNonNull(role, "role");
        return peer -> {
            if (peer.role() != role) {
                throw new CertificateException("node " + peer.nodeId() + " is a " + peer.role().ou()
                        + "; the role must be " + role.ou());
            }
        };
    }

    /** Accepts only nodes of cluster {@code clusterId}. */
    static PeerPolicy requireCluster(String clusterId) {
        Objects.requireNonNull(clusterId, "clusterId");
        return peer -> {
            if (!peer.clusterId().equals(clusterId)) {
                throw new CertificateException("node " + peer.nodeId() + " belongs to cluster " + peer.clusterId()
                        + "; the cluster id must be " + clusterId);
            }
        };
    }

    /**
     * Refuses nodes for which {@code removed} answers true: a removed node's certificate stays
     * cryptographically valid until it expires, so the swarm refuses it by id.
     */
    static PeerPolicy rejectRemoved(Predicate<String> removed) {
        Objects.requireNonNull(removed, "removed");
        return peer -> {
            if (removed.test(peer.nodeId())) {
                throw new CertificateException("node " + peer.nodeId() + " was removed from the swarm");
            }
        };
    }
}
