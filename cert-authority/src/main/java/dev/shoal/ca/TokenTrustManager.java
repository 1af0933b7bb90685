package dev.shoal.ca;

import io.netty.handler.ssl.ResumableX509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts a manager for a node that is joining with a {@link JoinToken} and has no credentials yet.
 *
 * <p>The manager's chain must contain a self-signed CA certificate whose digest is the token's CA
 * digest; the manager's certificate must be issued by that root, valid now, and say
 * {@link Role#MANAGER}. Nothing is trusted on first use: a manager of another swarm, or a
 * man in the middle with its own CA, is refused with the digest it presented.
 *
 * <p>After a successful handshake {@link #verifiedRoot()} is the root that matched, which the
 * joining node stores as its trusted root. This trust manager only verifies servers.
 */
public final class TokenTrustManager extends X509ExtendedTrustManager implements ResumableX509ExtendedTrustManager {
    private static final Logger logger = LoggerFactory.getLogger(TokenTrustManager.class);

    private final JoinToken token;
    private final Clock clock;
    private final AtomicReference<X509Certificate> verifiedRoot = new AtomicReference<>();

    /** A trust manager for managers of the CA that {@code token} pins. */
    public TokenTrustManager(JoinToken token, Clock clock) {
        this.token = Objects.requireNonNull(token, "token");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The root that matched the token's digest in the last successful check, if any. */
    public Optional<X509Certificate> verifiedRoot() {
        return Optional.ofNullable(verifiedRoot.get());
    }

    /**
     * Verifies a manager's chain against the token and returns the manager's identity.
     *
     * @throws CertificateException saying why the manager is not trusted
     */
    public NodeIdentity verify(X509Certificate[] chain) throws CertificateException {
        try {
            return check(chain);
        } catch (CertificateException e) {
            logger.debug("refused a manager while joining: {}", e.getMessage());
            throw e;
        }
    }

    private NodeIdentity check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0 || chain[0] == null) {
            throw new CertificateException("the manager presented no certificate");
        }
        X509Certificate root = null;
        X509Certificate otherRoot = null;
        for (X509Certificate candidate : chain) {
            if (candidate == null || candidate.getBasicConstraints() < 0 || !Certificates.isSelfSigned(candidate)) {
                continue;
            }
            if (token.matchesCa(candidate)) {
                root = candidate;
                break;
            }
            otherRoot = otherRoot == null ? candidate : otherRoot;
        }
        if (root == null) {
            String remote = otherRoot == null ? "none: the manager sent no root certificate"
                    : JoinToken.digestOf(otherRoot);
            throw new CertificateException("the manager's CA does not match the join token's CA digest "
                    + "(remote CA digest " + remote + ")");
        }
        X509Certificate leaf = chain[0];
        if (!Certificates.signedBy(leaf, root)) {
            throw new CertificateException("the manager's certificate is not issued by the join token's CA (subject "
                    + Chains.subject(leaf) + ", issuer " + leaf.getIssuerX500Principal().getName() + ")");
        }
        Instant now = clock.instant();
        Chains.checkValidity(leaf, now, "certificate");
        Chains.checkValidity(root, now, "the swarm's root CA certificate");
        Chains.checkNodeCertificate(leaf, Chains.Purpose.SERVER);
        NodeIdentity manager = Chains.identity(leaf);
        if (manager.role() != Role.MANAGER) {
            throw new CertificateException("node " + manager.nodeId() + " is a " + manager.role().ou()
                    + "; only a manager can admit a joining node");
        }
        verifiedRoot.set(root);
        return manager;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void resumeServerTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw clientsNotVerified();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw clientsNotVerified();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw clientsNotVerified();
    }

    @Override
    public void resumeClientTrusted(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        throw clientsNotVerified();
    }

    /** None: a joining node asks the manager for nothing, and presents no certificate itself. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private static CertificateException clientsNotVerified() {
        return new CertificateException("a join token verifies managers, not clients");
    }
}
