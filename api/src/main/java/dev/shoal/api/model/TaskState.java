package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Task states in Docker's order. Observed state only moves forward: a report of an earlier state
 * than the one recorded is ignored. Serialized lower-case, as Docker does ({@code "running"}).
 */
public enum TaskState {
    NEW, PENDING, ASSIGNED, ACCEPTED, PREPARING, READY, STARTING, RUNNING,
    COMPLETE, SHUTDOWN, FAILED, REJECTED, REMOVE, ORPHANED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TaskState fromWire(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown task state: " + s);
        }
    }

    /** True for COMPLETE and every state after it: the task will not run (again). */
    public boolean isTerminal() {
        return compareTo(COMPLETE) >= 0;
    }

    /** True once the task's container or process may exist on a node (ASSIGNED up to RUNNING). */
    public boolean isActive() {
        return compareTo(ASSIGNED) >= 0 && compareTo(RUNNING) <= 0;
    }

    public boolean isBefore(TaskState other) {
        return compareTo(other) < 0;
    }
}
