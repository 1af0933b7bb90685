package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.tests.NetworkHosts.Host;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The virtual LAN itself: hosts reach each other and only each other, a disconnected host is cut
 * off until reconnected, and nothing is left behind, neither by close() nor by a dead run.
 * Traffic goes only to loopback and to addresses inside the namespaces the tests made.
 */
class NetworkHostsTest {
    private static final Duration RECONNECT = Duration.ofSeconds(5);

    @Test
    void hostsReachEachOtherAndADisconnectedHostIsCutOffUntilReconnected() {
        NetworkHosts lan = NetworkHosts.create(3);
        String prefix = lan.prefix();
        try {
            List<Host> hosts = lan.hosts();
            assertEquals(3, hosts.size());
            assertEquals(3, new HashSet<>(hosts.stream().map(Host::address).toList()).size(), "distinct addresses: " + hosts);
            for (Host h : hosts) {
                assertTrue(h.namespace().startsWith(prefix + "-"), h + " is named after the LAN " + prefix);
                assertTrue(h.hubLink().length() <= 15, "interface name " + h.hubLink() + " fits in 15 characters");
                assertEquals(List.of(h.address() + "/24"), inet4(h), "eth0 of " + h);
            }
            assertEquals(lan.host(0).address().replaceAll("\\.1$", ".0/24"), lan.subnet());
            assertTrue(NetworkHosts.namespaceNames().contains(lan.hubNamespace()), "the hub exists");
            assertNothingInRootNamespace(lan);

            for (Host from : hosts) {
                for (Host to : hosts) {
                    if (from != to) {
                        assertTrue(from.ping(to), from + " pings " + to);
                    }
                }
            }

            Host cut = lan.host(2);
            lan.disconnect(cut);
            assertFalse(lan.host(0).ping(cut), "h1 cannot ping the disconnected " + cut);
            assertFalse(cut.ping(lan.host(1)), "the disconnected " + cut + " cannot ping h2");
            assertTrue(lan.host(0).ping(lan.host(1)), "h1 and h2 still reach each other");

            lan.reconnect(cut);
            Await.until(RECONNECT, "h1 to reach " + cut + " again", () -> lan.host(0).ping(cut));
            // the bridge relearns the port: the first ping after a reconnect may be lost
            Await.until(RECONNECT, cut + " to reach h2 again", () -> cut.ping(lan.host(1)));
        } finally {
            lan.close();
        }
        assertTrue(NetworkHosts.namespaceNames().stream().noneMatch(ns -> ns.startsWith(prefix)),
                "no namespace of " + prefix + " is left: " + NetworkHosts.namespaceNames());
        assertFalse(Files.exists(NetworkHosts.OWNERS.resolve(prefix + ".pid")), "the owner record is removed");
        lan.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> lan.disconnect(lan.host(0)), "a closed LAN cannot be changed");
    }

    @Test
    void aServerInOneHostIsReachableFromAnotherHostButNotFromThisMachine() throws Exception {
        int port = DaemonProcess.freePort(); // free on this machine's loopback, so a refusal there means isolation
        Process lingering;
        try (NetworkHosts lan = NetworkHosts.create(2)) {
            Host server = lan.host(0);
            Host client = lan.host(1);
            lingering = server.start("busybox", "sleep", "600");
            Process nc = server.start("busybox", "nc", "-l", "-p", Integer.toString(port));
            Await.until(Duration.ofSeconds(5), "nc to listen on port " + port + " in " + server,
                    () -> server.exec("busybox", "netstat", "-ltn").stream().anyMatch(l -> l.contains(":" + port + " ")),
                    () -> server.exec("busybox", "netstat", "-ltn"));

            assertThrows(ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                }
            }, "the server in " + server + " is not on this machine's loopback");

            NetworkHosts.ExecResult sent = client.run(Duration.ofSeconds(10), "busybox", "sh", "-c",
                    "echo hello from " + client.name() + " | busybox nc -w 2 " + server.address() + " " + port);
            assertTrue(sent.ok(), "the client in " + client + " connects: " + sent);
            assertTrue(nc.waitFor(5, TimeUnit.SECONDS), "nc exits after its one connection");
            String received = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("hello from h2", received.strip(), "what the server in " + server + " received");
            assertTrue(lingering.isAlive());
        }
        assertTrue(lingering.waitFor(5, TimeUnit.SECONDS), "close() ends what Host.start() started");
    }

    @Test
    void leftoversOfDeadRunsAreRemovedButLiveLansAreNot() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        long deadStart = gone.info().startInstant().map(i -> i.toEpochMilli()).orElse(1L);

        List<String> made = new ArrayList<>();
        Files.createDirectories(NetworkHosts.OWNERS);
        String deadOwner = NetworkHosts.MARKER + "zz" + suffix();
        String noOwner = NetworkHosts.MARKER + "zy" + suffix();
        try (NetworkHosts live = NetworkHosts.create(1)) {
            Files.writeString(NetworkHosts.OWNERS.resolve(deadOwner + ".pid"), deadPid + " " + deadStart + "\n");
            for (String ns : List.of(deadOwner + "-hub", deadOwner + "-h1", noOwner + "-h1")) {
                NetworkHosts.run(List.of("ip", "netns", "add", ns), Duration.ofSeconds(10)).orThrow();
                made.add(ns);
            }

            List<String> removed = NetworkHosts.removeLeftovers();

            assertTrue(removed.containsAll(made), "the namespaces of a dead owner and of no owner are removed: " + removed);
            List<String> names = NetworkHosts.namespaceNames();
            assertTrue(made.stream().noneMatch(names::contains), "left: " + names);
            assertFalse(Files.exists(NetworkHosts.OWNERS.resolve(deadOwner + ".pid")), "the dead owner's record is removed");
            assertTrue(names.contains(live.host(0).namespace()) && names.contains(live.hubNamespace()),
                    "the live LAN " + live.prefix() + " is untouched: " + names);
            assertTrue(live.host(0).exec("ip", "-o", "link", "show", "eth0").size() == 1, "and still works");
        } finally {
            for (String ns : made) {
                NetworkHosts.run(List.of("ip", "netns", "delete", ns), Duration.ofSeconds(10));
            }
            Files.deleteIfExists(NetworkHosts.OWNERS.resolve(deadOwner + ".pid"));
        }
    }

    @Test
    void prefixOfRecognisesOnlyTheHarnessNames() {
        assertEquals("shoalnet-k3x9a", NetworkHosts.prefixOf("shoalnet-k3x9a-h12").orElseThrow());
        assertEquals("shoalnet-k3x9a", NetworkHosts.prefixOf("shoalnet-k3x9a-hub").orElseThrow());
        assertTrue(NetworkHosts.prefixOf("shoalnet-k3x9").isEmpty(), "too short");
        assertTrue(NetworkHosts.prefixOf("shoalnet-K3X9A-h1").isEmpty(), "upper case is not the harness's");
        assertTrue(NetworkHosts.prefixOf("shoalnet-k3x9ab-h1").isEmpty(), "id too long");
        assertTrue(NetworkHosts.prefixOf("shoal-k3x9a-h1").isEmpty(), "other marker");
        assertTrue(NetworkHosts.prefixOf("docker-ns").isEmpty());
    }

    @Test
    void badHostCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NetworkHosts.create(0));
        assertThrows(IllegalArgumentException.class, () -> NetworkHosts.create(NetworkHosts.MAX_HOSTS + 1));
    }

    /** IPv4 addresses of a host's eth0, with prefix length. */
    private static List<String> inet4(Host h) {
        return h.exec("ip", "-4", "-o", "addr", "show", "dev", NetworkHosts.HOST_INTERFACE).stream()
                .map(l -> l.split("\\s+")[3])
                .toList();
    }

    /** The LAN adds no link and no address to this machine's own namespace (read-only checks). */
    private static void assertNothingInRootNamespace(NetworkHosts lan) {
        String links = NetworkHosts.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).orThrow().stdout();
        assertFalse(links.contains("veth-h") || links.contains(lan.prefix()), "no link of the LAN here: " + links);
        String subnet = lan.subnet().replace(".0/24", ".");
        String addrs = NetworkHosts.run(List.of("ip", "-4", "-o", "addr", "show"), Duration.ofSeconds(10)).orThrow().stdout();
        assertFalse(addrs.contains(" " + subnet), "no address of " + lan.subnet() + " here: " + addrs);
    }

    /** Three random characters: with a two-character head, the five-character id of a LAN. */
    private static String suffix() {
        String s = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36 * 36 * 36), 36);
        return "000".substring(s.length()) + s;
    }
}
