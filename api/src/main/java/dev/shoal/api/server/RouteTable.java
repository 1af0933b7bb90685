package dev.shoal.api.server;

import dev.shoal.api.Routes;
import dev.shoal.api.client.RouteMetadata;
import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.util.ByteBufPayload;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An immutable table of route handlers, served as one {@link RSocket}.
 *
 * <p>For every request it: reads the route from the composite metadata (UNIMPLEMENTED when it is
 * missing or unknown and there is no fallback), refuses data over {@link Routes#MAX_REQUEST_BYTES}
 * (RESOURCE_EXHAUSTED), decodes the JSON body into the handler's request type (INVALID_ARGUMENT
 * naming the field), runs the handler and encodes its result. Any {@link ApiException} becomes an
 * APPLICATION_ERROR whose message is the JSON error body; any other exception becomes INTERNAL and
 * is logged. Handlers run on the thread that delivers the request and must not block.
 */
public final class RouteTable implements RSocket {
    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

    private final Map<String, Function<Payload, Mono<Payload>>> responders;
    private final Map<String, Function<Payload, Flux<Payload>>> streams;
    private final Map<String, Function<Flux<Payload>, Flux<Payload>>> channels;
    private final Supplier<RSocket> fallback;

    private RouteTable(Builder b) {
        this.responders = Map.copyOf(b.responders);
        this.streams = Map.copyOf(b.streams);
        this.channels = Map.copyOf(b.channels);
        this.fallback = b.fallback;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        try {
            String route = route(payload);
            Function<Payload, Mono<Payload>> h = responders.get(route);
            if (h == null) {
                RSocket next = fallbackFor(route, payload);
                return next.requestResponse(payload);
            }
            checkSize(payload);
            return Mono.defer(() -> h.apply(payload)).onErrorMap(e -> toWire(route, e));
        } catch (RuntimeException e) {
            payload.release();
            return Mono.error(toWire("?", e));
        }
    }

    @Override
    public Flux<Payload> requestStream(Payload payload) {
        try {
            String route = route(payload);
            Function<Payload, Flux<Payload>> h = streams.get(route);
            if (h == null) {
                RSocket next = fallbackFor(route, payload);
                return next.requestStream(payload);
            }
            checkSize(payload);
            return Flux.defer(() -> h.apply(payload)).onErrorMap(e -> toWire(route, e));
        } catch (RuntimeException e) {
            payload.release();
            return Flux.error(toWire("?", e));
        }
    }

    @Override
    public Flux<Payload> requestChannel(Publisher<Payload> payloads) {
        return Flux.from(payloads).switchOnFirst((signal, all) -> {
            Payload first = signal.get();
            if (first == null) {
                return all;
            }
            try {
                String route = route(first);
                Function<Flux<Payload>, Flux<Payload>> h = channels.get(route);
                if (h == null) {
                    return fallbackFor(route, first).requestChannel(all);
                }
                return h.apply(all).onErrorMap(e -> toWire(route, e));
            } catch (RuntimeException e) {
                return Flux.error(toWire("?", e));
            }
        });
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        payload.release();
        return Mono.error(toWire("?", new ApiException(ErrorCode.UNIMPLEMENTED, "fire-and-forget is not used by the Shoal API")));
    }

    private RSocket fallbackFor(String route, Payload payload) {
        RSocket next = fallback == null ? null : fallback.get();
        if (next == null) {
            if (fallback != null) {
                throw new ApiException(ErrorCode.FAILED_PRECONDITION,
                        "route " + route + " needs a swarm: this node is not part of a swarm (run `shoal swarm init` first)");
            }
            throw new ApiException(ErrorCode.UNIMPLEMENTED, "unknown route: " + route + " (see the route list in dev.shoal.api.Routes)");
        }
        return next;
    }

    private static String route(Payload payload) {
        String route;
        try {
            route = payload.hasMetadata() ? RouteMetadata.decode(payload.sliceMetadata()) : null;
        } catch (RuntimeException e) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "malformed metadata: expected composite metadata with a routing entry: " + e.getMessage());
        }
        if (route == null || route.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, "missing route: the request's composite metadata has no message/x.rsocket.routing.v0 entry");
        }
        return route;
    }

    private static void checkSize(Payload payload) {
        int size = payload.data().readableBytes();
        if (size > Routes.MAX_REQUEST_BYTES) {
            throw new ApiException(ErrorCode.RESOURCE_EXHAUSTED,
                    "request too large: " + size + " bytes of data, the limit is " + Routes.MAX_REQUEST_BYTES);
        }
    }

    private static Throwable toWire(String route, Throwable e) {
        if (e instanceof ApplicationErrorException) {
            return e;
        }
        ApiException api;
        if (e instanceof ApiException a) {
            api = a;
        } else {
            log.error("route {} failed unexpectedly", route, e);
            api = new ApiException(ErrorCode.INTERNAL, "internal error in " + route + ": " + e);
        }
        return new ApplicationErrorException(Json.encodeError(api));
    }

    /** Decodes a request body; an empty body decodes as {@code {}}. Releases the payload. */
    public static <T> T decode(Payload payload, Class<T> type) {
        try {
            ByteBuf data = payload.sliceData();
            byte[] bytes = new byte[data.readableBytes()];
            data.readBytes(bytes);
            if (bytes.length == 0) {
                bytes = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            return Json.read(bytes, type);
        } finally {
            payload.release();
        }
    }

    /** Encodes a response body. */
    public static Payload encode(Object body) {
        return ByteBufPayload.create(Json.write(body == null ? Map.of() : body));
    }

    /** Collects handlers; not thread-safe, build once. */
    public static final class Builder {
        private final Map<String, Function<Payload, Mono<Payload>>> responders = new HashMap<>();
        private final Map<String, Function<Payload, Flux<Payload>>> streams = new HashMap<>();
        private final Map<String, Function<Flux<Payload>, Flux<Payload>>> channels = new HashMap<>();
        private Supplier<RSocket> fallback;

        private Builder() {}

        /** A request-response route: decodes {@code type}, encodes whatever the handler emits. */
        public <T> Builder requestResponse(String route, Class<T> type, Function<T, Mono<?>> handler) {
            responders.put(route, p -> {
                T request = decode(p, type);
                return handler.apply(request).map(RouteTable::encode).defaultIfEmpty(encode(null));
            });
            return this;
        }

        /** A request-stream route. */
        public <T> Builder requestStream(String route, Class<T> type, Function<T, Flux<?>> handler) {
            streams.put(route, p -> {
                T request = decode(p, type);
                return handler.apply(request).map(RouteTable::encode);
            });
            return this;
        }

        /** A request-channel route on raw payloads (the handler decodes and releases them). */
        public Builder requestChannel(String route, Function<Flux<Payload>, Flux<Payload>> handler) {
            channels.put(route, handler);
            return this;
        }

        /**
         * Where routes not in this table go. The supplier may return null (no such table right now,
         * e.g. a node not in a swarm): the request then fails with FAILED_PRECONDITION.
         */
        public Builder fallback(Supplier<RSocket> next) {
            this.fallback = next;
            return this;
        }

        public RouteTable build() {
            return new RouteTable(this);
        }
    }
}
