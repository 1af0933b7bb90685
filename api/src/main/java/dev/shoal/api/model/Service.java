package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.id.ServiceId;
import java.time.Instant;

/**
 * A service as the store keeps it.
 *
 * @param previousSpec the spec before the last update; {@code service rollback} returns to it
 * @param updateStatus where the last update or rollback stands (null before the first update)
 * @param jobStatus    for job services: the current run
 * @param rebalanced   the {@link ServiceSpec#rebalance()} counter the orchestrator last finished
 *                     spreading for
 */
public record Service(
        @JsonProperty("ID") ServiceId id,
        Version version,
        Instant createdAt,
        Instant updatedAt,
        ServiceSpec spec,
        ServiceSpec previousSpec,
        UpdateStatus updateStatus,
        JobStatus jobStatus,
        Long rebalanced) {

    public Service(ServiceId id, Version version, Instant createdAt, Instant updatedAt, ServiceSpec spec, ServiceSpec previousSpec) {
        this(id, version, createdAt, updatedAt, spec, previousSpec, null, null, null);
    }

    /** An update by a user: {@code newSpec} replaces the spec, which becomes the previous one. */
    public Service withSpec(ServiceSpec newSpec, Instant now) {
        return new Service(id, version, createdAt, now, newSpec, spec, updateStatus, jobStatus, rebalanced);
    }

    /**
     * A rollback: the previous spec becomes the spec and the current one the previous (so a second
     * rollback returns to it, as in Docker), with {@code status}.
     */
    public Service rolledBack(UpdateStatus status, Instant now) {
        return new Service(id, version, createdAt, now, previousSpec, spec, status, jobStatus, rebalanced);
    }

    public Service withUpdateStatus(UpdateStatus s) {
        return new Service(id, version, createdAt, updatedAt, spec, previousSpec, s, jobStatus, rebalanced);
    }

    public Service withJobStatus(JobStatus j) {
        return new Service(id, version, createdAt, updatedAt, spec, previousSpec, updateStatus, j, rebalanced);
    }

    public Service withRebalanced(Long r) {
        return new Service(id, version, createdAt, updatedAt, spec, previousSpec, updateStatus, jobStatus, r);
    }

    public Service withVersion(Version v) {
        return new Service(id, v, createdAt, updatedAt, spec, previousSpec, updateStatus, jobStatus, rebalanced);
    }
}
