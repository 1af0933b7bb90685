package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/**
 * Where the last update or rollback of a service stands, Docker's {@code UpdateStatus}. Written by
 * the updater; shown by {@code service inspect} and followed by the CLI's progress display.
 *
 * @param state       updating, paused, completed, rollback_started, rollback_paused, rollback_completed
 * @param startedAt   when the update (or rollback) started
 * @param completedAt when it completed; null while it runs or is paused
 * @param message     a sentence for people, e.g. "update paused due to failure or early termination
 *                    of task 3xk…"
 */
public record UpdateStatus(State state, Instant startedAt, Instant completedAt, String message) {
    public enum State {
        UPDATING, PAUSED, COMPLETED, ROLLBACK_STARTED, ROLLBACK_PAUSED, ROLLBACK_COMPLETED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static State fromWire(String s) {
            for (State st : values()) {
                if (st.wireName().equals(s)) {
                    return st;
                }
            }
            throw new IllegalArgumentException("invalid update state: " + s);
        }

        /** True for the states of a rollback. */
        public boolean isRollback() {
            return this == ROLLBACK_STARTED || this == ROLLBACK_PAUSED || this == ROLLBACK_COMPLETED;
        }

        /** True while tasks are being replaced (updating or rolling back). */
        public boolean isInProgress() {
            return this == UPDATING || this == ROLLBACK_STARTED;
        }

        /** True when the updater stopped and waits for a person. */
        public boolean isPaused() {
            return this == PAUSED || this == ROLLBACK_PAUSED;
        }
    }
}
