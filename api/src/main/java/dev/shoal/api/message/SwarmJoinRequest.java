package dev.shoal.api.message;

import java.util.List;

/**
 * Body of {@code swarm.join} (served by the daemon itself): join the swarm a manager belongs to.
 *
 * @param remoteAddrs   managers to dial, {@code host:port} (port 2377 when omitted); at least one
 * @param joinToken     the worker or manager token; it decides the role
 * @param listenAddr    where this node listens if it becomes a manager (default 0.0.0.0:2377)
 * @param advertiseAddr the address other nodes use for this node
 */
public record SwarmJoinRequest(List<String> remoteAddrs, String joinToken, String listenAddr, String advertiseAddr) {}
