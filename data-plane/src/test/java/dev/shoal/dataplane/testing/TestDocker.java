package dev.shoal.dataplane.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.dataplane.executor.DockerExecutor;
import java.util.List;
import java.util.Map;

/** The test's own Docker client: inspects and cleans up only what carries the test's node id. */
public final class TestDocker {
    private TestDocker() {}

    public static DockerClient client() {
        assertTrue(DockerExecutor.reachable(), "a Docker daemon must answer at " + DockerExecutor.dockerHostFromEnvironment());
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DockerExecutor.dockerHostFromEnvironment()).build();
        var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** Every container of {@code node}, in any state. */
    public static List<Container> containers(DockerClient docker, NodeId node) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerExecutor.LABEL_NODE_ID, node.value())).exec();
    }

    /** Every container of {@code task}, in any state: there must never be two. */
    public static List<Container> containers(DockerClient docker, TaskId task) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerExecutor.LABEL_TASK_ID, task.value())).exec();
    }

    /** Force-removes every container of {@code node}. */
    public static void removeAll(DockerClient docker, NodeId node) {
        for (Container c : containers(docker, node)) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
        }
    }
}
