package dev.shoal.controlplane.orchestrator.replicated;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.controlplane.orchestrator.Tasks;
import dev.shoal.controlplane.reconcile.Commits;
import dev.shoal.controlplane.reconcile.Reconciler;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.Kind;
import dev.shoal.controlplane.store.StoreEvent;
import dev.shoal.controlplane.store.StoreView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import reactor.core.publisher.Mono;

/**
 * Keeps every replicated service (mode {@code replicated}; global services and jobs have their own
 * orchestrators) at its replica count: slots 1..replicas, each held by one task
 * (see {@link Tasks#occupiesSlot}).
 *
 * <ul>
 *   <li>Scale up: a task (desired RUNNING, observed NEW) for each missing slot, lowest free slot
 *       numbers first, so a slot's history continues where it was.</li>
 *   <li>Scale down: the extra slots' tasks get desired REMOVE (the node stops them, the task reaper
 *       deletes them). Kept first are slots whose task is running, then those on nodes with fewer
 *       copies of the service, then lower slot numbers: not-running tasks and the highest slots go
 *       first, and the survivors stay spread.</li>
 * </ul>
 * Replacing failed tasks is the restart supervisor's job and replacing outdated ones the updater's;
 * this reconciler never touches a slot that is held. All tasks of one pass are created in one
 * transaction (batched by {@link Commits#MAX_BATCH}).
 */
public final class ReplicatedOrchestrator implements Reconciler {
    private final ClusterStore store;
    private final Clock clock;

    public ReplicatedOrchestrator(ClusterStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean concerns(StoreEvent e) {
        return e.kind() == Kind.SERVICE || (e.kind() == Kind.TASK && e.action() != StoreEvent.Action.CREATE);
    }

    @Override
    public Mono<Instant> reconcile(StoreView view) {
        Instant now = clock.instant();
        Map<ServiceId, List<Task>> tasksByService = Tasks.byService(view);
        List<Change> changes = new ArrayList<>();
        for (Service s : view.services().values()) {
            if (s.spec().modeKind() != ServiceMode.Kind.REPLICATED) {
                continue;
            }
            reconcile(s, tasksByService.getOrDefault(s.id(), List.of()), now, changes);
        }
        return Commits.inBatches(store, changes).then(Mono.empty());
    }

    private static void reconcile(Service service, List<Task> tasks, Instant now, List<Change> changes) {
        TreeMap<Long, List<Task>> slots = Tasks.bySlot(tasks);
        Set<Long> held = new LinkedHashSet<>();
        slots.forEach((slot, slotTasks) -> {
            if (slotTasks.stream().anyMatch(Tasks::occupiesSlot)) {
                held.add(slot);
            }
        });
        long replicas = service.spec().replicas();
        if (held.size() < replicas) {
            long missing = replicas - held.size();
            for (long slot = 1; missing > 0; slot++) {
                if (!held.contains(slot)) {
                    changes.add(Change.create(Tasks.newTask(service, slot, TaskState.RUNNING, now)));
                    missing--;
                }
            }
        } else if (held.size() > replicas) {
            for (long slot : slotsToRemove(held, slots, held.size() - (int) replicas)) {
                for (Task t : slots.get(slot)) {
                    if (t.desiredState().isBefore(TaskState.REMOVE)) {
                        changes.add(Change.update(t.withDesiredState(TaskState.REMOVE, now)));
                    }
                }
            }
        }
    }

    /** The {@code count} slots to give up: the last ones in keep-first order. */
    private static List<Long> slotsToRemove(Set<Long> held, Map<Long, List<Task>> slots, int count) {
        record Ranked(long slot, boolean running, int copyOnNode) {}
        Map<NodeId, Integer> copies = new HashMap<>();
        List<Ranked> ranked = new ArrayList<>();
        for (long slot : held) {
            Task current = slots.get(slot).stream().filter(Tasks::occupiesSlot).min(Tasks.NEWEST_FIRST).orElseThrow();
            int copy = current.nodeId() == null ? Integer.MAX_VALUE : copies.merge(current.nodeId(), 1, Integer::sum);
            ranked.add(new Ranked(slot, current.state() == TaskState.RUNNING, copy));
        }
        ranked.sort(Comparator.comparing((Ranked r) -> !r.running())
                .thenComparingInt(Ranked::copyOnNode)
                .thenComparingLong(Ranked::slot));
        return ranked.subList(ranked.size() - count, ranked.size()).stream().map(Ranked::slot).toList();
    }
}
