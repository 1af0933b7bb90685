package dev.shoal.controlplane.store;

import dev.shoal.ca.ClusterTrustManager;
import dev.shoal.ca.Csr;
import dev.shoal.ca.NodeCredentials;
import dev.shoal.ca.PeerPolicy;
import dev.shoal.ca.ReloadingKeyManager;
import dev.shoal.ca.Role;
import dev.shoal.ca.RootCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several Raft members in one JVM on loopback, with mutual TLS from a CA of their own: member 0
 * bootstraps the group, the others start empty and are added by it, as managers joining a swarm.
 * For tests and benchmarks of a group larger than one.
 */
public final class RaftGroup implements AutoCloseable {
    public static final String CLUSTER = "raft-group-test";

    private final RootCa ca = RootCa.generate(Clock.systemUTC());
    private final Path dir;
    private final List<RaftClusterStore> members = new ArrayList<>();

    private RaftGroup(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code size} members and waits until all are in the group. */
    public static RaftGroup start(Path dir, int size) {
        RaftGroup g = new RaftGroup(dir);
        try {
            g.members.add(g.member("m0", RaftClusterStore.Startup.BOOTSTRAP, Role.MANAGER));
            g.members.getFirst().awaitLeader(Duration.ofSeconds(30)).block();
            for (int i = 1; i < size; i++) {
                g.add("m" + i);
            }
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** Starts a member {@code id} and has the leader add it. */
    public RaftClusterStore add(String id) {
        RaftClusterStore m = member(id, RaftClusterStore.Startup.JOIN, Role.MANAGER);
        members.add(m);
        leader().addMember(new RaftClusterStore.Member(id, m.config().advertiseAddress())).block(Duration.ofSeconds(30));
        return m;
    }

    /** A member (not added to the group) whose certificate has {@code role}: for refusal tests. */
    public RaftClusterStore member(String id, RaftClusterStore.Startup startup, Role role) {
        NodeCredentials creds = credentials(id, role);
        RaftClusterStore.RaftTls tls = new RaftClusterStore.RaftTls(new ReloadingKeyManager(() -> creds),
                new ClusterTrustManager(() -> List.of(ca.certificate()), PeerPolicy.requireRole(Role.MANAGER), Clock.systemUTC()));
        InetSocketAddress addr = freeLoopbackAddress();
        return RaftClusterStore.startNow(new RaftClusterStore.StoreConfig(id, addr, null, dir.resolve(id), tls, startup));
    }

    public NodeCredentials credentials(String id, Role role) {
        KeyPair keys = Csr.newKeyPair();
        X509Certificate cert = ca.issue(Csr.create(keys, id, null), id, role, CLUSTER, Duration.ofDays(1), Clock.systemUTC());
        return NodeCredentials.of(keys.getPrivate(), cert, List.of(ca.certificate()));
    }

    public List<RaftClusterStore> members() {
        return members;
    }

    /** The member that leads now (waits up to 30 s for one). */
    public RaftClusterStore leader() {
        await("a member of " + members + " to lead", () -> members.stream().anyMatch(RaftClusterStore::isLeader));
        return members.stream().filter(RaftClusterStore::isLeader).findFirst()
                .orElseThrow(() -> new AssertionError("the leader of " + members + " stepped down just now"));
    }

    /** Waits up to 30 s for {@code condition}; fails naming {@code what}. */
    public static void await(String what, java.util.function.BooleanSupplier condition) {
        Boolean held = reactor.core.publisher.Flux.interval(Duration.ZERO, Duration.ofMillis(20))
                .filter(i -> condition.getAsBoolean())
                .next()
                .map(i -> true)
                .timeout(Duration.ofSeconds(30), reactor.core.publisher.Mono.just(false))
                .block();
        if (!Boolean.TRUE.equals(held)) {
            throw new AssertionError("timed out after 30 s waiting for " + what);
        }
    }

    static InetSocketAddress freeLoopbackAddress() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (RaftClusterStore m : members) {
            m.close();
        }
    }
}
