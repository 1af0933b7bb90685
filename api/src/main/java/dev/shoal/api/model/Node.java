package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.id.NodeId;
import java.time.Instant;

/** A node of the swarm as the store keeps it. */
public record Node(
        @JsonProperty("ID") NodeId id,
        Version version,
        Instant createdAt,
        Instant updatedAt,
        NodeSpec spec,
        NodeDescription description,
        NodeStatus status,
        ManagerStatus managerStatus) {

    public Node withStatus(NodeStatus s, Instant now) {
        return new Node(id, version, createdAt, now, spec, description, s, managerStatus);
    }

    public Node withDescription(NodeDescription d, Instant now) {
        return new Node(id, version, createdAt, now, spec, d, status, managerStatus);
    }

    public Node withVersion(Version v) {
        return new Node(id, v, createdAt, updatedAt, spec, description, status, managerStatus);
    }

    /** Not a field: kept out of the JSON, which refuses unknown fields on the way back in. */
    @JsonIgnore
    public boolean isReady() {
        return status != null && status.state() == NodeStatus.State.READY;
    }
}
