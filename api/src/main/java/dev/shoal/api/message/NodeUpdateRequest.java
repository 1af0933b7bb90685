package dev.shoal.api.message;

import dev.shoal.api.model.NodeSpec;

/** Body of {@code node.update}: a node's new spec, checked against {@code version} (Docker's {@code ?version=}). */
public record NodeUpdateRequest(String id, long version, NodeSpec spec) {}
