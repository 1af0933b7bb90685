package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.id.ServiceId;
import java.time.Instant;

/** A service as the store keeps it. {@code previousSpec} is the spec before the last update. */
public record Service(
        @JsonProperty("ID") ServiceId id,
        Version version,
        Instant createdAt,
        Instant updatedAt,
        ServiceSpec spec,
        ServiceSpec previousSpec) {

    public Service withSpec(ServiceSpec newSpec, Instant now) {
        return new Service(id, version, createdAt, now, newSpec, spec);
    }

    public Service withVersion(Version v) {
        return new Service(id, v, createdAt, updatedAt, spec, previousSpec);
    }
}
