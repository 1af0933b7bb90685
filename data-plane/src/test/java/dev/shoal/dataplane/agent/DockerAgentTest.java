package dev.shoal.dataplane.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.dataplane.executor.DockerExecutor;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.testing.TestDocker;
import dev.shoal.dataplane.testing.TestImage;
import dev.shoal.dataplane.testing.TestTasks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent suite on the local Docker daemon; instances are counted by Docker itself. */
class DockerAgentTest extends AgentSuite {
    private static DockerClient docker;

    @BeforeAll
    static void docker() {
        docker = TestDocker.client();
        TestImage.ensure(docker);
    }

    @AfterAll
    static void closeDocker() throws IOException, InterruptedException {
        new ProcessBuilder("docker", "rmi", "-f", UNHEALTHY_IMAGE).redirectErrorStream(true).start().waitFor();
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

    /** The test image with a HEALTHCHECK that always fails (Docker's {@code docker commit --change}). */
    private static final String UNHEALTHY_IMAGE = "shoal-test/busybox:unhealthy";

    private static void ensureUnhealthyImage() throws IOException, InterruptedException {
        Process create = new ProcessBuilder("docker", "create", TestTasks.IMAGE, "true").redirectErrorStream(true).start();
        String id = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, create.waitFor(), id);
        try {
            Process commit = new ProcessBuilder("docker", "commit", "--change",
                    "HEALTHCHECK --interval=200ms --timeout=2s --retries=2 CMD echo image check failed; exit 1", id, UNHEALTHY_IMAGE)
                    .redirectErrorStream(true).start();
            String out = new String(commit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, commit.waitFor(), out);
        } finally {
            new ProcessBuilder("docker", "rm", id).start().waitFor();
        }
    }

    @Test
    void theImageHealthcheckIsInheritedAndNoHealthcheckTurnsItOff() throws Exception {
        ensureUnhealthyImage();
        Task inherits = running("web", 1, new ContainerSpec(UNHEALTHY_IMAGE, List.of("sh", "-c"), List.of(TestTasks.LONG_RUNNING),
                null, null, null, 1_000_000_000L));
        Task disabled = running("web", 2, inherits.spec().containerSpec().withHealthcheck(HealthConfig.none()));
        dispatcher.assign(List.of(inherits, disabled));
        awaitState(inherits, TaskState.FAILED);
        assertEquals("task: container unhealthy (last check: image check failed)", dispatcher.status(inherits.id()).err());
        awaitState(disabled, TaskState.RUNNING);
        Thread.sleep(2000); // ten failed checks' worth
        assertEquals(TaskState.RUNNING, dispatcher.state(disabled.id()), "still running without the image's check");
    }

    @Test
    void limitsAndTheHealthcheckReachTheContainer() {
        ContainerSpec spec = withCheck(TestTasks.shell(TestTasks.LONG_RUNNING), "true");
        Task t = TestTasks.running(nodeId, "limited", 1, spec);
        t = new Task(t.id(), t.version(), t.createdAt(), t.updatedAt(), t.serviceId(), t.serviceName(), t.slot(), t.nodeId(),
                t.spec().withResources(new ResourceRequirements(new ResourceRequirements.Resources(500_000_000L, 64L << 20, 50L), null)),
                t.serviceVersion(), t.status(), t.desiredState());
        dispatcher.assign(List.of(t));
        awaitState(t, TaskState.RUNNING);
        InspectContainerResponse c = docker.inspectContainerCmd(t.containerName()).exec();
        assertEquals(500_000_000L, c.getHostConfig().getNanoCPUs());
        assertEquals(64L << 20, c.getHostConfig().getMemory());
        assertEquals(50L, c.getHostConfig().getPidsLimit());
        assertEquals(List.of("CMD-SHELL", "true"), c.getConfig().getHealthcheck().getTest());
        assertEquals(200_000_000L, c.getConfig().getHealthcheck().getInterval());
    }

    @Test
    void aMemoryLimitThatIsExceededEndsTheTaskOomKilled() {
        // busybox's sh doubles a string until the 8 MiB cgroup limit kills it
        ContainerSpec hog = TestTasks.shell("x=0123456789; while :; do x=$x$x; done");
        Task t = TestTasks.running(nodeId, "hog", 1, hog);
        t = new Task(t.id(), t.version(), t.createdAt(), t.updatedAt(), t.serviceId(), t.serviceName(), t.slot(), t.nodeId(),
                t.spec().withResources(new ResourceRequirements(new ResourceRequirements.Resources(null, 8L << 20, null), null)),
                t.serviceVersion(), t.status(), t.desiredState());
        dispatcher.assign(List.of(t));
        awaitState(t, TaskState.FAILED);
        TaskStatus failed = dispatcher.status(t.id());
        assertEquals(Boolean.TRUE, failed.containerStatus().oomKilled(), failed.toString());
        assertEquals("OOM killed", failed.err());
    }
}
