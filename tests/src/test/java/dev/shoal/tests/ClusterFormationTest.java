package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three managers and two workers on five network namespaces form a swarm from join tokens. */
class ClusterFormationTest {
    @TempDir
    Path dir;

    @Test
    void threeManagersAndTwoWorkersFormASwarmFromTokens() {
        try (SwarmCluster cluster = SwarmCluster.start(dir, 3, 2, "process", Duration.ofSeconds(1))) {
            Set<String> ids = Set.copyOf(List.of(cluster.nodeId(0), cluster.nodeId(1), cluster.nodeId(2), cluster.nodeId(3), cluster.nodeId(4)));
            assertEquals(5, ids.size(), "every node has its own id");
            for (int m = 0; m < 3; m++) {
                int manager = m;
                Await.until(Duration.ofSeconds(30), "node ls on manager " + (m + 1) + " to show 5 ready nodes, 3 managers and one leader", () -> {
                    List<Node> nodes = cluster.nodes(manager);
                    long ready = nodes.stream().filter(Node::isReady).count();
                    long managers = nodes.stream().filter(n -> n.spec().role() == NodeSpec.Role.MANAGER).count();
                    long leaders = nodes.stream().filter(n -> n.managerStatus() != null && n.managerStatus().leader()).count();
                    return nodes.size() == 5 && ready == 5 && managers == 3 && leaders == 1
                            && nodes.stream().map(n -> n.id().value()).collect(Collectors.toSet()).equals(ids);
                }, cluster::logs);
            }
        }
    }
}
