package dev.shoal.dataplane.agent;

import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.dataplane.executor.Controller;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.executor.Exit;
import dev.shoal.dataplane.executor.Instance;
import java.time.Duration;
import reactor.core.Disposable;

/**
 * What the agent knows of one task. Confined to the agent's loop thread: no field is read or
 * written anywhere else.
 */
final class TaskRecord {
    final TaskId id;
    /** The latest assignment; null for an instance adopted before the first assignment set. */
    Task task;
    Controller controller;
    /** True once {@link #controller} was made from the task (and so can prepare and start). */
    boolean controllerHasTask;
    /** The executor's last view of the instance; null when none is known to exist. */
    Instance instance;
    /** The last status this agent reported (or found true at adoption). */
    TaskStatus reported;
    /** An exit seen and not yet reported. */
    Exit pendingExit;
    /** In the latest assignment set. */
    boolean assigned;
    /** An executor operation is in flight; the task is reconciled again when it ends. */
    boolean busy;
    /** A stop is in flight: the exit it causes is the stop's, not a failure. */
    boolean stopping;
    /** Polls the instance's healthcheck while it runs; null when it has none or it stopped. */
    Disposable healthWatch;

    TaskRecord(TaskId id) {
        this.id = id;
    }

    /**
     * The furthest state known: ours, or the manager's when it is ahead (after a restart the
     * manager remembers what this agent reported before).
     */
    TaskState observed() {
        TaskState ours = reported == null ? TaskState.NEW : reported.state();
        TaskState theirs = task == null || task.status() == null || task.status().state() == null
                ? TaskState.NEW : task.status().state();
        return ours.compareTo(theirs) >= 0 ? ours : theirs;
    }

    Duration stopGracePeriod() {
        if (task != null && task.spec() != null && task.spec().containerSpec() != null) {
            return Duration.ofNanos(task.spec().containerSpec().stopGracePeriodOrDefault());
        }
        return instance != null ? instance.stopGracePeriod() : Executor.DEFAULT_STOP_GRACE_PERIOD;
    }

    boolean instanceRunning() {
        return instance != null && instance.isRunning();
    }

    @Override
    public String toString() {
        return "task " + id.shortForm() + " (" + observed() + (task == null ? "" : " -> " + task.desiredState()) + ")";
    }
}
