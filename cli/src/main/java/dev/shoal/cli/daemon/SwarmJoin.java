package dev.shoal.cli.daemon;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.NodeJoinRequest;
import dev.shoal.api.message.NodeJoinResponse;
import dev.shoal.api.message.SwarmJoinRequest;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.ca.Csr;
import dev.shoal.ca.InvalidJoinTokenException;
import dev.shoal.ca.JoinToken;
import dev.shoal.ca.NodeCredentials;
import dev.shoal.ca.CertificatePem;
import dev.shoal.ca.Tls;
import dev.shoal.ca.TokenTrustManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rsocket.RSocket;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joining side of {@code swarm join}: checks the request, then asks the managers in turn for a
 * certificate. The TLS connection trusts only a manager whose chain ends in the root the token's CA
 * digest names (never trust on first use); the token's secret travels inside that connection.
 */
final class SwarmJoin {
    private static final Logger log = LoggerFactory.getLogger(SwarmJoin.class);

    private SwarmJoin() {}

    /** What a successful join gave this node. */
    record Joined(NodeJoinResponse response, NodeCredentials credentials, SwarmAddresses addresses) {}

    static Joined request(SwarmJoinRequest request, NodeDescription description, Clock clock, Duration timeout) {
        if (request.joinToken() == null || request.joinToken().isBlank()) {
            throw ApiException.invalid("JoinToken", "\"\"", "a join token is required");
        }
        JoinToken token;
        try {
            token = JoinToken.parse(request.joinToken().trim());
        } catch (InvalidJoinTokenException e) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        }
        if (request.remoteAddrs() == null || request.remoteAddrs().isEmpty()) {
            throw ApiException.invalid("RemoteAddrs", "[]", "at least one manager address is required");
        }
        List<String> remotes = new ArrayList<>();
        for (String r : request.remoteAddrs()) {
            remotes.add(SwarmAddresses.HostPort.parse("RemoteAddrs", r == null ? "" : r, ShoalDaemon.DEFAULT_MANAGER_PORT).toString());
        }
        SwarmAddresses addrs = SwarmAddresses.of(request.listenAddr(), request.advertiseAddr());
        KeyPair keys = Csr.newKeyPair();
        String csr = Base64.getEncoder().encodeToString(Csr.toDer(Csr.create(keys, "shoal-node", "swarm-worker")));
        NodeJoinRequest body = new NodeJoinRequest(request.joinToken().trim(), csr, description, addrs.advertise());
        SslContext ssl = Tls.client(null, new TokenTrustManager(token, clock));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("shoal-join", true), EpollIoHandler.newFactory());
        ManagerLinks links = new ManagerLinks(() -> ssl, group);
        RuntimeException last = null;
        try {
            for (String remote : remotes) {
                RSocket rs = null;
                try {
                    rs = links.connect(remote, ssl).block(timeout);
                    NodeJoinResponse response = ShoalClient.of(rs).call(Routes.NODE_JOIN, body, NodeJoinResponse.class).block(timeout);
                    X509Certificate cert = CertificatePem.decode(response.certificate(), "the certificate from the CA").getFirst();
                    List<X509Certificate> roots = CertificatePem.decode(response.rootCas(), "the root CAs from the manager");
                    return new Joined(response, NodeCredentials.of(keys.getPrivate(), cert, roots), addrs);
                } catch (ApiException e) {
                    if (e.code() != ErrorCode.UNAVAILABLE) {
                        throw e;
                    }
                    last = e;
                } catch (RuntimeException e) {
                    last = e;
                    log.info("cannot join through {}: {}", remote, e.toString());
                } finally {
                    if (rs != null) {
                        rs.dispose();
                    }
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        throw new ApiException(ErrorCode.UNAVAILABLE, "cannot join the swarm: no manager at " + remotes + " accepted the connection: "
                + (last == null ? "?" : rootMessage(last)));
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
