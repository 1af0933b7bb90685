package dev.shoal.api.message;

import dev.shoal.api.model.SwarmSpec;

/**
 * Body of {@code swarm.init}.
 *
 * @param listenAddr    where managers listen for other nodes (default 0.0.0.0:2377)
 * @param advertiseAddr the address other nodes use to reach this manager
 * @param spec          cluster settings; Docker's defaults when null
 */
public record SwarmInitRequest(String listenAddr, String advertiseAddr, SwarmSpec spec) {}
