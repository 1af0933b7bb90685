package dev.shoal.api.message;

import dev.shoal.api.model.SwarmSpec;

/**
 * Body of {@code swarm.update}.
 *
 * @param version             the swarm's version the caller read
 * @param spec                the new spec; null keeps the current one
 * @param rotateWorkerToken   issue a new worker token; the old one is refused at once
 * @param rotateManagerToken  issue a new manager token; the old one is refused at once
 * @param rotateCa            a new root CA; every node moves to it and the old tokens stop working
 */
public record SwarmUpdateRequest(long version, SwarmSpec spec, boolean rotateWorkerToken, boolean rotateManagerToken, boolean rotateCa) {}
