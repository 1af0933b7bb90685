package dev.shoal.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.JobStatus;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.api.model.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code service ls} MODE and REPLICAS, and {@code service ps} ERROR, as Docker prints them. */
class ServiceRowsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ServiceId ID = ServiceId.of("svc0123456789abcdef");
    private static final TaskSpec TEMPLATE = new TaskSpec(ContainerSpec.of("nginx"), null, null);
    private static final Set<String> UP = Set.of("n1", "n2");

    private static Service service(ServiceMode mode, TaskSpec template) {
        return new Service(ID, new Version(10), T0, T0, new ServiceSpec("web", null, template, mode), null);
    }

    private static Task task(long slot, String node, TaskState state, TaskState desired, String err) {
        return new Task(TaskId.of("t" + slot + node + state), new Version(1), T0, T0, ID, "web", slot, NodeId.of(node), TEMPLATE,
                new Version(10), new TaskStatus(T0, state, state.wireName(), err, null), desired);
    }

    private static List<String> row(Service s, List<Task> tasks) {
        List<String> lines = ServiceRows.services(List.of(s), tasks, UP, false).render("{{.Mode}}|{{.Replicas}}");
        return List.of(lines.getFirst().split("\\|"));
    }

    @Test
    void replicatedCountsRunningTasksOnUpNodes() {
        assertEquals(List.of("replicated", "2/3"), row(service(ServiceMode.replicated(3), TEMPLATE), List.of(
                task(1, "n1", TaskState.RUNNING, TaskState.RUNNING, null),
                task(2, "n2", TaskState.RUNNING, TaskState.RUNNING, null),
                task(3, "n9", TaskState.RUNNING, TaskState.RUNNING, null))));
    }

    @Test
    void maxPerNodeIsShownAfterTheCount() {
        TaskSpec limited = TEMPLATE.withPlacement(new Placement(null, null, 1L, null));
        assertEquals(List.of("replicated", "2/2 (max 1 per node)"), row(service(ServiceMode.replicated(2), limited), List.of(
                task(1, "n1", TaskState.RUNNING, TaskState.RUNNING, null),
                task(2, "n2", TaskState.RUNNING, TaskState.RUNNING, null))));
    }

    @Test
    void globalCountsTasksDesiredRunning() {
        assertEquals(List.of("global", "1/2"), row(service(ServiceMode.ofGlobal(), TEMPLATE), List.of(
                task(0, "n1", TaskState.RUNNING, TaskState.RUNNING, null),
                task(0, "n2", TaskState.PREPARING, TaskState.RUNNING, null),
                task(0, "n2", TaskState.SHUTDOWN, TaskState.SHUTDOWN, null))));
    }

    @Test
    void replicatedJobShowsCompletions() {
        Service job = new Service(ID, new Version(10), T0, T0,
                new ServiceSpec("web", null, TEMPLATE, ServiceMode.ofReplicatedJob(2L, 3L)), null, null, new JobStatus(new Version(10), T0), null);
        assertEquals(List.of("replicated job", "1/1 (2/3 completed)"), row(job, List.of(
                task(1, "n1", TaskState.COMPLETE, TaskState.COMPLETE, null),
                task(2, "n1", TaskState.COMPLETE, TaskState.COMPLETE, null),
                task(3, "n2", TaskState.RUNNING, TaskState.RUNNING, null))));
    }

    @Test
    void globalJobShowsCompletionsPerNode() {
        assertEquals(List.of("global job", "0/0 (2/2 completed)"), row(service(ServiceMode.ofGlobalJob(), TEMPLATE), List.of(
                task(0, "n1", TaskState.COMPLETE, TaskState.COMPLETE, null),
                task(0, "n2", TaskState.COMPLETE, TaskState.COMPLETE, null))));
    }

    @Test
    void modeNamesAsDocker() {
        List<String> names = new ArrayList<>();
        for (ServiceMode.Kind k : ServiceMode.Kind.values()) {
            names.add(ServiceRows.modeName(k));
        }
        assertEquals(List.of("replicated", "global", "replicated job", "global job"), names);
    }

    @Test
    void aPendingTaskShowsWhyItWaits() {
        List<String> lines = ServiceRows.tasks(List.of(task(1, "n1", TaskState.PENDING, TaskState.RUNNING,
                "no suitable node (2 nodes drained; 1 node lacks 512 MiB)")), Map.of(), T0, true).render("{{.CurrentState}}|{{.Error}}");
        assertEquals("Pending less than a second ago|\"no suitable node (2 nodes drained; 1 node lacks 512 MiB)\"", lines.getFirst());
    }
}
