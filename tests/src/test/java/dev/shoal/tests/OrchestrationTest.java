package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.NodeUpdateRequest;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestration features of issue 4 on real {@code shoal daemon} processes, one per network
 * namespace, with the process executor (the Docker executor's updates are in
 * {@link RollingUpdateTest}): global services following nodes, a constraint nothing satisfies, spread
 * over engine labels, and restart attempts counted across a leader change.
 */
class OrchestrationTest {
    static final Duration CALL = Duration.ofSeconds(30);
    static final Duration SETTLE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    static ServiceSpec sleeper(String name, ServiceMode mode) {
        return new ServiceSpec(name, Map.of(), new TaskSpec(
                new ContainerSpec("process", List.of("/bin/sleep"), List.of("600"), null, null, null, 1_000_000_000L), null, null), mode);
    }

    static ServiceSpec withPlacement(ServiceSpec s, Placement p) {
        return s.withTaskTemplate(s.taskTemplate().withPlacement(p));
    }

    static Node updateNode(ShoalClient c, String id, UnaryOperator<NodeSpec> change) {
        Node n = c.nodeInspect(id).block(CALL);
        return c.call(Routes.NODE_UPDATE, new NodeUpdateRequest(id, n.version().index(), change.apply(n.spec())), Node.class).block(CALL);
    }

    static List<Task> tasks(ShoalClient c, String service) {
        return c.taskList(TaskFilter.ALL).collectList().block(CALL).stream().filter(t -> t.serviceName().equals(service)).toList();
    }

    /** Tasks observed RUNNING and meant to run, by node id. */
    static Map<String, Long> runningByNode(ShoalClient c, String service) {
        return tasks(c, service).stream()
                .filter(t -> t.status().state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING && t.nodeId() != null)
                .collect(Collectors.groupingBy(t -> t.nodeId().value(), Collectors.counting()));
    }

    @Test
    void globalServiceFollowsANodeJoiningAndDraining() {
        // 1 manager, 2 workers, 1 spare host that joins later
        try (SwarmCluster cluster = SwarmCluster.start(dir, 1, 2, 1, "process", Duration.ofSeconds(1))) {
            try (ShoalClient c = cluster.daemon(0).client()) {
                c.serviceCreate(sleeper("agent", ServiceMode.ofGlobal())).block(CALL);
                Await.until(SETTLE, "one running task on each of the 3 nodes", () -> {
                    Map<String, Long> r = runningByNode(c, "agent");
                    return r.size() == 3 && r.values().stream().allMatch(n -> n == 1);
                }, () -> tasks(c, "agent"));

                cluster.join(3, cluster.swarm(0).joinTokens().worker());
                String joined = c.nodeList().collectList().block(CALL).stream()
                        .map(n -> n.id().value())
                        .filter(id -> !id.equals(cluster.nodeId(0)) && !id.equals(cluster.nodeId(1)) && !id.equals(cluster.nodeId(2)))
                        .findFirst().orElseThrow();
                Await.until(SETTLE, "the joined node to run the global task too", () -> {
                    Map<String, Long> r = runningByNode(c, "agent");
                    return r.size() == 4 && r.getOrDefault(joined, 0L) == 1;
                }, () -> tasks(c, "agent"));

                updateNode(c, cluster.nodeId(1), s -> new NodeSpec(s.name(), s.labels(), s.role(), NodeSpec.Availability.DRAIN));
                Await.until(SETTLE, "no task on the drained node, one on each other node", () -> {
                    Map<String, Long> r = runningByNode(c, "agent");
                    return r.size() == 3 && !r.containsKey(cluster.nodeId(1)) && r.values().stream().allMatch(n -> n == 1);
                }, () -> tasks(c, "agent"));

                updateNode(c, cluster.nodeId(1), s -> new NodeSpec(s.name(), s.labels(), s.role(), NodeSpec.Availability.ACTIVE));
                Await.until(SETTLE, "the node back to active runs the global task again",
                        () -> runningByNode(c, "agent").size() == 4, () -> tasks(c, "agent"));
            }
        }
    }

