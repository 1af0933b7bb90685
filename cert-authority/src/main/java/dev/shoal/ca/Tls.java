package dev.shoal.ca;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * Netty {@link SslContext}s for the swarm's links: TLS 1.3 only, on the JDK's TLS engine, with
 * identity checked by the trust manager and never by host name.
 *
 * <p>Build them once per listener or client with a {@link ReloadingKeyManager} and a
 * {@link ClusterTrustManager} (or a {@link TokenTrustManager} while joining); both read the
 * node's current credentials on every handshake, so renewals and CA rotations need no rebuild.
 * Apache Ratis' gRPC transport takes the same key and trust managers directly
 * ({@code GrpcTlsConfig(KeyManager, TrustManager, boolean)}).
 */
public final class Tls {
    /** The only protocol version offered or accepted. */
    public static final String PROTOCOL = "TLSv1.3";

    private Tls() {}

    /**
     * A server context.
     *
     * @param keyManager the node's certificate, usually a {@link ReloadingKeyManager}
     * @param trustManager how client certificates are checked, usually a {@link ClusterTrustManager}
     * @param clientAuth {@link ClientAuth#REQUIRE} between nodes; {@link ClientAuth#OPTIONAL} where
     *     a joining node without a certificate connects (then {@link #peerIdentity} is null for it)
     */
    public static SslContext server(KeyManager keyManager, TrustManager trustManager, ClientAuth clientAuth) {
        Objects.requireNonNull(keyManager, "keyManager");
        Objects.requireNonNull(trustManager, "trustManager");
        Objects.requireNonNull(clientAuth, "clientAuth");
        try {
            return SslContextBuilder.forServer(keyManager)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOL)
                    .trustManager(trustManager)
                    .clientAuth(clientAuth)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a " + PROTOCOL + " server context: " + e.getMessage(), e);
        }
    }

    /**
     * A client context.
     *
     * @param keyManager the node's certificate, or null for a client without one (a joining node)
     * @param trustManager how the server's certificate is checked
     */
    public static SslContext client(KeyManager keyManager, TrustManager trustManager) {
        Objects.requireNonNull(trustManager, "trustManager");
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOL)
                .trustManager(trustManager)
                // Nodes are identified by their certificate's CN, OU and O, which the trust manager checks.
                .endpointIdentificationAlgorithm(null);
        if (keyManager != null) {
            builder.keyManager(keyManager);
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a " + PROTOCOL + " client context: " + e.getMessage(), e);
        }
    }

    /**
     * The identity in the certificate the peer presented in {@code session}, or null if it
     * presented none (a client of a server with {@link ClientAuth#OPTIONAL}).
     *
     * @throws IllegalArgumentException if the peer's certificate is not a node certificate (only
     *     possible if the trust manager did not check it)
     */
    public static NodeIdentity peerIdentity(SSLSession session) {
        Objects.requireNonNull(session, "session");
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain == null || chain.length == 0) {
            return null;
        }
        if (!(chain[0] instanceof X509Certificate leaf)) {
            throw new IllegalArgumentException("peer certificate is not X.509 but " + chain[0].getType());
        }
        return NodeIdentity.of(leaf);
    }
}
