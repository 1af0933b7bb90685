package dev.shoal.dataplane.executor;

import static dev.shoal.dataplane.testing.TestTasks.LONG_RUNNING;
import static dev.shoal.dataplane.testing.TestTasks.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Task;
import dev.shoal.dataplane.testing.TestDocker;
import dev.shoal.dataplane.testing.TestImage;
import dev.shoal.dataplane.testing.TestTasks;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The executor suite on the local Docker daemon, plus what only Docker has (labels, names). */
class DockerExecutorTest extends ExecutorSuite {
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
    protected String workingDir() {
        return "/www";
    }

    @Override
    protected boolean knowsExitCodeOfAdopted() {
        return true;
    }

    @Override
    protected void cleanUp() {
        TestDocker.removeAll(docker, nodeId);
    }

    @Test
    void containersCarryDockersSwarmLabelsAndTheTaskName() {
        var spec = new ContainerSpec(TestTasks.IMAGE, List.of("sh", "-c"), List.of(LONG_RUNNING), List.of("A=1"),
                Map.of("app", "web"), null, Duration.ofSeconds(3).toNanos());
        Task task = TestTasks.running(nodeId, "web", 2, spec);
        await(executor.controller(task).prepare());

        InspectContainerResponse c = docker.inspectContainerCmd(task.containerName()).exec();
        Map<String, String> labels = c.getConfig().getLabels();

        assertEquals("/web.2." + task.id().value(), c.getName());
        assertEquals(task.id().value(), labels.get("com.docker.swarm.task.id"));
        assertEquals(task.containerName(), labels.get("com.docker.swarm.task.name"));
        assertEquals(task.serviceId().value(), labels.get("com.docker.swarm.service.id"));
        assertEquals("web", labels.get("com.docker.swarm.service.name"));
        assertEquals(nodeId.value(), labels.get("com.docker.swarm.node.id"));
        assertEquals("true", labels.get("dev.shoal.managed"));
        assertEquals("web", labels.get("app"), "the spec's own labels");
        assertEquals(List.of("sh", "-c"), List.of(c.getConfig().getEntrypoint()), "command is the entrypoint");
        assertEquals(List.of(LONG_RUNNING), List.of(c.getConfig().getCmd()), "args are the CMD");
        assertTrue(List.of(c.getConfig().getEnv()).contains("A=1"));
    }

    @Test
    void anOomKillIsReportedAsSuch() {
        // the spec has no memory limit: give the prepared container one, as --memory would
        Task task = task(shell("x=$(busybox head -c 100000000 /dev/zero | busybox tr '\\0' a); exit 0"));
        Controller c = executor.controller(task);
        Instance created = await(c.prepare());
        docker.updateContainerCmd(created.id()).withMemory(16L << 20).withMemorySwap(16L << 20).exec();

        await(c.start());
        Exit exit = await(c.waitExit());

        assertTrue(exit.oomKilled(), "OOM-killed: " + exit);
        assertEquals(137, exit.exitCode());
        assertTrue(await(c.inspect()).containerStatus().oomKilled());
    }

    @Test
    void anotherNodesContainersAreNeitherListedNorWatched() {
        var other = NodeId.random();
        try (DockerExecutor otherExecutor = DockerExecutor.create(other)) {
            Task theirs = TestTasks.running(other, "theirs", 1, shell(LONG_RUNNING));
            await(otherExecutor.controller(theirs).prepare());

            assertFalse(executor.instances().any(i -> i.taskId().equals(theirs.id())).block(TIMEOUT));
            assertEquals(1, otherExecutor.instances().count().block(TIMEOUT));
        } finally {
            TestDocker.removeAll(docker, other);
        }
    }

    @Test
    void reachableAnswersQuicklyForAMissingDaemon() {
        long t0 = System.nanoTime();
        assertFalse(DockerExecutor.reachable("unix:///nonexistent/docker.sock", Duration.ofSeconds(1)));
        assertFalse(DockerExecutor.reachable("tcp://127.0.0.1:1", Duration.ofSeconds(1)));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(3)) < 0);
        assertTrue(DockerExecutor.reachable());
    }
}
