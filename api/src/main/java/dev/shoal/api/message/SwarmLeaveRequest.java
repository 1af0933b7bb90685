package dev.shoal.api.message;

/** Body of {@code swarm.leave}. A manager leaves only with {@code force}. */
public record SwarmLeaveRequest(boolean force) {}
