package dev.shoal.cli.daemon;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.tcp.TcpServer;

/**
 * The daemon's control socket: an RSocket server on a unix domain socket, mode 0660, served by
 * one {@link RSocket} (the daemon's route table).
 *
 * <p>It runs on its own epoll event loop group: Reactor Netty would otherwise pick io_uring where
 * the kernel has it, and unix sockets need a native transport anyway. Inbound payloads are allowed
 * up to {@value #MAX_INBOUND_PAYLOAD} bytes, well above the API's 1 MiB request limit, so that an
 * oversized request reaches the route table and gets its clear RESOURCE_EXHAUSTED error instead of
 * a dropped connection.
 */
final class ControlSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);

    /** {@code sun_path} is 108 bytes with its terminating NUL. */
    static final int MAX_PATH_BYTES = 108;
    static final int MAX_INBOUND_PAYLOAD = 16 << 20;
    static final int EVENT_LOOP_THREADS = 2;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Path path;
    private final EventLoopGroup group;
    private final CloseableChannel channel;

    private ControlSocket(Path path, EventLoopGroup group, CloseableChannel channel) {
        this.path = path;
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds the socket: creates its directory, removes a stale socket file left by a daemon that
     * died, binds, and sets mode 0660.
     *
     * @param threadName prefix of the event loop threads
     * @throws IllegalStateException when the path is too long or another daemon listens there
     * @throws UncheckedIOException  when the socket cannot be bound
     */
    static ControlSocket bind(Path path, RSocket handler, String threadName) {
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length >= MAX_PATH_BYTES) {
            throw new IllegalStateException("socket path too long: " + path + " is " + length
                    + " bytes, a unix socket path must be shorter than " + MAX_PATH_BYTES);
        }
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("the epoll transport is not available: " + Epoll.unavailabilityCause());
        }
        try {
            Files.createDirectories(path.getParent());
            removeStale(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the control socket " + path + ": " + e.getMessage(), e);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS,
                new DefaultThreadFactory(threadName, true), EpollIoHandler.newFactory());
        try {
            TcpServer tcp = TcpServer.create()
                    .runOn(group)
                    .bindAddress(() -> new DomainSocketAddress(path.toString()));
            CloseableChannel channel = RSocketServer.create(SocketAcceptor.with(handler))
                    .maxInboundPayloadSize(MAX_INBOUND_PAYLOAD)
                    .bind(TcpServerTransport.create(tcp))
                    .block(CLOSE_TIMEOUT);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            log.info("control socket listening on unix://{}", path);
            return new ControlSocket(path, group, channel);
        } catch (IOException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new UncheckedIOException("cannot set the mode of the control socket " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + path + ": " + rootMessage(e), e);
        }
    }

    /** Removes a socket file nobody listens on; refuses when a daemon answers there. */
    private static void removeStale(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IllegalStateException("another daemon is listening on " + path + " (stop it, or use another --socket)");
        } catch (IOException refused) {
            log.info("removing the stale control socket {}", path);
            Files.deleteIfExists(path);
        }
    }

    Path path() {
        return path;
    }

    /** Stops accepting, closes connections, removes the socket file. Idempotent. */
    @Override
    public void close() {
        channel.dispose();
        try {
            channel.onClose().block(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("closing the control socket {}: {}", path, e.toString());
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("cannot remove the control socket {}: {}", path, e.toString());
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
