package dev.shoal.dataplane.agent;

import dev.shoal.api.id.TaskId;
import dev.shoal.api.message.AgentMessage.TaskStatusUpdate;
import dev.shoal.api.model.ContainerStatus;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.executor.Exit;
import dev.shoal.dataplane.executor.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Converges the node's tasks on the latest assignment set, after swarmkit's worker and
 * {@code exec.Do}: each task is one small state machine ({@link #reconcile}) that takes at most one
 * executor step at a time and is reconciled again when the step ends, with the newest desired
 * state.
 *
 * <p>Rules: observed states only move forward (a report earlier than what the agent or the manager
 * already has is dropped); a task that ended never runs again; a task absent from the set is
 * stopped and its instance removed; an instance is prepared only when none is known, so an adopted
 * one is never duplicated; at most {@link #MAX_CONCURRENT_STARTS} preparations and starts run at
 * once, while stops are not limited (they mostly wait).
 *
 * <p>Threading: confined to the agent's loop; every method must be called on it, and every
 * executor result is brought back to it with {@code publishOn}.
 */
final class Worker {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** Preparations and starts in flight at once. */
    static final int MAX_CONCURRENT_STARTS = 16;
    /** Delay before a failed stop or remove is tried again. */
    static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** How often a running instance's healthcheck verdict is read. */
    static final Duration HEALTH_POLL = Duration.ofMillis(500);

    private final Executor executor;
    private final Scheduler loop;
    private final Listener listener;
    private final Map<TaskId, TaskRecord> tasks = new LinkedHashMap<>();
    /** Exits seen before adoption finished, for instances the listing may show as still running. */
    private final Map<TaskId, Exit> earlyExits = new HashMap<>();
    private final Queue<Runnable> waitingStarts = new ArrayDeque<>();
    private final Disposable.Composite ops = Disposables.composite();
    private int startsInFlight;
    private boolean adopted;
    private boolean assignedOnce;
    private boolean closed;

    /** What the worker tells the agent; called on the loop. */
    interface Listener {
        /** A task's status changed; the manager must hear of it. */
        void reported(TaskId taskId, TaskStatus status);

        /** A task absent from the set was stopped and removed: the agent no longer knows it. */
        void forgotten(TaskId taskId);
    }

    Worker(Executor executor, Scheduler loop, Listener listener) {
        this.executor = executor;
        this.loop = loop;
        this.listener = listener;
    }

    // ---- inputs ------------------------------------------------------------------------------

    /** Takes over the instances the executor found on the node, before the first assignment set. */
    void adopt(List<Instance> instances) {
        for (Instance found : instances) {
            Exit early = earlyExits.remove(found.taskId());
            Instance i = early != null && found.state() != Instance.State.EXITED ? found.exited(early) : found;
            TaskRecord r = new TaskRecord(i.taskId());
            r.controller = executor.controller(i);
            r.instance = i;
            switch (i.state()) {
                case RUNNING -> r.reported = status(TaskState.RUNNING, "started", i.startedAt(), i.containerStatus());
                case CREATED -> r.reported = status(TaskState.READY, "prepared", null, i.containerStatus());
                // what the manager believes decides whether this exit is news: wait for the set
                case EXITED -> r.pendingExit = i.exit();
            }
            tasks.put(r.id, r);
            if (r.reported != null) {
                listener.reported(r.id, r.reported); // no session yet: it goes with the first hello
            }
            log.info("adopted {} instance {} of task {} ({})", executor.name(), i.name(), i.taskId(), i.state());
        }
        earlyExits.clear();
        adopted = true;
    }

    /** A complete assignment set: converge on it. */
    void assign(List<Task> assigned) {
        Set<TaskId> ids = new HashSet<>();
        for (Task t : assigned) {
            ids.add(t.id());
            TaskRecord r = tasks.computeIfAbsent(t.id(), TaskRecord::new);
            r.task = t;
            r.assigned = true;
            if (!r.controllerHasTask) {
                r.controller = executor.controller(t);
                r.controllerHasTask = true;
            }
        }
        for (TaskRecord r : tasks.values()) {
            if (!ids.contains(r.id)) {
                r.assigned = false;
            }
        }
        assignedOnce = true;
        for (TaskRecord r : List.copyOf(tasks.values())) {
            reconcile(r);
        }
    }

    void onExit(Exit exit) {
        TaskRecord r = tasks.get(exit.taskId());
        if (r == null) {
            if (!adopted) {
                earlyExits.put(exit.taskId(), exit);
            }
            return;
        }
        if (r.instance != null) {
            r.instance = r.instance.exited(exit);
        }
        if (r.stopping) {
            return; // the stop reports the end
        }
        r.pendingExit = exit;
        reconcile(r);
    }

    /** The status of every task the manager should hear about on a new session. */
    List<TaskStatusUpdate> currentStatuses() {
        List<TaskStatusUpdate> out = new ArrayList<>();
        for (TaskRecord r : tasks.values()) {
            if (r.reported != null && (r.assigned || !assignedOnce)) {
                out.add(new TaskStatusUpdate(r.id, r.reported));
            }
        }
        return out;
    }

    void close() {
        closed = true;
        ops.dispose();
        waitingStarts.clear();
    }

    // ---- the state machine -------------------------------------------------------------------

    private void reconcile(TaskRecord r) {
        // A record forgotten (stopped, removed, dropped from the books) is done: reconciling it
        // again would forget it again, forever, one runtime call each time.
        if (closed || r.busy || tasks.get(r.id) != r) {
            return;
        }
        if (!r.assigned) {
            if (assignedOnce) {
                forget(r);
            }
            return;
        }
        TaskState desired = r.task.desiredState() == null ? TaskState.RUNNING : r.task.desiredState();
        TaskState observed = r.observed();

        if (observed.isTerminal()) {
            // an ended task never runs again; its instance stays for history until the manager removes it
            if (r.instanceRunning()) {
                stop(r, desired == TaskState.REMOVE, false);
            } else if (desired == TaskState.REMOVE && r.instance != null) {
                run(r, r.controller.remove().publishOn(loop).then(Mono.fromRunnable(() -> r.instance = null)));
            }
            return;
        }
        if (r.pendingExit != null) {
            Exit exit = r.pendingExit;
            r.pendingExit = null;
            boolean ran = observed.compareTo(TaskState.STARTING) >= 0
                    || r.instance != null && r.instance.state() == Instance.State.EXITED;
            if (ran) {
                report(r, exitStatus(exit, r.instance));
                reconcile(r); // e.g. desired REMOVE: the instance goes now
                return;
            }
        }
        if (desired.isTerminal()) {
            if (r.instance != null) {
                stop(r, desired == TaskState.REMOVE, true);
            } else {
                report(r, status(TaskState.SHUTDOWN, "shutdown", null, null));
            }
            return;
        }
        if (observed.isBefore(TaskState.ACCEPTED)) {
            report(r, status(TaskState.ACCEPTED, "accepted", null, null));
        }
        if (desired.isBefore(TaskState.READY)) {
            return; // accepted, not to be prepared yet
        }
        if (observed == TaskState.STARTING && r.healthWatch != null && r.instanceRunning()) {
            return; // started, waiting for the healthcheck's verdict
        }
        if (observed == TaskState.RUNNING) {
            checkRunning(r);
            if (r.instanceRunning() && r.instance.health() != Instance.Health.NONE) {
                watchHealth(r); // e.g. adopted after a restart
            }
        } else if (desired == TaskState.RUNNING || observed.isBefore(TaskState.READY) || r.instance == null) {
            bringUp(r);
        }
    }

    /** Prepares (when no instance exists) and, when desired, starts: one permit for both. */
    private void bringUp(TaskRecord r) {
        r.busy = true;
        acquireStart(() -> {
            if (closed) {
                return;
            }
            if (!r.assigned || r.task.desiredState() != null && r.task.desiredState().isTerminal()) {
                // the set changed while the task waited for a permit: nothing to bring up any more
                releaseStart();
                r.busy = false;
                reconcile(r);
                return;
            }
            Mono<Instance> prepared;
            if (r.instance != null) {
                prepared = Mono.just(r.instance);
            } else {
                if (r.observed().isBefore(TaskState.PREPARING)) {
                    report(r, status(TaskState.PREPARING, "preparing", null, null));
                }
                prepared = r.controller.prepare().publishOn(loop).doOnNext(i -> {
                    r.instance = i;
                    if (r.observed().isBefore(TaskState.READY)) {
                        report(r, status(TaskState.READY, "prepared", null, i.containerStatus()));
                    }
                });
            }
            Mono<Instance> started = prepared.flatMap(i -> {
                if (!r.assigned || r.task.desiredState() != TaskState.RUNNING) {
                    return Mono.empty(); // held at READY, or the desired state moved on meanwhile
                }
                return switch (i.state()) {
                    case RUNNING -> Mono.just(i);
                    case EXITED -> {
                        r.pendingExit = i.exit();
                        yield Mono.empty();
                    }
                    case CREATED -> {
                        report(r, status(TaskState.STARTING, "starting", null, i.containerStatus()));
                        yield r.controller.start().publishOn(loop);
                    }
                };
            }).doOnNext(i -> {
                r.instance = i;
                if (i.isRunning() && i.health() != Instance.Health.NONE && i.health() != Instance.Health.HEALTHY) {
                    // RUNNING only once healthy: the healthcheck's verdict moves it on
                    report(r, status(TaskState.STARTING, "starting (health: starting)", i.startedAt(), i.containerStatus()));
                    watchHealth(r);
                    return;
                }
                report(r, status(TaskState.RUNNING, "started", i.startedAt(), i.containerStatus()));
                if (i.isRunning() && i.health() != Instance.Health.NONE) {
                    watchHealth(r);
                }
                if (i.state() == Instance.State.EXITED && r.pendingExit == null) {
                    r.pendingExit = i.exit();
                }
            });
            Mono<Void> step = started.then().onErrorResume(e -> {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                report(r, status(TaskState.REJECTED, "rejected", null, r.instance == null ? null : r.instance.containerStatus()).withErr(why));
                return Mono.empty();
            });
            subscribe(r, step, true);
        });
    }

    /**
     * Polls the healthcheck of {@code r}'s running instance every {@link #HEALTH_POLL}: a task
     * STARTING becomes RUNNING once healthy; an unhealthy one is reported FAILED ("task: container
     * unhealthy", with the last check's output) and then stopped, as swarmkit's agent does. The
     * watch ends with the instance, the task or the worker.
     */
    private void watchHealth(TaskRecord r) {
        if (r.healthWatch != null || closed) {
            return;
        }
        Disposable.Swap self = Disposables.swap();
        r.healthWatch = self;
        ops.add(self);
        self.update(Flux.interval(HEALTH_POLL, loop)
                .onBackpressureDrop()
                .concatMap(tick -> r.controller.inspect().map(Optional::of).defaultIfEmpty(Optional.empty()).publishOn(loop), 1)
                .subscribe(i -> onHealth(r, i), e -> {
                    log.debug("{}: health watch ended: {}", r, e.toString());
                    endHealthWatch(r);
                }));
    }

    private void onHealth(TaskRecord r, Optional<Instance> seen) {
        Instance i = seen.orElse(null);
        if (closed || tasks.get(r.id) != r || !r.assigned || r.observed().isTerminal() || i == null || !i.isRunning()) {
            endHealthWatch(r);
            return;
        }
        switch (i.health()) {
            case HEALTHY -> {
                if (r.observed() == TaskState.STARTING) {
                    report(r, status(TaskState.RUNNING, "started", i.startedAt(), i.containerStatus()));
                }
            }
            case UNHEALTHY -> {
                endHealthWatch(r);
                String out = i.healthOutput() == null || i.healthOutput().isBlank() ? "" : " (last check: " + i.healthOutput() + ")";
                report(r, status(TaskState.FAILED, "failed", null, i.containerStatus()).withErr("task: container unhealthy" + out));
                reconcile(r); // observed FAILED with the instance running: it is stopped now
            }
            case STARTING, NONE -> { }
        }
    }

    private void endHealthWatch(TaskRecord r) {
        if (r.healthWatch != null) {
            ops.remove(r.healthWatch);
            r.healthWatch.dispose();
            r.healthWatch = null;
        }
    }

    /** A task the manager believes RUNNING: make sure an instance backs it. */
    private void checkRunning(TaskRecord r) {
        if (r.instance == null) {
            report(r, status(TaskState.FAILED, "failed", null, null)
                    .withErr("task: no " + executor.name() + " instance " + r.task.containerName() + " on this node"));
        } else if (r.instance.state() == Instance.State.EXITED) {
            report(r, exitStatus(r.instance.exit(), r.instance));
        } else if (r.instance.state() == Instance.State.CREATED) {
            // reported RUNNING before a restart, found created: it did not really run
            report(r, status(TaskState.FAILED, "failed", null, r.instance.containerStatus())
                    .withErr("task: instance " + r.instance.name() + " is not running"));
        }
    }

    /** Stops the instance with the task's grace period, reports SHUTDOWN (when asked) and removes it (when asked). */
    private void stop(TaskRecord r, boolean remove, boolean reportShutdown) {
        r.stopping = true;
        Mono<Void> step = r.controller.stop(r.stopGracePeriod())
                .publishOn(loop)
                .doOnNext(exit -> r.instance = r.instance == null ? null : r.instance.exited(exit))
                .then(refresh(r)) // the executor's word on what is left, so a stale view cannot loop
                .then(Mono.fromRunnable(() -> {
                    r.stopping = false;
                    if (reportShutdown) {
                        report(r, status(TaskState.SHUTDOWN, "shutdown", null, r.instance == null ? null : r.instance.containerStatus()));
                    }
                }))
                .then(remove ? r.controller.remove().publishOn(loop).then(Mono.fromRunnable(() -> r.instance = null)) : Mono.empty());
        run(r, step);
    }

    private Mono<Void> refresh(TaskRecord r) {
        return r.controller.inspect().publishOn(loop)
                .doOnNext(i -> r.instance = i)
                .switchIfEmpty(Mono.fromRunnable(() -> r.instance = null))
                .then();
    }

    /** The task left the set: stop it, remove its instance, drop it from the books. */
    private void forget(TaskRecord r) {
        r.stopping = true;
        long t0 = System.nanoTime();
        Mono<Void> stop = r.instanceRunning() ? r.controller.stop(r.stopGracePeriod()).then() : Mono.empty();
        Mono<Void> step = stop.then(r.controller.remove()).publishOn(loop).then(Mono.fromRunnable(() -> {
            r.instance = null;
            if (!r.assigned) {
                tasks.remove(r.id);
                listener.forgotten(r.id);
                log.debug("task {} left the set: stopped and removed in {} ms", r.id, (System.nanoTime() - t0) / 1_000_000);
            }
        }));
        run(r, step);
    }

    // ---- running steps -----------------------------------------------------------------------

    /** Runs an unlimited step (stop, remove). */
    private void run(TaskRecord r, Mono<Void> step) {
        subscribe(r, step, false);
    }

    /**
     * Subscribes a step of {@code r}. When it ends, on the loop, the permit (if {@code limited}) is
     * released and the task reconciled again; a failed step is retried after {@link #RETRY_DELAY}.
     */
    private void subscribe(TaskRecord r, Mono<Void> step, boolean limited) {
        r.busy = true;
        Disposable.Swap self = Disposables.swap();
        ops.add(self);
        self.update(step.publishOn(loop).subscribe(null,
                e -> finish(r, self, limited, e),
                () -> finish(r, self, limited, null)));
    }

    private void finish(TaskRecord r, Disposable self, boolean limited, Throwable failure) {
        ops.remove(self);
        if (limited) {
            releaseStart();
        }
        r.stopping = false;
        if (closed) {
            return;
        }
        if (failure == null) {
            r.busy = false;
            reconcile(r);
            return;
        }
        log.warn("{} executor: a step of {} failed, retrying in {} ms: {}", executor.name(), r, RETRY_DELAY.toMillis(), failure.toString());
        loop.schedule(() -> {
            r.busy = false;
            reconcile(r);
        }, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acquireStart(Runnable start) {
        if (startsInFlight < MAX_CONCURRENT_STARTS) {
            startsInFlight++;
            start.run();
        } else {
            waitingStarts.add(start);
        }
    }

    private void releaseStart() {
        Runnable next = waitingStarts.poll();
        if (next != null) {
            next.run(); // the permit passes on
        } else {
            startsInFlight--;
        }
    }

    // ---- statuses ----------------------------------------------------------------------------

    private void report(TaskRecord r, TaskStatus s) {
        if (!r.assigned) {
            return; // the manager is done with it
        }
        TaskState floor = r.observed();
        if (s.state().isBefore(floor)) {
            log.debug("{}: not reporting {}: states only move forward", r, s.state());
            return;
        }
        r.reported = s;
        if (s.state() == TaskState.FAILED || s.state() == TaskState.REJECTED) {
            log.info("task {} {}: {}", r.id, s.state().wireName(), s.err());
        } else {
            log.debug("task {} {}", r.id, s.state().wireName());
        }
        listener.reported(r.id, s);
    }

    static TaskStatus status(TaskState state, String message, Instant at, ContainerStatus cs) {
        return new TaskStatus(at == null ? Instant.now() : at, state, message, null, cs);
    }

    /** Docker's reading of an exit: 0 is COMPLETE, anything else FAILED with the reason. */
    static TaskStatus exitStatus(Exit exit, Instance instance) {
        ContainerStatus cs = new ContainerStatus(
                exit.instanceId() != null ? exit.instanceId() : instance == null ? null : instance.id(),
                null, exit.exitCode(), exit.oomKilled() ? Boolean.TRUE : null);
        if (exit.oomKilled()) {
            return new TaskStatus(exit.finishedAt(), TaskState.FAILED, "failed", "OOM killed", cs);
        }
        if (exit.exitCode() == null) {
            return new TaskStatus(exit.finishedAt(), TaskState.FAILED, "failed",
                    exit.error() == null ? "task: exit code unknown" : exit.error(), cs);
        }
        if (exit.exitCode() == 0) {
            return new TaskStatus(exit.finishedAt(), TaskState.COMPLETE, "finished", null, cs);
        }
        return new TaskStatus(exit.finishedAt(), TaskState.FAILED, "failed", "task: non-zero exit (" + exit.exitCode() + ")", cs);
    }
}
