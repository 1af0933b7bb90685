package dev.shoal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life cycle of a replicated service on one node, written once and run on every executor by
 * subclassing (as Netty's testsuite runs one behaviour on every transport). Each test runs a real
 * daemon with its real Raft log, real containers or processes, and looks at them from outside.
 */
abstract class ServiceLifecycleSuite {
    private static final Logger log = LoggerFactory.getLogger(ServiceLifecycleSuite.class);
    static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    TestDaemons.Handle daemon;
    ShoalClient client;

    /** "docker" or "process". */
    abstract String executor();

    /** A container spec that runs until stopped. */
    abstract ContainerSpec longRunning();

    /** A container spec that exits with {@code code} at once. */
    abstract ContainerSpec exitingWith(int code);

    /** A container spec whose image (or executable) does not exist. */
    abstract ContainerSpec missingImage();

    /** The words the executor's rejection of {@link #missingImage()} contains. */
    abstract String missingImageReason();

    /** How many of these tasks' containers or processes are alive, seen from outside Shoal. */
    abstract long aliveFromOutside(Service service, List<Task> everTasks);

    /** Kills a task's container or process from outside Shoal, as `docker kill` or `kill -9` would. */
    abstract void killFromOutside(Task task);

    @BeforeEach
    void startSwarm() {
        daemon = TestDaemons.start(dir, executor());
        client = daemon.client();
        client.swarmInit(new SwarmInitRequest("127.0.0.1:0", "127.0.0.1", null)).block(Duration.ofSeconds(30));
        Await.until(Duration.ofSeconds(20), "the node to be ready",
                () -> client.nodeList().collectList().block().stream().allMatch(n -> n.isReady()),
                () -> client.nodeList().collectList().block());
    }

    @AfterEach
    void stopSwarm() {
        if (daemon != null) {
            daemon.leaveAndClose();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    Service create(String name, long replicas, ContainerSpec container, RestartPolicy restart) {
        ServiceSpec spec = new ServiceSpec(name, Map.of("test", getClass().getSimpleName()),
                new TaskSpec(container, restart, null), ServiceMode.replicated(replicas));
        String id = client.serviceCreate(spec).block(Duration.ofSeconds(10)).id().value();
        return client.serviceInspect(id).block(Duration.ofSeconds(10));
    }

    /** The service's tasks; filtered here, not by the server, so that it also works after the service is removed. */
    List<Task> tasks(Service s) {
        return client.taskList(TaskFilter.ALL).collectList().block(Duration.ofSeconds(10)).stream()
                .filter(t -> t.serviceId().equals(s.id()))
                .toList();
    }

    List<Task> running(Service s) {
        return tasks(s).stream()
                .filter(t -> t.desiredState() == TaskState.RUNNING && t.state() == TaskState.RUNNING)
                .toList();
    }

    Duration awaitRunning(Service s, int n) {
        return Await.until(CONVERGE, n + " running tasks of " + s.spec().name(),
                () -> running(s).size() == n && tasks(s).stream().filter(t -> t.desiredState() == TaskState.RUNNING).count() == n,
                () -> describe(tasks(s)));
    }

    static String describe(List<Task> tasks) {
        return tasks.stream().sorted(Comparator.comparingLong(Task::slot))
                .map(t -> t.slot() + ":" + t.id().shortForm() + " desired=" + t.desiredState().wireName() + " state="
                        + t.state().wireName() + (t.status().err() == null ? "" : " err=" + t.status().err()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private final List<Task> seen = new ArrayList<>();

    /** Every task seen so far for the service (for counting processes from outside after removal). */
    List<Task> remember(Service s) {
        for (Task t : tasks(s)) {
            if (seen.stream().noneMatch(o -> o.id().equals(t.id()) && o.status().containerStatus() != null)) {
                seen.removeIf(o -> o.id().equals(t.id()));
                seen.add(t);
            }
        }
        return List.copyOf(seen);
    }

    // ---- the behaviour --------------------------------------------------------------------------

    @Test
    void replicasRunAndRemoveLeavesNothingBehind() {
        Service web = create("web", 3, longRunning(), null);
        Duration took = awaitRunning(web, 3);
        log.info("[{}] 3 replicas running after {} ms", executor(), took.toMillis());
        List<Task> tasks = remember(web);
        assertEquals(Set.of(1L, 2L, 3L), tasks.stream().map(Task::slot).collect(Collectors.toSet()));
        assertEquals(3, aliveFromOutside(web, tasks));
        for (Task t : tasks) {
            assertTrue(t.status().containerStatus() != null && t.status().containerStatus().containerId() != null,
                    "running task reports its container: " + t);
        }

        client.serviceRemove("web").block(Duration.ofSeconds(10));
        Await.until(CONVERGE, "every container of web to be gone", () -> aliveFromOutside(web, tasks) == 0
                && tasks(web).isEmpty(), () -> aliveFromOutside(web, tasks) + " alive, tasks " + describe(tasks(web)));
        assertTrue(client.serviceList().collectList().block().isEmpty());
    }

    @Test
    void taskKilledFromOutsideIsReplacedWithinTenSeconds() {
        Service web = create("web", 2, longRunning(), null); // Docker's default restart policy: any, 5 s delay
        awaitRunning(web, 2);
        Task victim = running(web).getFirst();

        long killedAt = System.nanoTime();
        killFromOutside(victim);
        Duration took = Await.until(Duration.ofSeconds(10), "a new running task in slot " + victim.slot(),
                () -> running(web).stream().anyMatch(t -> t.slot() == victim.slot() && !t.id().equals(victim.id())),
                () -> describe(tasks(web)));
        log.info("[{}] killed task replaced after {} ms (restart delay 5 s)", executor(), (System.nanoTime() - killedAt) / 1_000_000);

        Task dead = client.taskInspect(victim.id().value()).block();
        assertEquals(TaskState.FAILED, dead.state(), "the killed task failed: " + dead);
        assertEquals(TaskState.SHUTDOWN, dead.desiredState());
        assertTrue(dead.status().err() != null && dead.status().err().contains("non-zero exit"), dead.status().toString());
        assertEquals(2, running(web).size());
        assertTrue(took.toMillis() <= 10_000);
    }

    @Test
    void scaleToTwentyAndBackToTwoConverges() {
        Service web = create("web", 2, longRunning(), null);
        awaitRunning(web, 2);
        scale(web, 20);
        Duration up = awaitRunning(web, 20);
        scale(web, 2);
        Duration down = awaitRunning(web, 2);
        List<Task> all = remember(web);
        Await.until(CONVERGE, "only 2 containers alive", () -> aliveFromOutside(web, remember(web)) == 2,
                () -> aliveFromOutside(web, remember(web)));
        assertEquals(Set.of(1L, 2L), running(web).stream().map(Task::slot).collect(Collectors.toSet()),
                "scale-down removes the highest slots");
        log.info("[{}] scale 2→20 in {} ms, 20→2 in {} ms ({} tasks seen)", executor(), up.toMillis(), down.toMillis(), all.size());
    }

    private void scale(Service s, long replicas) {
        Service current = client.serviceInspect(s.id().value()).block();
        client.serviceUpdate(s.id().value(), current.version(), current.spec().withReplicas(replicas)).block(Duration.ofSeconds(10));
    }

    @Test
    void missingImageIsRejectedWithTheReason() {
        Service bad = create("bad", 1, missingImage(), null);
        Await.until(CONVERGE, "a REJECTED task naming the missing image",
                () -> tasks(bad).stream().anyMatch(t -> t.state() == TaskState.REJECTED
                        && t.status().err() != null && t.status().err().contains(missingImageReason())),
                () -> describe(tasks(bad)));
        // The replacement waits out the restart delay (5 s by default), also when it is rejected
        // while being prepared: no tight loop of rejections.
        Await.holds(Duration.ofSeconds(3), "at most 2 tasks (the rejected one and its held replacement)",
                () -> tasks(bad).size() <= 2, () -> describe(tasks(bad)));
    }

    @Test
    void exitedTaskWithRestartConditionNoneCompletesAndStaysDown() {
        Service once = create("once", 1, exitingWith(0), new RestartPolicy(RestartPolicy.Condition.NONE, 0L, null, null));
        Await.until(CONVERGE, "the task to complete", () -> tasks(once).stream().anyMatch(t -> t.state() == TaskState.COMPLETE),
                () -> describe(tasks(once)));
        // The orchestrator must not replace it: no task of the service may ever want to run again.
        Predicate<Task> wantsToRun = t -> t.desiredState() == TaskState.RUNNING && t.state() != TaskState.COMPLETE;
        Await.until(Duration.ofSeconds(5), "the slot to be settled", () -> tasks(once).stream().noneMatch(wantsToRun),
                () -> describe(tasks(once)));
        assertEquals(1, tasks(once).size(), describe(tasks(once)));
    }

    @Test
    void failingTaskRestartsOnFailureUpToMaxAttemptsAndKeepsFiveInHistory() {
        Service crash = create("crash", 1, exitingWith(3),
                new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, Duration.ofMillis(50).toNanos(), 7L, null));
        // 1 first run + 7 restarts = 8 failed tasks, of which the slot keeps the 5 newest.
        Await.until(CONVERGE, "the restarts to stop with 5 failed tasks kept",
                () -> {
                    List<Task> ts = tasks(crash);
                    return ts.size() == 5 && ts.stream().allMatch(t -> t.state() == TaskState.FAILED && t.desiredState().isTerminal());
                }, () -> describe(tasks(crash)));
        for (Task t : tasks(crash)) {
            assertTrue(t.status().err().contains("non-zero exit (3)"), t.status().toString());
        }
    }

    @Test
    void updateReplacesEveryTaskWithTheNewSpec() {
        Service web = create("web", 3, longRunning(), null);
        awaitRunning(web, 3);
        Service current = client.serviceInspect("web").block();
        ContainerSpec c = current.spec().taskTemplate().containerSpec();
        ContainerSpec changed = new ContainerSpec(c.image(), c.command(), c.args(), List.of("COLOR=blue"), c.labels(), c.dir(), c.stopGracePeriod());
        client.serviceUpdate("web", current.version(), current.spec().withTaskTemplate(current.spec().taskTemplate().withContainerSpec(changed)))
                .block(Duration.ofSeconds(10));
        Await.until(CONVERGE, "3 running tasks with COLOR=blue",
                () -> running(web).size() == 3 && running(web).stream().allMatch(t -> List.of("COLOR=blue").equals(t.spec().containerSpec().env())),
                () -> describe(tasks(web)));
        Await.until(CONVERGE, "only the 3 new containers alive", () -> aliveFromOutside(web, remember(web)) == 3,
                () -> aliveFromOutside(web, remember(web)));
    }
}
