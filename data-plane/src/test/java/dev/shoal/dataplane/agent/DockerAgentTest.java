package dev.shoal.dataplane.agent;

import com.github.dockerjava.api.DockerClient;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.dataplane.executor.DockerExecutor;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.testing.TestDocker;
import dev.shoal.dataplane.testing.TestImage;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The agent suite on the local Docker daemon; instances are counted by Docker itself. */
class DockerAgentTest extends AgentSuite {
    private static DockerClient docker;

    @BeforeAll
    static void docker() {
        docker = TestDocker.client();
        TestImage.ensure(docker);
    }

    @AfterAll
    static void closeDocker() throws IOException {
        docker.close();
    }

    @Override
    protected Executor newExecutor() {
        return DockerExecutor.create(nodeId);
    }

    @Override
    protected ContainerSpec unrunnableSpec() {
        return ContainerSpec.of("shoal-test/no-such-image:latest", "true");
    }

    @Override
    protected String expectedRejection() {
        return "No such image: shoal-test/no-such-image:latest";
    }

    @Override
    protected int instanceCount(TaskId task) {
        return TestDocker.containers(docker, task).size();
    }

    /**
     * dockerd starts containers one after another (about 300 ms each on 2 busy cores, 20 s for 50),
     * so the budget is the daemon's, with room for a loaded CI machine; the agent adds little to it.
     */
    @Override
    protected Duration fiftyTasksBudget() {
        return Duration.ofSeconds(90);
    }

    @Override
    protected void cleanUp() {
        TestDocker.removeAll(docker, nodeId);
    }
}
