package dev.shoal.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.api.model.Version;
import dev.shoal.cli.console.ProgressDisplay.Line;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Progress of global services and jobs: per node, and completions. */
class ConvergenceTrackerModesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ServiceId SERVICE = ServiceId.of("svc");
    private static final TaskSpec TEMPLATE = new TaskSpec(ContainerSpec.of("busybox"), null, null);

    private static Service service(ServiceMode mode, TaskSpec template) {
        return new Service(SERVICE, new Version(10), T0, T0, new ServiceSpec("web", null, template, mode), null);
    }

    private static Node node(String id, NodeStatus.State state, NodeSpec.Availability availability, Map<String, String> labels) {
        return new Node(NodeId.of(id), new Version(1), T0, T0, new NodeSpec(id, labels, NodeSpec.Role.WORKER, availability), null,
                new NodeStatus(state, null, "127.0.0.1"), null);
    }

    private static Task task(String id, long slot, String node, TaskState state, TaskState desired, String err) {
        return new Task(TaskId.of(id), new Version(1), T0, T0, SERVICE, "web", slot, node == null ? null : NodeId.of(node), TEMPLATE,
                new Version(10), new TaskStatus(T0, state, state.wireName(), err, null), desired);
    }

    @Test
    void aGlobalServiceShowsOneLinePerEligibleNode() {
        TaskSpec constrained = TEMPLATE.withPlacement(new Placement(List.of("node.labels.zone==east"), null, null, null));
        Service s = service(ServiceMode.ofGlobal(), constrained);
        List<Node> nodes = List.of(
                node("node-a", NodeStatus.State.READY, NodeSpec.Availability.ACTIVE, Map.of("zone", "east")),
                node("node-b", NodeStatus.State.READY, NodeSpec.Availability.ACTIVE, Map.of("zone", "east")),
                node("node-c", NodeStatus.State.READY, NodeSpec.Availability.ACTIVE, Map.of("zone", "west")),
                node("node-d", NodeStatus.State.DOWN, NodeSpec.Availability.ACTIVE, Map.of("zone", "east")),
                node("node-e", NodeStatus.State.READY, NodeSpec.Availability.DRAIN, Map.of("zone", "east")));
        TaskSpec t = constrained;
        List<Task> tasks = List.of(
                withSpec(task("a1", 0, "node-a", TaskState.RUNNING, TaskState.RUNNING, null), t),
                withSpec(task("b1", 0, "node-b", TaskState.STARTING, TaskState.RUNNING, null), t));
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(s, tasks, nodes);
        assertFalse(p.converged());
        assertEquals(List.of(
                new Line("overall progress", "1 out of 2 tasks"),
                new Line("node-a", "running   [==================================================>]"),
                new Line("node-b", "starting  [============================================>      ]")), p.lines());
        ConvergenceTracker.Progress done = new ConvergenceTracker().update(s, List.of(tasks.get(0),
                withSpec(task("b1", 0, "node-b", TaskState.RUNNING, TaskState.RUNNING, null), t)), nodes);
        assertTrue(done.converged());
    }

    @Test
    void aGlobalTaskThatCannotStartShowsItsErrorOnTheNodesLine() {
        Service s = service(ServiceMode.ofGlobal(), TEMPLATE);
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(s, List.of(
                task("a1", 0, "node-a", TaskState.PENDING, TaskState.RUNNING, "no suitable node (1 node lacks 512 MiB)")),
                List.of(node("node-a", NodeStatus.State.READY, NodeSpec.Availability.ACTIVE, null)));
        assertEquals(new Line("node-a", "no suitable node (1 node lacks 512 MiB)"), p.lines().get(1));
    }

    @Test
    void aReplicatedJobCountsCompletions() {
        Service s = service(ServiceMode.ofReplicatedJob(2L, 5L), TEMPLATE);
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(s, List.of(
                task("1", 1, "n", TaskState.COMPLETE, TaskState.COMPLETE, null),
                task("2", 2, "n", TaskState.COMPLETE, TaskState.COMPLETE, null),
                task("3", 3, "n", TaskState.RUNNING, TaskState.COMPLETE, null)), List.of());
        assertFalse(p.converged());
        assertTrue(p.job());
        assertEquals(List.of(new Line("job progress", "2 out of 5 complete"), new Line("active tasks", "1 out of 2 tasks")), p.lines());
    }

    @Test
    void aReplicatedJobIsDoneAtItsTotalCompletions() {
        Service s = service(ServiceMode.ofReplicatedJob(1L, 2L), TEMPLATE);
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(s, List.of(
                task("1", 1, "n", TaskState.COMPLETE, TaskState.COMPLETE, null),
                task("2", 2, "n", TaskState.COMPLETE, TaskState.COMPLETE, null)), List.of());
        assertTrue(p.converged());
        assertEquals(new Line("job progress", "2 out of 2 complete"), p.lines().getFirst());
    }

    @Test
    void aGlobalJobCountsNodesThatCompleted() {
        Service s = service(ServiceMode.ofGlobalJob(), TEMPLATE);
        List<Node> nodes = List.of(node("a", NodeStatus.State.READY, NodeSpec.Availability.ACTIVE, null),
                node("b", NodeStatus.State.READY, NodeSpec.Availability.ACTIVE, null));
        ConvergenceTracker.Progress p = new ConvergenceTracker().update(s, List.of(
                task("1", 0, "a", TaskState.COMPLETE, TaskState.COMPLETE, null),
                task("2", 0, "b", TaskState.RUNNING, TaskState.COMPLETE, null)), nodes);
        assertFalse(p.converged());
        assertEquals(new Line("job progress", "1 out of 2 complete"), p.lines().getFirst());
    }

    private static Task withSpec(Task t, TaskSpec spec) {
        return new Task(t.id(), t.version(), t.createdAt(), t.updatedAt(), t.serviceId(), t.serviceName(), t.slot(), t.nodeId(), spec,
                t.serviceVersion(), t.status(), t.desiredState());
    }
}
