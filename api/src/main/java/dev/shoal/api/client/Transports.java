package dev.shoal.api.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.rsocket.transport.ClientTransport;
import io.rsocket.transport.netty.client.TcpClientTransport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import reactor.netty.tcp.TcpClient;

/**
 * Client transports for a daemon address, as Docker's CLI reads {@code -H}: {@code unix:///path}
 * or {@code tcp://host:port}.
 */
public final class Transports {
    /** The daemon's control socket when neither {@code --host} nor {@code SHOAL_HOST} is set. */
    public static final String DEFAULT_SOCKET = "/var/run/shoal/shoal.sock";
    public static final String DEFAULT_HOST = "unix://" + DEFAULT_SOCKET;

    private Transports() {}

    /**
     * A transport for {@code host}. Unix sockets use the epoll transport explicitly: Reactor Netty
     * would otherwise pick io_uring where the kernel has it.
     *
     * @throws IllegalArgumentException naming the address when it is neither unix:// nor tcp://
     */
    public static ClientTransport forHost(String host, EventLoopGroup group) {
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid host address: " + host + ": " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if ("unix".equals(scheme)) {
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                throw new IllegalArgumentException("invalid host address: " + host + ": expected unix:///path/to.sock");
            }
            Path path = Path.of(uri.getPath());
            return TcpClientTransport.create(TcpClient.create()
                    .runOn(group)
                    .remoteAddress(() -> new DomainSocketAddress(path.toString())));
        }
        if ("tcp".equals(scheme)) {
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("invalid host address: " + host + ": expected tcp://host:port");
            }
            return TcpClientTransport.create(TcpClient.create()
                    .runOn(group)
                    .remoteAddress(() -> InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort())));
        }
        throw new IllegalArgumentException("invalid host address: " + host + ": the scheme must be unix:// or tcp://");
    }

    /** A small event loop group for clients: epoll where available (needed for unix sockets). */
    public static EventLoopGroup newClientGroup(String name) {
        return new MultiThreadIoEventLoopGroup(1,
                new io.netty.util.concurrent.DefaultThreadFactory(name, true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }
}
