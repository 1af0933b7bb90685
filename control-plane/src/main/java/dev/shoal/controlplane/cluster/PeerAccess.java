package dev.shoal.controlplane.cluster;

import dev.shoal.api.Routes;
import dev.shoal.api.client.RouteMetadata;
import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.ca.NodeIdentity;
import dev.shoal.ca.Role;
import io.netty.util.ReferenceCountUtil;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a peer on TCP 2377 may call, from its certificate: nothing but {@code node.join} without
 * one, the dispatcher and renewal with a worker's, every cluster route with a manager's; the
 * daemon-local routes ({@link Routes#DAEMON_ROUTES}) never. A refused request is
 * PERMISSION_DENIED naming the route and the role, and reaches no handler.
 */
public final class PeerAccess implements RSocket {
    private final NodeIdentity peer;
    private final RSocket target;

    private PeerAccess(NodeIdentity peer, RSocket target) {
        this.peer = peer;
        this.target = target;
    }

    /** {@code target}'s routes as {@code peer} (null: no certificate) may use them. */
    public static RSocket of(NodeIdentity peer, RSocket target) {
        return new PeerAccess(peer, target);
    }

    /** The identity a handler sees: who called, from the certificate. */
    public NodeIdentity peer() {
        return peer;
    }

    private ApplicationErrorException refusal(Payload payload) {
        String route;
        try {
            route = RouteMetadata.decode(payload.sliceMetadata());
        } catch (RuntimeException e) {
            route = null;
        }
        if (route == null) {
            return wire(new ApiException(ErrorCode.UNIMPLEMENTED, "the request names no route"));
        }
        if (Routes.DAEMON_ROUTES.contains(route)) {
            return wire(new ApiException(ErrorCode.PERMISSION_DENIED, "route " + route + " is served on a node's own control socket only"));
        }
        if (peer == null) {
            return Routes.ANONYMOUS_ROUTES.contains(route) ? null
                    : wire(new ApiException(ErrorCode.PERMISSION_DENIED, "route " + route + " needs a client certificate of this swarm"));
        }
        if (peer.role() == Role.WORKER && !Routes.WORKER_ROUTES.contains(route)) {
            return wire(new ApiException(ErrorCode.PERMISSION_DENIED,
                    "route " + route + " needs a manager's certificate; node " + peer.nodeId() + " is a worker"));
        }
        return null;
    }

    private static ApplicationErrorException wire(ApiException e) {
        return new ApplicationErrorException(Json.encodeError(e));
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        ApplicationErrorException refused = refusal(payload);
        if (refused != null) {
            ReferenceCountUtil.safeRelease(payload);
            return Mono.error(refused);
        }
        return target.requestResponse(payload).contextWrite(c -> c.put(NodeIdentity.class, peerOrNone()));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        ApplicationErrorException refused = refusal(payload);
        if (refused != null) {
            ReferenceCountUtil.safeRelease(payload);
            return Flux.error(refused);
        }
        return target.requestStream(payload).contextWrite(c -> c.put(NodeIdentity.class, peerOrNone()));
    }

    @Override
    public Flux<Payload> requestChannel(Publisher<Payload> payloads) {
        return Flux.from(payloads).switchOnFirst((first, all) -> {
            if (!first.hasValue()) {
                return Flux.empty();
            }
            ApplicationErrorException refused = refusal(first.get());
            if (refused != null) {
                ReferenceCountUtil.safeRelease(first.get());
                return Flux.error(refused);
            }
            return target.requestChannel(all).contextWrite(c -> c.put(NodeIdentity.class, peerOrNone()));
        }, false);
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        ReferenceCountUtil.safeRelease(payload);
        return Mono.error(wire(new ApiException(ErrorCode.UNIMPLEMENTED, "fire-and-forget is not part of the API")));
    }

    private Object peerOrNone() {
        return peer == null ? NodeIdentity.class : peer;
    }
}