    @Test
    void aConstraintNothingSatisfiesStaysPendingWithTheReasonUntilALabelIsAdded() {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 1, 1, "process", Duration.ofSeconds(1))) {
            try (ShoalClient c = cluster.daemon(0).client()) {
                c.serviceCreate(withPlacement(sleeper("gpu", ServiceMode.replicated(1)),
                        new Placement(List.of("node.labels.gpu==yes"), null, null, null))).block(CALL);
                Task pending = Await.value(SETTLE, "the task pending with a reason", () -> tasks(c, "gpu").stream()
                        .filter(t -> t.status().state() == TaskState.PENDING && t.status().err() != null)
                        .findFirst().orElse(null));
                assertTrue(pending.status().err().startsWith("no suitable node ("), pending.status().err());
                assertTrue(pending.status().err().contains("2 nodes"), pending.status().err());
                assertTrue(pending.status().err().contains("constraint"), pending.status().err());

                String worker = cluster.nodeId(1);
                updateNode(c, worker, s -> {
                    Map<String, String> labels = new HashMap<>(s.labels() == null ? Map.of() : s.labels());
                    labels.put("gpu", "yes");
                    return new NodeSpec(s.name(), labels, s.role(), s.availability());
                });
                Await.until(SETTLE, "the task running on the labelled node",
                        () -> runningByNode(c, "gpu").equals(Map.of(worker, 1L)), () -> tasks(c, "gpu"));
                assertEquals(pending.id(), tasks(c, "gpu").stream()
                        .filter(t -> t.status().state() == TaskState.RUNNING).findFirst().orElseThrow().id(),
                        "the same task, placed as soon as a node fits");
            }
        }
    }

    @Test
    void spreadOverThreeLabelValuesGivesAnEvenSplit() {
        // zones: node 1 and node 2 in a, node 3 in b, node 4 in c (engine labels from shoal daemon --label)
        List<String> zones = List.of("a", "a", "b", "c");
        try (SwarmCluster cluster = SwarmCluster.start(dir, 1, 3, 0, "process", Duration.ofSeconds(1),
                i -> List.of("--label", "zone=" + zones.get(i)))) {
            try (ShoalClient c = cluster.daemon(0).client()) {
                c.serviceCreate(withPlacement(sleeper("spread", ServiceMode.replicated(6)),
                        new Placement(null, List.of(Placement.Preference.spread("engine.labels.zone")), null, null))).block(CALL);
                Await.until(SETTLE, "6 running tasks", () -> runningByNode(c, "spread").values().stream().mapToLong(Long::longValue).sum() == 6,
                        () -> tasks(c, "spread"));
                Map<String, Long> byNode = runningByNode(c, "spread");
                Map<String, Long> byZone = new HashMap<>();
                for (int i = 0; i < 4; i++) {
                    byZone.merge(zones.get(i), byNode.getOrDefault(cluster.nodeId(i), 0L), Long::sum);
                }
                assertEquals(Map.of("a", 2L, "b", 2L, "c", 2L), byZone, "by node: " + byNode);
                assertEquals(1L, byNode.getOrDefault(cluster.nodeId(0), 0L), "zone a's two nodes share its two tasks: " + byNode);
            }
        }
    }

    @Test
    void restartMaxAttemptsAreRespectedAcrossALeaderChange() {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 3, 0, "process", Duration.ofSeconds(1))) {
            int leader = Await.value(Duration.ofSeconds(30), "a leader", () -> cluster.leader(0).orElse(null));
            int other = (leader + 1) % 3;
            ServiceSpec failing = new ServiceSpec("flaky", Map.of(), new TaskSpec(
                    new ContainerSpec("process", List.of("/bin/sh"), List.of("-c", "sleep 1; exit 3"), null, null, null, null),
                    new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, 1_000_000_000L, 3L, 0L), null),
                    ServiceMode.replicated(1));
            try (ShoalClient c = cluster.daemon(other).client()) {
                c.serviceCreate(failing).block(CALL);
                Await.until(SETTLE, "two failed attempts", () -> failed(c) >= 2, () -> tasks(c, "flaky"));
            }
            cluster.daemon(leader).kill();
            try (ShoalClient c = cluster.daemon(other).client()) {
                Await.value(SETTLE, "a new leader", () -> cluster.leader(other).filter(l -> l != leader).orElse(null));
                Await.until(SETTLE, "4 failed tasks: the first run and 3 restarts", () -> failed(c) >= 4, () -> tasks(c, "flaky"));
                // a task lost with its node during the failover is replaced but is no attempt: only
                // exits count, as the restart policy's attempts are the task's own failures
                Supplier<Boolean> settled = () -> failed(c) == 4
                        && tasks(c, "flaky").stream().noneMatch(t -> t.desiredState() == TaskState.RUNNING || t.desiredState() == TaskState.READY);
                Await.until(SETTLE, "the slot given up after the last attempt", settled, () -> tasks(c, "flaky"));
                Await.holds(Duration.ofSeconds(8), "no fifth attempt, and nothing left to run", settled, () -> tasks(c, "flaky"));
                Task last = tasks(c, "flaky").stream().max((a, b) -> a.createdAt().compareTo(b.createdAt())).orElseThrow();
                assertEquals(TaskState.COMPLETE, last.desiredState(), "the slot is held, not refilled: " + last);
                assertNotNull(last.status().err(), "a failed task says why");
                assertTrue(c.serviceInspect("flaky").block(CALL).updateStatus() == null, "restarts are no update");
            }
        }
    }

    private static long failed(ShoalClient c) {
        return tasks(c, "flaky").stream().filter(t -> t.status().state() == TaskState.FAILED).count();
    }
}
