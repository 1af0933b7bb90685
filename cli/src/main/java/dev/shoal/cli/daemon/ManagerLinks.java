package dev.shoal.cli.daemon;

import dev.shoal.api.client.ShoalClient;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.rsocket.RSocket;
import io.rsocket.transport.netty.client.TcpClientTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * Mutual-TLS RSocket connections from this node to managers' APIs ({@code host:2377}): one cached
 * connection per address for forwarding ({@link #cached}), and fresh ones for agent sessions
 * ({@link #connect}). A cached connection that closes is dropped, so the next call dials again.
 * The TLS context comes from a supplier, so a renewed certificate is used by the next connection.
 */
final class ManagerLinks implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final Supplier<SslContext> ssl;
    private final EventLoopGroup group;
    private final Map<String, Mono<RSocket>> cache = new ConcurrentHashMap<>();

    ManagerLinks(Supplier<SslContext> ssl, EventLoopGroup group) {
        this.ssl = ssl;
        this.group = group;
    }

    /** A new connection to {@code address}. */
    Mono<RSocket> connect(String address) {
        return connect(address, ssl.get());
    }

    /** A new connection to {@code address} with {@code context} (a joining node's token-checking context). */
    Mono<RSocket> connect(String address, SslContext context) {
        return Mono.defer(() -> {
            InetSocketAddress remote = SwarmAddresses.HostPort.parse("RemoteAddrs", address, ShoalDaemon.DEFAULT_MANAGER_PORT).socketAddress();
            TcpClient tcp = TcpClient.create()
                    .runOn(group)
                    .remoteAddress(() -> remote)
                    .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                    .secure(spec -> spec.sslContext(context));
            return ShoalClient.connector().connect(TcpClientTransport.create(tcp));
        });
    }

    /** The shared connection to {@code address}, dialled on first use and again after it closes. */
    Mono<RSocket> cached(String address) {
        return cache.computeIfAbsent(address, a -> connect(a)
                .doOnNext(rs -> rs.onClose().doFinally(s -> cache.remove(a)).subscribe())
                .doOnError(e -> cache.remove(a))
                .cache());
    }

    @Override
    public void close() {
        for (Mono<RSocket> m : cache.values()) {
            m.subscribe(RSocket::dispose, e -> { });
        }
        cache.clear();
    }
}
