package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.client.ShoalClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code shoal daemon} inside a host of a {@link NetworkHosts} LAN: the PID we hold is the
 * JVM's own, in the host's namespace; this JVM reaches its control socket from outside; SIGKILL and
 * a restart on the same data directory keep the node.
 */
class DaemonInHostTest {
    @TempDir
    Path dir;

    @Test
    void aDaemonInAHostIsKilledByItsPidAndRestartsAsTheSameNode() throws Exception {
        try (NetworkHosts lan = NetworkHosts.create(1)) {
            NetworkHosts.Host host = lan.host(0);
            DaemonProcess daemon = DaemonProcess.create(dir, "process", host).withArgs("--hostname", "node-" + host.name());
            assertEquals(List.of("ip", "netns", "exec", host.namespace()), daemon.command().subList(0, 4));
            assertEquals(List.of("--hostname", "node-h1"), daemon.command().subList(daemon.command().size() - 2, daemon.command().size()));
            assertThrows(IllegalStateException.class, daemon::restart, "restart() before start()");
            try {
                daemon.start();
                long pid = daemon.pid();
                assertTrue(Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).getFileName().toString().startsWith("java"),
                        "pid " + pid + " is the JVM itself: `ip netns exec` execs, it does not fork");
                assertEquals(netnsOf(host), Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString(),
                        "the daemon runs in " + host.namespace());
                String nodeId;
                try (ShoalClient c = daemon.client()) {
                    nodeId = c.info().block(Duration.ofSeconds(10)).nodeId();
                }
                assertThrows(IllegalStateException.class, daemon::restart, "restart() while running");

                assertEquals(137, daemon.kill(), "SIGKILL");
                assertFalse(daemon.isAlive());
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false, "pid " + pid + " is gone");

                daemon.restart();
                assertTrue(daemon.pid() != pid, "a new process");
                try (ShoalClient c = daemon.client()) {
                    assertEquals(nodeId, c.info().block(Duration.ofSeconds(10)).nodeId(), "same node after SIGKILL and restart");
                }
                int exit = daemon.terminate(Duration.ofSeconds(30));
                assertTrue(exit == 0 || exit == 143, "clean exit on SIGTERM, got " + exit + "; log: " + daemon.tail());
            } finally {
                daemon.close();
            }
        }
    }

    /** {@code net:[inode]} of the host's namespace, as /proc/PID/ns/net shows it. */
    private static String netnsOf(NetworkHosts.Host host) throws Exception {
        Object inode = Files.getAttribute(Path.of("/run/netns", host.namespace()), "unix:ino");
        return "net:[" + inode + "]";
    }
}
