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
 * @param slot        1..replicas for replicated services and replicated jobs; 0 for the global
 *                    modes, whose tasks are known by their node
 * @param nodeId      null until the scheduler assigns the task (set at creation for the global modes)
 * @param jobIteration for job services, the run of the job this task belongs to
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
        TaskState desiredState,
        Version jobIteration) {

    public Task(TaskId id, Version version, Instant createdAt, Instant updatedAt, ServiceId serviceId, String serviceName,
                long slot, NodeId nodeId, TaskSpec spec, Version serviceVersion, TaskStatus status, TaskState desiredState) {
        this(id, version, createdAt, updatedAt, serviceId, serviceName, slot, nodeId, spec, serviceVersion, status, desiredState, null);
    }

    /**
     * The container name, Docker's {@code <service>.<slot>.<task id>}, or
     * {@code <service>.<node id>.<task id>} for a task of a global service (slot 0).
     */
    public String containerName() {
        return serviceName + "." + (slot == 0 && nodeId != null ? nodeId.value() : Long.toString(slot)) + "." + id.value();
    }

    public Task withStatus(TaskStatus s, Instant now) {
        return new Task(id, version, createdAt, now, serviceId, serviceName, slot, nodeId, spec, serviceVersion, s, desiredState, jobIteration);
    }

    public Task withDesiredState(TaskState d, Instant now) {
        return new Task(id, version, createdAt, now, serviceId, serviceName, slot, nodeId, spec, serviceVersion, status, d, jobIteration);
    }

    public Task withNode(NodeId n, TaskStatus s, Instant now) {
        return new Task(id, version, createdAt, now, serviceId, serviceName, slot, n, spec, serviceVersion, s, desiredState, jobIteration);
    }

    public Task withVersion(Version v) {
        return new Task(id, v, createdAt, updatedAt, serviceId, serviceName, slot, nodeId, spec, serviceVersion, status, desiredState, jobIteration);
    }

    public Task withJobIteration(Version iteration) {
        return new Task(id, version, createdAt, updatedAt, serviceId, serviceName, slot, nodeId, spec, serviceVersion, status, desiredState, iteration);
    }

    public TaskState state() {
        return status.state();
    }
}
