package dev.shoal.controlplane.store;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Task;

/** The kinds of object the store keeps, with the record type of each. */
public enum Kind {
    SWARM(Swarm.class), NODE(Node.class), SERVICE(Service.class), TASK(Task.class);

    private final Class<?> type;

    Kind(Class<?> type) {
        this.type = type;
    }

    public Class<?> type() {
        return type;
    }

    /** The kind of a stored record. */
    public static Kind of(Object value) {
        return switch (value) {
            case Swarm s -> SWARM;
            case Node n -> NODE;
            case Service s -> SERVICE;
            case Task t -> TASK;
            default -> throw new IllegalArgumentException("not a stored kind: " + value.getClass().getName());
        };
    }

    /** The id of a stored record, as a string. */
    public static String idOf(Object value) {
        return switch (value) {
            case Swarm s -> s.id();
            case Node n -> n.id().value();
            case Service s -> s.id().value();
            case Task t -> t.id().value();
            default -> throw new IllegalArgumentException("not a stored kind: " + value.getClass().getName());
        };
    }

    /** The version of a stored record. */
    public static dev.shoal.api.model.Version versionOf(Object value) {
        return switch (value) {
            case Swarm s -> s.version();
            case Node n -> n.version();
            case Service s -> s.version();
            case Task t -> t.version();
            default -> throw new IllegalArgumentException("not a stored kind: " + value.getClass().getName());
        };
    }

    /** The record with its version replaced. */
    @SuppressWarnings("unchecked")
    public static <T> T withVersion(T value, dev.shoal.api.model.Version v) {
        return (T) switch (value) {
            case Swarm s -> s.withVersion(v);
            case Node n -> n.withVersion(v);
            case Service s -> s.withVersion(v);
            case Task t -> t.withVersion(v);
            default -> throw new IllegalArgumentException("not a stored kind: " + value.getClass().getName());
        };
    }
}
