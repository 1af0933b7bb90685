package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A committed change, as the {@code events} route streams it (the shape of Docker's events).
 *
 * @param type     swarm, node, service or task
 * @param action   create, update or remove
 * @param actor    the object's id and a few attributes (name, state)
 * @param index    the store index of the commit
 * @param timeNano commit time in nanoseconds since the epoch
 */
public record Event(String type, String action, Actor actor, long index, long timeNano) {
    public record Actor(@JsonProperty("ID") String id, Map<String, String> attributes) {}
}
