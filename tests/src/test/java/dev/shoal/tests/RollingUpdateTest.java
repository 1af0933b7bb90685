package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.UpdateConfig;
import dev.shoal.api.model.UpdateStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling updates and rollback on the Docker executor: real containers on a 1-manager, 2-worker
 * swarm of real daemons in network namespaces.
 */
class RollingUpdateTest {
    static final Duration CALL = Duration.ofSeconds(30);
    static final Duration SETTLE = Duration.ofSeconds(120);
    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    static ServiceSpec sleepers(String name, long replicas, String version) {
        return new ServiceSpec(name, Map.of(), new TaskSpec(
                new ContainerSpec(DockerCli.TEST_IMAGE, null, List.of("sleep", "600"), List.of("VERSION=" + version), null, null, SECOND),
                null, null), ServiceMode.replicated(replicas));
    }

    static List<Task> tasks(ShoalClient c, String service) {
        return c.taskList(TaskFilter.ALL).collectList().block(CALL).stream()
                .filter(t -> t.serviceName().equals(service)).toList();
    }

    static String version(Task t) {
        return t.spec().containerSpec().env().stream().filter(e -> e.startsWith("VERSION=")).findFirst().orElse("?").substring(8);
    }

    static long running(ShoalClient c, String service, String version) {
        return tasks(c, service).stream()
                .filter(t -> t.status().state() == TaskState.RUNNING && (version == null || version.equals(version(t))))
                .count();
    }

    @Test
    void startFirstUpdateNeverHasFewerRunningTasksThanReplicas() throws InterruptedException {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 1, 2, "docker", Duration.ofSeconds(1))) {
            try (ShoalClient c = cluster.daemon(0).client()) {
                ServiceSpec v1 = sleepers("web", 4, "1")
                        .withUpdateConfig(new UpdateConfig(2L, 0L, null, SECOND, null, UpdateConfig.Order.START_FIRST));
                c.serviceCreate(v1).block(CALL);
                Await.until(SETTLE, "4 running tasks of version 1", () -> running(c, "web", "1") == 4, () -> tasks(c, "web"));

                Service s = c.serviceInspect("web").block(CALL);
                ServiceSpec v2 = s.spec().withTaskTemplate(s.spec().taskTemplate().withContainerSpec(new ContainerSpec(
                        DockerCli.TEST_IMAGE, null, List.of("sleep", "600"), List.of("VERSION=2"), null, null, SECOND)));
                c.serviceUpdate("web", s.version(), v2).block(CALL);
                long fewest = Long.MAX_VALUE;
                long deadline = System.nanoTime() + SETTLE.toNanos();
                int samples = 0;
                while (running(c, "web", "2") < 4 || running(c, "web", null) > 4) {
                    assertTrue(System.nanoTime() < deadline, "the update did not finish: " + tasks(c, "web") + cluster.logs());
                    fewest = Math.min(fewest, running(c, "web", null));
                    samples++;
                    TimeUnit.MILLISECONDS.sleep(50);
                }
                assertTrue(samples > 3, "the update was sampled while it ran (" + samples + " samples)");
                assertTrue(fewest >= 4, "start-first: never fewer running tasks than replicas, saw " + fewest);
                Await.until(SETTLE, "the update completed", () -> {
                    UpdateStatus st = c.serviceInspect("web").block(CALL).updateStatus();
                    return st != null && st.state() == UpdateStatus.State.COMPLETED;
                }, () -> c.serviceInspect("web").block(CALL).updateStatus());
                assertEquals(4, DockerCli.runningContainersOfService(s.id().value()).size(), "4 containers run, none left over");
            }
        }
    }

    @Test
    void anUpdateThatFailsItsHealthcheckRollsBackAutomatically() {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 1, 2, "docker", Duration.ofSeconds(1))) {
            try (ShoalClient c = cluster.daemon(0).client()) {
                ServiceSpec v1 = sleepers("api", 3, "1")
                        .withUpdateConfig(new UpdateConfig(1L, 0L, UpdateConfig.FailureAction.ROLLBACK, 5 * SECOND, 0.0, null))
                        .withRollbackConfig(new UpdateConfig(0L, 0L, null, SECOND, null, null));
                c.serviceCreate(v1).block(CALL);
                Await.until(SETTLE, "3 running tasks of version 1", () -> running(c, "api", "1") == 3, () -> tasks(c, "api"));

                // version 2 never becomes healthy: its check fails every 200 ms
                Service s = c.serviceInspect("api").block(CALL);
                ContainerSpec unhealthy = new ContainerSpec(DockerCli.TEST_IMAGE, null, List.of("sleep", "600"), List.of("VERSION=2"), null, null, SECOND)
                        .withHealthcheck(new HealthConfig(List.of("CMD-SHELL", "exit 1"), 200_000_000L, 1_000_000_000L, 2L, 0L));
                c.serviceUpdate("api", s.version(), s.spec().withTaskTemplate(s.spec().taskTemplate().withContainerSpec(unhealthy))).block(CALL);

                Service after = Await.value(SETTLE, "the rollback to complete", () -> {
                    Service now = c.serviceInspect("api").block(CALL);
                    return now.updateStatus() != null && now.updateStatus().state() == UpdateStatus.State.ROLLBACK_COMPLETED ? now : null;
                });
                assertEquals(v1.taskTemplate(), after.spec().taskTemplate(), "the previous spec is back");
                assertTrue(Objects.requireNonNullElse(after.updateStatus().message(), "").contains("rollback"), after.updateStatus().message());
                Await.until(SETTLE, "3 running tasks of version 1 again, none of version 2",
                        () -> running(c, "api", "1") == 3 && running(c, "api", "2") == 0, () -> tasks(c, "api"));
                assertTrue(tasks(c, "api").stream().anyMatch(t -> "2".equals(version(t)) && t.status().state() == TaskState.FAILED),
                        "a version 2 task failed its healthcheck: " + tasks(c, "api"));
            }
        }
    }
}
