package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import java.time.Instant;

/**
 * One instance of a service in one slot. Desired state (what the orchestrator wants) is kept apart
 * from the observed {@link TaskStatus} (what the node reports); both only move forward.
 *
 * @param serviceName copied from the service so that a node can name the container
 *                    {@code <service>.<slot>.<task id>} without reading the service
 * @param nodeId      null until the scheduler assigns the task
 */
public record Task(
        @JsonProperty("ID") TaskId id,
        Version version,
        Instant createdAt,
        Instant updatedAt,
        @JsonProperty("ServiceID") ServiceId serviceId,
        String serviceName,
        long slot,
        @JsonProperty("NodeID") NodeId nodeId,
        TaskSpec spec,
        Version serviceVersion,
        TaskStatus status,
        TaskState desiredState) {

    /** The container name, Docker's {@code <service>.<slot>.<task id>}. */
    public String containerName() {
        return serviceName + "." + slot + "." + id.value();
    }

    public Task withStatus(TaskStatus s, Instant now) {
        return new Task(id, version, createdAt, now, serviceId, serviceName, slot, nodeId, spec, serviceVersion, s, desiredState);
    }

    public Task withDesiredState(TaskState d, Instant now) {
        return new Task(id, version, createdAt, now, serviceId, serviceName, slot, nodeId, spec, serviceVersion, status, d);
    }

    public Task withNode(NodeId n, TaskStatus s, Instant now) {
        return new Task(id, version, createdAt, now, serviceId, serviceName, slot, n, spec, serviceVersion, s, desiredState);
    }

    public Task withVersion(Version v) {
        return new Task(id, v, createdAt, updatedAt, serviceId, serviceName, slot, nodeId, spec, serviceVersion, status, desiredState);
    }

    public TaskState state() {
        return status.state();
    }
}
