package dev.shoal.dataplane.executor;

import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A task's container or process as the executor sees it at one moment.
 *
 * @param taskId          the task it runs
 * @param name            {@code <service>.<slot>.<task id>}
 * @param id              Docker container id, or {@code pid:<n>} for a started process (null for a
 *                        process that was prepared but not started)
 * @param state           created, running or exited
 * @param pid             host process id while running, else 0
 * @param startedAt       when it started, or null
 * @param stopGracePeriod the grace period its task asked for, so that an instance adopted without
 *                        its task is still stopped gently
 * @param exit            how it ended, when {@code state} is {@link State#EXITED}
 * @param health          its healthcheck's verdict; {@link Health#NONE} when it has no healthcheck
 * @param healthOutput    the output of the last check, or null
 */
public record Instance(
        TaskId taskId,
        String name,
        String id,
        State state,
        long pid,
        Instant startedAt,
        Duration stopGracePeriod,
        Exit exit,
        Health health,
        String healthOutput) {

    /** Docker's health states, and none for an instance without a healthcheck. */
    public enum Health { NONE, STARTING, HEALTHY, UNHEALTHY }

    public Instance(TaskId taskId, String name, String id, State state, long pid, Instant startedAt, Duration stopGracePeriod, Exit exit) {
        this(taskId, name, id, state, pid, startedAt, stopGracePeriod, exit, Health.NONE, null);
    }

    /** Docker's container states, folded to the three that matter to a task. */
    public enum State { CREATED, RUNNING, EXITED }

    public Instance {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
        health = health == null ? Health.NONE : health;
        if (state == State.EXITED) {
            Objects.requireNonNull(exit, "exit of an exited instance");
        }
    }

    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** This instance after {@code e}. */
    public Instance exited(Exit e) {
        return new Instance(taskId, name, id, State.EXITED, 0, startedAt, stopGracePeriod, e, health, healthOutput);
    }

    /** This instance with its healthcheck's verdict. */
    public Instance withHealth(Health h, String output) {
        return new Instance(taskId, name, id, state, pid, startedAt, stopGracePeriod, exit, h, output);
    }

    /** The executor's view as a task status carries it. */
    public ContainerStatus containerStatus() {
        return new ContainerStatus(
                id,
                pid > 0 ? pid : null,
                exit == null ? null : exit.exitCode(),
                exit == null || !exit.oomKilled() ? null : Boolean.TRUE);
    }
}
