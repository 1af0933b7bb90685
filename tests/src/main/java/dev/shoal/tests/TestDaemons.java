package dev.shoal.tests;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.model.Task;
import dev.shoal.cli.daemon.DaemonConfig;
import dev.shoal.cli.daemon.ExecutorChoice;
import dev.shoal.cli.daemon.ShoalDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daemons inside the test JVM (several may run side by side: no static state), each with its own
 * data directory, control socket and Raft port.
 */
public final class TestDaemons {
    private static final Logger log = LoggerFactory.getLogger(TestDaemons.class);

    private TestDaemons() {}

    /** A started daemon, not yet in a swarm, with its data under {@code dir}. */
    public static Handle start(Path dir, String executor) {
        try {
            Path sockDir = Files.createTempDirectory(Path.of("/tmp"), "shoal-t");
            DaemonConfig config = DaemonConfig.defaults()
                    .withDataDir(dir.resolve("data"))
                    .withSocket(sockDir.resolve("s.sock"))
                    .withExecutor(ExecutorChoice.fromWire(executor))
                    .withRaftPort(DaemonProcess.freePort());
            ShoalDaemon daemon = ShoalDaemon.start(config);
            return new Handle(daemon, ShoalClient.connectNow(daemon.host(), Duration.ofSeconds(10)), executor);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The host PIDs of tasks' processes, as their status reports them. */
    public static List<Long> pidsOf(List<Task> tasks) {
        return tasks.stream()
                .map(t -> t.status().containerStatus())
                .filter(Objects::nonNull)
                .map(cs -> cs.pid())
                .filter(pid -> pid != null && pid > 0)
                .distinct()
                .toList();
    }

    /** A daemon and a client connected to its control socket. */
    public record Handle(ShoalDaemon daemon, ShoalClient client, String executor) {
        public String host() {
            return daemon.host();
        }

        /**
         * Leaves the swarm with force (which stops and removes this node's tasks), closes the
         * daemon, and removes whatever containers of this node are left, so that no test leaks.
         */
        public void leaveAndClose() {
            String nodeId = daemon.nodeId().value();
            try {
                if (daemon.inSwarm()) {
                    client.swarmLeave(true).block(Duration.ofSeconds(60));
                }
            } catch (RuntimeException e) {
                log.warn("swarm leave failed during clean-up: {}", e.toString());
            } finally {
                client.close();
                daemon.close();
                if ("docker".equals(executor)) {
                    DockerCli.removeAllOfNode(nodeId);
                }
            }
        }
    }
}
