package dev.shoal.ca;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;

/**
 * Real TLS over 127.0.0.1 with Netty: a server on an ephemeral port that echoes, and clients that
 * connect to it. Each side's handshake result is reported separately, because in TLS 1.3 the
 * client finishes its handshake before the server has checked the client's certificate.
 */
final class TlsLoopback implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** One side's handshake: the session, or why it failed. */
    record Side(Channel channel, SSLSession session, Throwable failure) {
        boolean succeeded() {
            return failure == null;
        }

        NodeIdentity peer() {
            return Tls.peerIdentity(session);
        }
    }

    /** Both sides of one connection. */
    record Outcome(Side server, Side client) {}

    /** A listening server; connections are made one at a time. */
    final class Server implements AutoCloseable {
        private final Channel channel;
        private final BlockingQueue<Side> accepted = new LinkedBlockingQueue<>();

        private Server(SslContext context) throws InterruptedException {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = context.newHandler(ch.alloc());
                            ch.pipeline().addLast(ssl, new Echo(), new SwallowErrors());
                            ssl.handshakeFuture().addListener(f -> accepted.add(side(ch, ssl, f)));
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0)
                    .sync()
                    .channel();
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        /** Connects with {@code context} and waits for both handshakes to finish. */
        Outcome connect(SslContext context) throws Exception {
            CompletableFuture<Side> client = new CompletableFuture<>();
            Channel ch = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            // Host and port let the JDK resume sessions, as a real client would.
                            SslHandler ssl = context.newHandler(ch.alloc(), "127.0.0.1", port());
                            ch.pipeline().addLast(ssl, new Replies(), new SwallowErrors());
                            ssl.handshakeFuture().addListener(f -> client.complete(side(ch, ssl, f)));
                        }
                    })
                    .connect(InetAddress.getLoopbackAddress(), port())
                    .sync()
                    .channel();
            Side server = nextAccepted();
            Side clientSide = client.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Outcome(server, clientSide);
        }

        /** Connects without TLS, sends {@code text}, and returns the server's handshake result. */
        Side connectPlaintext(String text) throws Exception {
            Channel ch = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new SwallowErrors())
                    .connect(InetAddress.getLoopbackAddress(), port())
                    .sync()
                    .channel();
            ch.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
            Side server = nextAccepted();
            if (!ch.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new TimeoutException("the server did not close the plaintext connection");
            }
            return server;
        }

        private Side nextAccepted() throws InterruptedException, TimeoutException {
            Side side = accepted.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (side == null) {
                throw new TimeoutException("no server-side handshake result");
            }
            return side;
        }

        @Override
        public void close() throws InterruptedException {
            channel.close().sync();
        }
    }

    /** Starts a server with {@code context}. */
    Server serve(SslContext context) throws InterruptedException {
        return new Server(context);
    }

    /** One connection to a fresh server. */
    Outcome handshake(SslContext server, SslContext client) throws Exception {
        try (Server s = serve(server)) {
            Outcome outcome = s.connect(client);
            outcome.client().channel().close().sync();
            return outcome;
        }
    }

    /** Sends {@code text} over an established client channel and waits for the server's echo. */
    static String roundTrip(Channel client, String text) throws Exception {
        Replies replies = client.pipeline().get(Replies.class);
        client.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)).sync();
        return replies.next.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static Side side(Channel ch, SslHandler ssl, Future<?> handshake) {
        return handshake.isSuccess()
                ? new Side(ch, ssl.engine().getSession(), null)
                : new Side(ch, null, handshake.cause());
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    private static final class Replies extends ChannelInboundHandlerAdapter {
        final BlockingQueue<String> next = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                next.add(buf.toString(StandardCharsets.UTF_8));
            } finally {
                buf.release();
            }
        }
    }

    /** Expected failures end here instead of as warnings at the pipeline's tail. */
    @ChannelHandler.Sharable
    private static final class SwallowErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
