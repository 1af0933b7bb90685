package dev.shoal.ca;

import io.netty.handler.ssl.ResumableX509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts the nodes of one swarm: a peer's certificate must be issued by one of the swarm's
 * current roots, valid now, a node certificate for the peer's side of the connection, and its
 * identity ({@link NodeIdentity}) must pass a {@link PeerPolicy}. The same class checks clients
 * (on a server) and servers (on a client).
 *
 * <p>Host names play no part: a node is identified by its certificate's CN, OU and O, so
 * contexts built by {@link Tls} disable hostname verification. Intermediate CAs are not used, so
 * the path is the peer's certificate and the root that signed it; other certificates the peer
 * sends are ignored.
 *
 * <p>The roots are read from the supplier on every handshake, so a CA rotation takes effect
 * without rebuilding contexts. On Netty, a resumed TLS session is checked again
 * ({@link ResumableX509ExtendedTrustManager}), so that a node removed since its first handshake
 * cannot come back by resuming its session.
 *
 * <p>Thread-safe if the supplier and the policy are.
 */
public final class ClusterTrustManager extends X509ExtendedTrustManager
        implements ResumableX509ExtendedTrustManager {
    private static final Logger logger = LoggerFactory.getLogger(ClusterTrustManager.class);

    private final Supplier<List<X509Certificate>> roots;
    private final PeerPolicy policy;
    private final Clock clock;

    /**
     * A trust manager for the swarm whose current roots {@code roots} returns.
     *
     * @param roots the trusted roots, read on every handshake (e.g. from the node's current
     *     {@link NodeCredentials#roots()})
     * @param policy what the peer must be
     * @param clock the time certificates must be valid at
     */
    public ClusterTrustManager(Supplier<List<X509Certificate>> roots, PeerPolicy policy, Clock clock) {
        this.roots = Objects.requireNonNull(roots, "roots");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies a chain a peer presented and returns the peer's identity; the check every handshake
     * runs.
     *
     * @param peerIsClient whether the peer is the TLS client (it must then be allowed client
     *     authentication) or the server
     * @throws CertificateException saying why the peer is not trusted
     */
    public NodeIdentity verify(X509Certificate[] chain, boolean peerIsClient) throws CertificateException {
        Chains.Purpose purpose = peerIsClient ? Chains.Purpose.CLIENT : Chains.Purpose.SERVER;
        try {
            return verify(chain, purpose);
        } catch (CertificateException e) {
            logger.debug("refused a TLS {}: {}", purpose.description, e.getMessage());
            throw e;
        }
    }

    private NodeIdentity verify(X509Certificate[] chain, Chains.Purpose purpose) throws CertificateException {
        if (chain == null || chain.length == 0 || chain[0] == null) {
            throw new CertificateException(
                    purpose == Chains.Purpose.CLIENT ? "no client certificate" : "the server presented no certificate");
        }
        X509Certificate leaf = chain[0];
        List<X509Certificate> trusted = roots.get();
        if (trusted == null || trusted.isEmpty()) {
            throw new CertificateException("no trusted root CA is configured");
        }
        X509Certificate root = Certificates.issuerAmong(leaf, trusted);
        if (root == null) {
            throw new CertificateException("certificate not issued by this swarm's CA (issuer "
                    + leaf.getIssuerX500Principal().getName() + "; its signature does not verify with "
                    + (trusted.size() == 1 ? "the swarm's root" : "any of the swarm's " + trusted.size() + " roots")
                    + "; subject " + Chains.subject(leaf) + ")");
        }
        Instant now = clock.instant();
        Chains.checkValidity(leaf, now, "certificate");
        Chains.checkValidity(root, now, "the swarm's root CA certificate");
        Chains.checkNodeCertificate(leaf, purpose);
        NodeIdentity peer = Chains.identity(leaf);
        policy.check(peer);
        return peer;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, false);
    }

    @Override
    public void resumeClientTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        verify(chain, true);
    }

    @Override
    public void resumeServerTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        verify(chain, false);
    }

    /** The current roots, which a server names to clients as acceptable issuers. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> trusted = roots.get();
        return trusted == null ? new X509Certificate[0] : trusted.toArray(X509Certificate[]::new);
    }
}
