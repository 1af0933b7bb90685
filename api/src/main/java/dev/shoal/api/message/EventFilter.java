package dev.shoal.api.message;

import java.util.List;

/** Body of {@code events}: the object types to stream (swarm, node, service, task); all when empty. */
public record EventFilter(List<String> types) {
    public static final EventFilter ALL = new EventFilter(null);
}
