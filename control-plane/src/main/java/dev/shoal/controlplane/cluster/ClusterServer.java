package dev.shoal.controlplane.cluster;

import dev.shoal.ca.NodeIdentity;
import dev.shoal.ca.Tls;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.netty.RSocketLengthCodec;
import io.rsocket.transport.netty.TcpDuplexConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * The manager's network listener (TCP 2377): RSocket over TLS 1.3, where each connection is served
 * by the RSocket its peer's certificate allows. The handshake asks for a client certificate but
 * does not require one, so that a node that has only a join token can reach the CA; every route
 * but {@code node.join} then refuses a caller without one ({@link PeerAccess}).
 *
 * <p>Identity comes from the TLS session only (the certificate's CN, OU and O, checked by the
 * trust manager against this swarm's roots and removed nodes), never from what a request says.
 */
public final class ClusterServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterServer.class);
    static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

    private final DisposableServer server;

    private ClusterServer(DisposableServer server) {
        this.server = server;
    }

    /**
     * Binds {@code address}. Blocking.
     *
     * @param ssl     a server context with client authentication OPTIONAL
     * @param routes  the RSocket for a connection, from its peer's identity (null: no certificate)
     */
    public static ClusterServer bind(InetSocketAddress address, SslContext ssl, EventLoopGroup group,
                                     Function<NodeIdentity, RSocket> routes) {
        DisposableServer server = TcpServer.create()
                .runOn(group)
                .bindAddress(() -> address)
                .secure(spec -> spec.sslContext(ssl))
                .doOnConnection(connection -> {
                    SslHandler tls = connection.channel().pipeline().get(SslHandler.class);
                    NodeIdentity peer = tls == null ? null : Tls.peerIdentity(tls.engine().getSession());
                    connection.addHandlerLast(new RSocketLengthCodec());
                    RSocket handler = routes.apply(peer);
                    RSocketServer.create(SocketAcceptor.with(handler))
                            .asConnectionAcceptor()
                            .apply(new TcpDuplexConnection("server", connection))
                            .then(Mono.<Void>never())
                            .subscribe(connection.disposeSubscriber());
                })
                .bind()
                .block(BIND_TIMEOUT);
        log.info("manager listening on {} (TLS 1.3, mutual authentication)", server.address());
        return new ClusterServer(server);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
