package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Response of {@code system.info}: what this daemon is.
 *
 * @param localNodeState   "inactive" before init or join, "active" in a swarm
 * @param controlAvailable true when this node is a manager
 * @param executor         "docker" or "process"
 */
public record SystemInfo(
        @JsonProperty("NodeID") String nodeId,
        String localNodeState,
        boolean controlAvailable,
        @JsonProperty("SwarmID") String swarmId,
        int managers,
        int nodes,
        String executor,
        String version) {}
