package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A manager as other nodes reach it.
 *
 * @param addr     its API and dispatcher address, {@code host:2377}
 * @param raftAddr its Raft address, {@code host:2378}; null when not known
 */
public record ManagerAddress(@JsonProperty("NodeID") String nodeId, String addr, String raftAddr) {}
