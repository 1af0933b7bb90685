package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Managers fail: the leader is killed with SIGKILL while a client writes through another manager;
 * then two of three managers go (quorum lost), one comes back; then {@code --force-new-cluster}.
 */
class ClusterFailoverTest {
    private static final Logger log = LoggerFactory.getLogger(ClusterFailoverTest.class);
    /** The target: a new leader serves well under 5 s after the old one dies. */
    static final Duration FAILOVER_TARGET = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    static ServiceSpec service(String name, long replicas, String marker) {
        return new ServiceSpec(name, Map.of("marker", marker),
                new TaskSpec(new ContainerSpec("process", List.of("/bin/sleep"), List.of("600"), null, null, null, null), null, null),
                ServiceMode.replicated(replicas));
    }

    @Test
    void killedLeaderIsReplacedWithinTheTargetAndNoAcknowledgedWriteIsLost() {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 3, 0, "process", Duration.ofSeconds(1))) {
            int leader = Await.value(Duration.ofSeconds(20), "a leader", () -> cluster.leader(0).orElse(null));
            int writer = (leader + 1) % 3;
            Map<String, String> acknowledged = new LinkedHashMap<>(); // service name -> marker of its last acknowledged write
            long killedAt = 0;
            long firstWriteAfterKill = 0;
            int afterKill = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            try (ShoalClient client = cluster.daemon(writer).client()) {
                for (int i = 0; i < 400 && System.nanoTime() < deadline && afterKill < 20; i++) {
                    String name = "svc-" + i;
                    try {
                        client.serviceCreate(service(name, 0, "v1")).block(Duration.ofSeconds(10));
                        acknowledged.put(name, "v1");
                        Service s = client.serviceInspect(name).block(Duration.ofSeconds(10));
                        client.serviceUpdate(s.id().value(), s.version(), service(name, 0, "v2")).block(Duration.ofSeconds(10));
                        acknowledged.put(name, "v2");
                        if (killedAt != 0) {
                            if (firstWriteAfterKill == 0) {
                                firstWriteAfterKill = System.nanoTime();
                            }
                            afterKill++;
                        }
                    } catch (ApiException e) {
                        assertEquals(ErrorCode.UNAVAILABLE, e.code(), "a write during failover fails as UNAVAILABLE, not " + e.getMessage());
                        sleep(50);
                    }
                    if (i == 20) {
                        cluster.daemon(leader).kill();
                        killedAt = System.nanoTime();
                        log.info("killed the leader (node {}) after {} acknowledged services", leader + 1, acknowledged.size());
                    }
                }
            }
            assertTrue(killedAt != 0 && firstWriteAfterKill != 0, "writes resumed after the leader was killed\n" + cluster.logs());
            Duration failover = Duration.ofNanos(firstWriteAfterKill - killedAt);
            log.info("failover: first acknowledged write {} ms after SIGKILL of the leader", failover.toMillis());
            assertTrue(failover.compareTo(FAILOVER_TARGET) < 0, "failover took " + failover.toMillis() + " ms\n" + cluster.logs());
            try (ShoalClient client = cluster.daemon((leader + 2) % 3).client()) {
                Map<String, String> stored = client.serviceList().collectList().block(Duration.ofSeconds(20)).stream()
                        .collect(Collectors.toMap(s -> s.spec().name(), s -> s.spec().labels().get("marker")));
                for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                    assertEquals(e.getValue(), stored.get(e.getKey()), "acknowledged write of " + e.getKey() + " is in the store");
                }
            }
        }
    }

    @Test
    void lostQuorumRefusesWritesKeepsTasksRunningAndHealsThenForceNewCluster() {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 3, 1, "docker", Duration.ofSeconds(1))) {
            String serviceId;
            try (ShoalClient c = cluster.daemon(0).client()) {
                ServiceSpec spec = new ServiceSpec("keep", Map.of(),
                        new TaskSpec(new ContainerSpec(DockerCli.TEST_IMAGE, null, List.of("sleep", "600"), null, null, null, null), null, null),
                        ServiceMode.replicated(2));
                serviceId = c.serviceCreate(spec).block(Duration.ofSeconds(20)).id().value();
            }
            Await.until(Duration.ofSeconds(60), "2 running containers of the service",
                    () -> DockerCli.runningContainersOfService(serviceId).size() == 2, cluster::logs);
            List<String> running = DockerCli.runningContainersOfService(serviceId);

            // two of three managers go: the survivor refuses writes with a clear error
            cluster.daemon(1).kill();
            cluster.daemon(2).kill();
            try (ShoalClient c = cluster.daemon(0).client()) {
                Await.until(Duration.ofSeconds(20), "a write on the survivor to fail with UNAVAILABLE naming the lost quorum", () -> {
                    try {
                        c.serviceCreate(service("refused", 0, "x")).block(Duration.ofSeconds(15));
                        return false;
                    } catch (ApiException e) {
                        return e.code() == ErrorCode.UNAVAILABLE;
                    }
                }, cluster::logs);
            }
            assertEquals(running, DockerCli.runningContainersOfService(serviceId), "tasks keep running without quorum");

            // one comes back: the cluster heals
            cluster.daemon(1).restart();
            try (ShoalClient c = cluster.daemon(0).client()) {
                Await.until(Duration.ofSeconds(60), "writes to work again once a second manager is back", () -> {
                    try {
                        c.serviceCreate(service("healed", 0, "x")).block(Duration.ofSeconds(15));
                        return true;
                    } catch (ApiException e) {
                        return e.code() == ErrorCode.ALREADY_EXISTS;
                    }
                }, cluster::logs);
            }

            // quorum lost again; --force-new-cluster on the survivor keeps services and workers
            cluster.daemon(1).kill();
            try (ShoalClient c = cluster.daemon(0).client()) {
                c.swarmInit(new dev.shoal.api.message.SwarmInitRequest(null, null, null, true, null, null)).block(Duration.ofSeconds(60));
                List<String> names = c.serviceList().collectList().block(Duration.ofSeconds(20)).stream().map(s -> s.spec().name()).toList();
                assertTrue(names.containsAll(List.of("keep", "healed")), "services kept: " + names);
                c.serviceCreate(service("after-force", 0, "x")).block(Duration.ofSeconds(20));
                String worker = cluster.nodeId(3);
                Await.until(Duration.ofSeconds(30), "the worker to be ready in the new cluster", () -> c.nodeList().collectList()
                        .block(Duration.ofSeconds(10)).stream().anyMatch(n -> n.id().value().equals(worker) && n.isReady()), cluster::logs);
            }
            assertFalse(DockerCli.runningContainersOfService(serviceId).isEmpty(), "the service still runs");
        }
    }

    @Test
    void stoppedWorkersTasksRunElsewhereAndItsStaleTasksStopWhenItReturns() {
        Duration heartbeat = Duration.ofSeconds(1);
        try (SwarmCluster cluster = SwarmCluster.start(dir, 1, 2, "docker", heartbeat)) {
            String serviceId;
            try (ShoalClient c = cluster.daemon(0).client()) {
                ServiceSpec spec = new ServiceSpec("spread", Map.of(),
                        new TaskSpec(new ContainerSpec(DockerCli.TEST_IMAGE, null, List.of("sleep", "600"), null, null, null, null), null, null),
                        ServiceMode.replicated(6));
                serviceId = c.serviceCreate(spec).block(Duration.ofSeconds(20)).id().value();
            }
            String gone = cluster.nodeId(2);
            Await.until(Duration.ofSeconds(60), "6 running containers, some on node 3",
                    () -> DockerCli.runningContainersOfService(serviceId).size() == 6
                            && !DockerCli.allContainersOfNode(gone).isEmpty(), cluster::logs);
            cluster.daemon(2).kill();
            long stopped = System.nanoTime();
            // heartbeat x 3 to be DOWN, then the restart delay (5 s by default) and scheduling
            Duration bound = heartbeat.multipliedBy(3).plusSeconds(5).plusSeconds(15);
            try (ShoalClient c = cluster.daemon(0).client()) {
                Await.until(bound, "6 running tasks on the two other nodes", () -> c.taskList(dev.shoal.api.message.TaskFilter.ALL)
                        .collectList().block(Duration.ofSeconds(10)).stream()
                        .filter(t -> t.serviceId().value().equals(serviceId))
                        .filter(t -> t.status().state() == dev.shoal.api.model.TaskState.RUNNING && !gone.equals(t.nodeId() == null ? null : t.nodeId().value()))
                        .count() == 6, cluster::logs);
            }
            log.info("a stopped worker's tasks ran elsewhere {} ms after it stopped", Duration.ofNanos(System.nanoTime() - stopped).toMillis());
            cluster.daemon(2).restart();
            Await.until(Duration.ofSeconds(60), "the returned worker to shut its stale tasks down",
                    () -> DockerCli.allContainersOfNode(gone).stream().noneMatch(id -> DockerCli.runningContainersOfService(serviceId).contains(id)),
                    cluster::logs);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
