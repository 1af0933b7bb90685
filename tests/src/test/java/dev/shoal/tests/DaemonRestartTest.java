package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code shoal daemon} process stopped with SIGTERM and started again on the same data
 * directory: the swarm, its service and its tasks are still there, and the running containers are
 * re-adopted, not duplicated.
 */
class DaemonRestartTest {
    @TempDir
    Path dir;

    @Test
    void restartKeepsTheSwarmAndReadoptsRunningContainers() throws Exception {
        DaemonProcess daemon = DaemonProcess.create(dir, "docker").start();
        String nodeId = null;
        try {
            Swarm swarm;
            String serviceId;
            Set<String> containersBefore;
            try (ShoalClient client = daemon.client()) {
                swarm = client.swarmInit(new SwarmInitRequest("127.0.0.1:0", "127.0.0.1", null)).block(Duration.ofSeconds(30));
                nodeId = client.info().block().nodeId();
                ServiceSpec spec = new ServiceSpec("keep", null, new TaskSpec(new ContainerSpec(DockerCli.TEST_IMAGE, null,
                        List.of("sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"), null, null, null, null), null, null),
                        ServiceMode.replicated(3));
                serviceId = client.serviceCreate(spec).block(Duration.ofSeconds(10)).id().value();
                Await.until(Duration.ofSeconds(60), "3 running tasks", () -> running(client, serviceId).size() == 3,
                        () -> running(client, serviceId));
                containersBefore = new HashSet<>(DockerCli.runningContainersOfService(serviceId));
                assertEquals(3, containersBefore.size());
            }

            int exit = daemon.terminate(Duration.ofSeconds(30));
            assertTrue(exit == 0 || exit == 143, "clean exit on SIGTERM, got " + exit + "; log: " + daemon.tail());
            assertEquals(containersBefore, new HashSet<>(DockerCli.runningContainersOfService(serviceId)),
                    "containers keep running while the daemon is down");
            assertTrue(Files.readString(daemon.log()).contains("node " + nodeId + " stopped"), "the daemon logs its clean shutdown: " + daemon.tail());

            daemon = DaemonProcess.create(dir, "docker").start();
            try (ShoalClient client = daemon.client()) {
                assertEquals(swarm.id(), client.swarmInspect().block(Duration.ofSeconds(30)).id(), "same swarm after restart");
                assertEquals(nodeId, client.info().block().nodeId(), "same node id after restart");
                Await.until(Duration.ofSeconds(60), "the 3 tasks running again", () -> running(client, serviceId).size() == 3,
                        () -> running(client, serviceId));
                Set<String> reported = new HashSet<>();
                for (Task t : running(client, serviceId)) {
                    reported.add(t.status().containerStatus().containerId());
                }
                assertEquals(containersBefore, reported, "the running tasks are the same containers");
                assertEquals(containersBefore, new HashSet<>(DockerCli.allContainersOfService(serviceId)), "no container was added");

                client.serviceRemove(serviceId).block(Duration.ofSeconds(10));
                Await.until(Duration.ofSeconds(60), "the containers to be removed",
                        () -> DockerCli.allContainersOfService(serviceId).isEmpty(), () -> DockerCli.allContainersOfService(serviceId));
                client.swarmLeave(true).block(Duration.ofSeconds(30));
            }
        } finally {
            daemon.close();
            if (nodeId != null) {
                DockerCli.removeAllOfNode(nodeId);
            }
        }
    }

    private static List<Task> running(ShoalClient client, String serviceId) {
        return client.taskList(new TaskFilter(serviceId, null, List.of("running"))).collectList().block(Duration.ofSeconds(10))
                .stream().filter(t -> t.state() == TaskState.RUNNING).toList();
    }
}
