package dev.shoal.api.message;

/** Body of {@code node.remove}: remove a node; {@code force} removes one that is not down, or a manager. */
public record NodeRemoveRequest(String id, boolean force) {}
