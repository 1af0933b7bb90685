package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.NodeRemoveRequest;
import dev.shoal.api.message.NodeUpdateRequest;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion, demotion (with the quorum check and a demoted leader handing over), removal of a
 * manager refused, labels, and drain, on real daemons in network namespaces.
 */
class NodeRolesTest {
    static final Duration CALL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Node update(ShoalClient c, String id, java.util.function.UnaryOperator<NodeSpec> change) {
        Node n = c.nodeInspect(id).block(CALL);
        return c.call(Routes.NODE_UPDATE, new NodeUpdateRequest(id, n.version().index(), change.apply(n.spec())), Node.class).block(CALL);
    }

    private static NodeSpec role(NodeSpec s, NodeSpec.Role r) {
        return new NodeSpec(s.name(), s.labels(), r, s.availability());
    }

    private static long managers(List<Node> nodes, boolean reachableOnly) {
        return nodes.stream().filter(n -> n.spec().role() == NodeSpec.Role.MANAGER)
                .filter(n -> !reachableOnly || (n.managerStatus() != null && "reachable".equals(n.managerStatus().reachability())))
                .count();
    }

    @Test
    void promoteDemoteDrainAndTheQuorumChecks() {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 1, 3, "process", Duration.ofSeconds(1))) {
            ShoalClient first = cluster.daemon(0).client();
            try (first) {
                // a worker's control socket refuses manager routes
                try (ShoalClient w = cluster.daemon(1).client()) {
                    ApiException e = assertThrows(ApiException.class, () -> w.nodeList().collectList().block(CALL));
                    assertTrue(e.getMessage().contains("not a swarm manager"), e.getMessage());
                }
                // promote nodes 2 and 3
                update(first, cluster.nodeId(1), s -> role(s, NodeSpec.Role.MANAGER));
                update(first, cluster.nodeId(2), s -> role(s, NodeSpec.Role.MANAGER));
                Await.until(Duration.ofSeconds(60), "3 reachable managers", () -> managers(cluster.nodes(0), true) == 3, cluster::logs);
                Await.until(Duration.ofSeconds(60), "node 2 to serve the API as a manager", () -> {
                    try (ShoalClient m2 = cluster.daemon(1).client()) {
                        return m2.nodeList().collectList().block(CALL).size() == 4;
                    } catch (RuntimeException e) {
                        return false;
                    }
                }, cluster::logs);

                // a manager cannot be removed
                ApiException rm = assertThrows(ApiException.class, () -> first.call(Routes.NODE_REMOVE,
                        new NodeRemoveRequest(cluster.nodeId(1), true), Map.class).block(CALL));
                assertEquals(ErrorCode.FAILED_PRECONDITION, rm.code());
                assertTrue(rm.getMessage().contains("demote it first"), rm.getMessage());

                // with node 3 down, demoting node 2 would leave 2 managers with 1 reachable: refused
                cluster.daemon(2).kill();
                Await.until(Duration.ofSeconds(30), "node 3 to be down", () -> cluster.nodes(0).stream()
                        .anyMatch(n -> n.id().value().equals(cluster.nodeId(2)) && !n.isReady()), cluster::logs);
                ApiException quorum = assertThrows(ApiException.class, () -> update(first, cluster.nodeId(1), s -> role(s, NodeSpec.Role.WORKER)));
                assertEquals(ErrorCode.FAILED_PRECONDITION, quorum.code());
                assertTrue(quorum.getMessage().contains("quorum"), quorum.getMessage());
                cluster.daemon(2).restart();
                Await.until(Duration.ofSeconds(60), "3 reachable managers again", () -> managers(cluster.nodes(0), true) == 3, cluster::logs);

                // labels
                Node labelled = update(first, cluster.nodeId(3), s -> new NodeSpec(s.name(), Map.of("zone", "a"), s.role(), s.availability()));
                assertEquals(Map.of("zone", "a"), labelled.spec().labels());
            }

            // demote the leader: it hands leadership over and becomes a worker
            int leader = Await.value(Duration.ofSeconds(20), "a leader", () -> cluster.leader(1).orElse(null));
            int other = (leader + 1) % 3;
            try (ShoalClient c = cluster.daemon(other).client()) {
                update(c, cluster.nodeId(leader), s -> role(s, NodeSpec.Role.WORKER));
            }
            Await.until(Duration.ofSeconds(60), "2 managers, a new leader, the old one a worker", () -> {
                List<Node> nodes = cluster.nodes(other);
                Integer now = cluster.leader(other).orElse(null);
                return managers(nodes, true) == 2 && now != null && now != leader;
            }, cluster::logs);
            Await.until(Duration.ofSeconds(60), "the demoted node's socket to refuse manager routes", () -> {
                try (ShoalClient d = cluster.daemon(leader).client()) {
                    d.nodeList().collectList().block(CALL);
                    return false;
                } catch (ApiException e) {
                    return e.getMessage().contains("not a swarm manager");
                }
            }, cluster::logs);

            // drain moves the tasks off a node
            try (ShoalClient c = cluster.daemon(other).client()) {
                ServiceSpec spec = new ServiceSpec("drained", Map.of(), new TaskSpec(
                        new ContainerSpec("process", List.of("/bin/sleep"), List.of("600"), null, null, null, null), null, null),
                        ServiceMode.replicated(4));
                c.serviceCreate(spec).block(CALL);
                String worker = cluster.nodeId(3);
                Await.until(Duration.ofSeconds(60), "4 running tasks", () -> running(c, "drained", null) == 4, cluster::logs);
                update(c, worker, s -> new NodeSpec(s.name(), s.labels(), s.role(), NodeSpec.Availability.DRAIN));
                Await.until(Duration.ofSeconds(60), "4 running tasks, none on the drained node",
                        () -> running(c, "drained", null) == 4 && running(c, "drained", worker) == 0, cluster::logs);
                assertNotEquals(0, c.nodeList().collectList().block(CALL).size());
            }
        }
    }

    private static long running(ShoalClient c, String service, String node) {
        return c.taskList(TaskFilter.ALL).collectList().block(CALL).stream()
                .filter(t -> t.serviceName().equals(service) && t.status().state() == TaskState.RUNNING && t.desiredState() == TaskState.RUNNING)
                .filter(t -> node == null || (t.nodeId() != null && t.nodeId().value().equals(node)))
                .count();
    }
}
