package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The swarm itself: its id and spec. Exactly one exists once {@code swarm init} has run. */
public record Swarm(@JsonProperty("ID") String id, Version version, Instant createdAt, Instant updatedAt, SwarmSpec spec) {
    public Swarm withVersion(Version v) {
        return new Swarm(id, v, createdAt, updatedAt, spec);
    }
}
