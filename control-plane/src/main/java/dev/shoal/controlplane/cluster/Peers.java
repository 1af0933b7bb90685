package dev.shoal.controlplane.cluster;

import dev.shoal.ca.NodeIdentity;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The caller's identity as {@link PeerAccess} put it in the Reactor context of a request: present
 * for a peer on TCP 2377 with a certificate, empty for a caller on the control socket or without one.
 */
public final class Peers {
    private Peers() {}

    public static Mono<Optional<NodeIdentity>> current() {
        return Mono.deferContextual(ctx -> {
            Object peer = ctx.getOrDefault(NodeIdentity.class, null);
            return Mono.just(peer instanceof NodeIdentity id ? Optional.of(id) : Optional.<NodeIdentity>empty());
        });
    }
}
