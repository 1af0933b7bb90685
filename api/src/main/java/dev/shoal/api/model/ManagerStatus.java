package dev.shoal.api.model;

/** A manager's place in the Raft group. {@code reachability} is reachable, unreachable or unknown. */
public record ManagerStatus(boolean leader, String reachability, String addr) {}
