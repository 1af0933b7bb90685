package dev.shoal.api.message;

/**
 * Body of {@code raft.join}: a manager (by its certificate) asks the leader to add it to the Raft
 * group at {@code raftAddr}. Its Raft member must already be running.
 */
public record RaftJoinRequest(String raftAddr) {}
