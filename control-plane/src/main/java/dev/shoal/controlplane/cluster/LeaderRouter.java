package dev.shoal.controlplane.cluster;

import dev.shoal.api.client.RouteMetadata;
import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import io.netty.util.ReferenceCountUtil;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Any manager serves the API: the leader answers from its own routes, a follower forwards each
 * request, unchanged, to the leader's API over mutual TLS with its own manager certificate, so
 * writes land on the leader and reads see every acknowledged write. Routes in {@code localRoutes}
 * (certificate renewal, the dispatcher, which redirects by itself) are always served here.
 *
 * <p>With no known leader (an election under way, or quorum lost) a forwarded request fails at
 * once with UNAVAILABLE saying so; nothing is queued.
 */
public final class LeaderRouter implements RSocket {
    private final RSocket local;
    private final Set<String> localRoutes;
    private final BooleanSupplier isLeader;
    private final Supplier<Optional<String>> leaderAddress;
    private final Function<String, Mono<RSocket>> dial;

    /**
     * @param local         this manager's own route table
     * @param localRoutes   routes never forwarded
     * @param isLeader      whether this manager leads now
     * @param leaderAddress the leader's API address ({@code host:2377}), empty when unknown
     * @param dial          a (cached) mutual-TLS connection to a manager's API
     */
    public LeaderRouter(RSocket local, Set<String> localRoutes, BooleanSupplier isLeader,
                        Supplier<Optional<String>> leaderAddress, Function<String, Mono<RSocket>> dial) {
        this.local = local;
        this.localRoutes = Set.copyOf(localRoutes);
        this.isLeader = isLeader;
        this.leaderAddress = leaderAddress;
        this.dial = dial;
    }

    private boolean servedHere(Payload p) {
        if (isLeader.getAsBoolean()) {
            return true;
        }
        try {
            String route = RouteMetadata.decode(p.sliceMetadata());
            return route == null || localRoutes.contains(route);
        } catch (RuntimeException e) {
            return true; // the local table answers a malformed request with its own error
        }
    }

    private Mono<RSocket> leader() {
        return Mono.defer(() -> {
            Optional<String> addr = leaderAddress.get();
            if (addr.isEmpty()) {
                return Mono.error(noLeader());
            }
            return dial.apply(addr.get()).onErrorMap(e -> !(e instanceof ApplicationErrorException),
                    e -> wire(new ApiException(ErrorCode.UNAVAILABLE, "cannot reach the leader at " + addr.get() + ": " + e.getMessage())));
        });
    }

    /** UNAVAILABLE: no leader is known. */
    public static ApplicationErrorException noLeader() {
        return wire(new ApiException(ErrorCode.UNAVAILABLE,
                "the swarm has no leader: an election is under way, or a majority of the managers is unreachable (quorum lost)"));
    }

    private static ApplicationErrorException wire(ApiException e) {
        return new ApplicationErrorException(Json.encodeError(e));
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        if (servedHere(payload)) {
            return local.requestResponse(payload);
        }
        return leader().doOnError(e -> ReferenceCountUtil.safeRelease(payload)).flatMap(rs -> rs.requestResponse(payload));
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        if (servedHere(payload)) {
            return local.requestStream(payload);
        }
        return leader().doOnError(e -> ReferenceCountUtil.safeRelease(payload)).flatMapMany(rs -> rs.requestStream(payload));
    }

    @Override
    public Flux<Payload> requestChannel(Publisher<Payload> payloads) {
        return Flux.from(payloads).switchOnFirst((first, all) -> {
            if (!first.hasValue()) {
                return Flux.empty();
            }
            if (servedHere(first.get())) {
                return local.requestChannel(all);
            }
            return leader().flatMapMany(rs -> rs.requestChannel(all));
        }, false);
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        return local.fireAndForget(payload);
    }
}
