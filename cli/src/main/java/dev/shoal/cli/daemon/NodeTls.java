package dev.shoal.cli.daemon;

import dev.shoal.ca.ClusterTrustManager;
import dev.shoal.ca.NodeCredentials;
import dev.shoal.ca.NodeIdentity;
import dev.shoal.ca.ReloadingKeyManager;
import dev.shoal.ca.Role;
import dev.shoal.ca.Tls;
import dev.shoal.controlplane.store.RaftClusterStore;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * This node's TLS: its credentials (key, certificate, trusted roots, kept in
 * {@code swarm/certificates}) and the contexts every link uses. The key manager reads the current
 * credentials at each handshake, so a renewed certificate takes effect without restarting anything.
 *
 * <p>Peer checks, all from the peer's certificate: it chains to a trusted root, it is valid now, it
 * names this swarm (O), and its node has not been removed. A node this one dials as a manager
 * (the API, the dispatcher, Raft) must also be a manager (OU); on the server side of 2377 a worker
 * or a caller without a certificate is let in, and {@code PeerAccess} limits what it may call.
 */
final class NodeTls {
    private final Path dir;
    private final String clusterId;
    private final AtomicReference<NodeCredentials> credentials;
    private volatile Supplier<Set<String>> removedNodes = Set::of;
    private final ReloadingKeyManager keyManager;
    private final ClusterTrustManager anyNode;
    private final ClusterTrustManager managersOnly;
    private final SslContext server;
    private final SslContext client;

    NodeTls(NodeCredentials initial, Path dir, Clock clock) {
        this.dir = dir;
        this.credentials = new AtomicReference<>(Objects.requireNonNull(initial, "credentials"));
        this.clusterId = initial.identity().clusterId();
        this.keyManager = new ReloadingKeyManager(credentials::get);
        Supplier<java.util.List<java.security.cert.X509Certificate>> roots = () -> credentials.get().roots();
        this.anyNode = new ClusterTrustManager(roots, this::checkMember, clock);
        this.managersOnly = new ClusterTrustManager(roots, peer -> {
            checkMember(peer);
            if (peer.role() != Role.MANAGER) {
                throw new CertificateException("node " + peer.nodeId() + " is a worker, not a manager");
            }
        }, clock);
        this.server = Tls.server(keyManager, anyNode, ClientAuth.OPTIONAL);
        this.client = Tls.client(keyManager, managersOnly);
    }

    private void checkMember(NodeIdentity peer) throws CertificateException {
        if (!clusterId.equals(peer.clusterId())) {
            throw new CertificateException("the certificate of node " + peer.nodeId() + " is for swarm " + peer.clusterId()
                    + ", not this swarm (" + clusterId + ")");
        }
        if (removedNodes.get().contains(peer.nodeId())) {
            throw new CertificateException("node " + peer.nodeId() + " was removed from the swarm");
        }
    }

    /** Where removed nodes are looked up (a manager's store view); workers know none. */
    void removedNodesFrom(Supplier<Set<String>> source) {
        this.removedNodes = source;
    }

    NodeCredentials credentials() {
        return credentials.get();
    }

    NodeIdentity identity() {
        return credentials.get().identity();
    }

    /** Stores renewed credentials on disk first, then serves them from the next handshake on. */
    void update(NodeCredentials renewed) {
        try {
            renewed.writeTo(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot store the renewed certificate in " + dir + ": " + e.getMessage(), e);
        }
        credentials.set(renewed);
    }

    SslContext serverContext() {
        return server;
    }

    SslContext clientContext() {
        return client;
    }

    RaftClusterStore.RaftTls raft() {
        return new RaftClusterStore.RaftTls(keyManager, managersOnly);
    }
}
