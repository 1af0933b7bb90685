package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;

/** What an operator declares about a node: labels, role, availability. */
public record NodeSpec(String name, Map<String, String> labels, Role role, Availability availability) {
    public NodeSpec {
        labels = labels == null ? null : Map.copyOf(labels);
    }

    public enum Role {
        WORKER, MANAGER;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Role fromWire(String s) {
            return switch (s) {
                case "worker" -> WORKER;
                case "manager" -> MANAGER;
                default -> throw new IllegalArgumentException("invalid role: " + s + ": must be worker or manager");
            };
        }
    }

    public enum Availability {
        ACTIVE, PAUSE, DRAIN;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Availability fromWire(String s) {
            return switch (s) {
                case "active" -> ACTIVE;
                case "pause" -> PAUSE;
                case "drain" -> DRAIN;
                default -> throw new IllegalArgumentException("invalid availability: " + s + ": must be active, pause or drain");
            };
        }
    }
}
