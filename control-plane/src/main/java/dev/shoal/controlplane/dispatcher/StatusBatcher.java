package dev.shoal.controlplane.dispatcher;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.message.AgentMessage.TaskStatusUpdate;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.controlplane.reconcile.Commits;
import dev.shoal.controlplane.store.Change;
import dev.shoal.controlplane.store.ClusterStore;
import dev.shoal.controlplane.store.StoreView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * Applies the task status reports of all sessions, many per transaction: reports that arrive
 * while a commit is in flight wait for it and then go together in the next one.
 *
 * <p>A report is applied only when it comes from the node the task is assigned to and moves the
 * observed state forward; anything else (a late report, a duplicate, a task since deleted) is
 * dropped. A stale write is computed again from a newer view. Thread-safe.
 */
final class StatusBatcher {
    private static final Logger log = LoggerFactory.getLogger(StatusBatcher.class);

    private record Report(NodeId node, TaskStatusUpdate update) {}

    private final ClusterStore store;
    private final Clock clock;
    private final Scheduler work;
    private final ConcurrentLinkedQueue<Report> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();

    StatusBatcher(ClusterStore store, Clock clock, Scheduler work) {
        this.store = store;
        this.clock = clock;
        this.work = work;
    }

    void submit(NodeId node, List<TaskStatusUpdate> updates) {
        for (TaskStatusUpdate u : updates) {
            if (u != null && u.taskId() != null && u.status() != null && u.status().state() != null) {
                queue.add(new Report(node, u));
            }
        }
        if (wip.getAndIncrement() == 0) {
            schedule();
        }
    }

    private void schedule() {
        try {
            work.schedule(this::drain);
        } catch (RejectedExecutionException e) {
            log.debug("the manager is stopping; {} task status reports dropped", queue.size());
        }
    }

    private void drain() {
        int missed = wip.get();
        Map<TaskId, Report> batch = new LinkedHashMap<>();
        for (Report r; (r = queue.poll()) != null; ) {
            batch.merge(r.update().taskId(), r, (a, b) -> b.update().status().state().isBefore(a.update().status().state()) ? a : b);
        }
        if (batch.isEmpty()) {
            done(missed);
            return;
        }
        Commits.withRetry(store, view -> changes(view, batch.values()))
                .subscribe(v -> done(missed), e -> {
                    log.warn("dropped {} task status reports: {}", batch.size(), e.toString());
                    done(missed);
                });
    }

    private void done(int missed) {
        if (wip.addAndGet(-missed) != 0) {
            schedule();
        }
    }

    private List<Change> changes(StoreView view, Iterable<Report> reports) {
        Instant now = clock.instant();
        List<Change> changes = new ArrayList<>();
        for (Report r : reports) {
            Task t = view.tasks().get(r.update().taskId());
            TaskStatus s = r.update().status();
            if (t == null || !r.node().equals(t.nodeId()) || !t.state().isBefore(s.state())) {
                continue;
            }
            if (s.timestamp() == null) {
                s = new TaskStatus(now, s.state(), s.message(), s.err(), s.containerStatus());
            }
            changes.add(Change.update(t.withStatus(s, now)));
        }
        return changes;
    }
}
