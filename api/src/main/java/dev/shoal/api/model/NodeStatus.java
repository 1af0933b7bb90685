package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A node's observed state, kept by the dispatcher from the agent's session and heartbeats. */
public record NodeStatus(State state, String message, String addr) {
    public enum State {
        UNKNOWN, DOWN, READY, DISCONNECTED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static State fromWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }
}
