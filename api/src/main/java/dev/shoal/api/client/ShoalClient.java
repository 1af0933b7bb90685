package dev.shoal.api.client;

import dev.shoal.api.Routes;
import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.EventFilter;
import dev.shoal.api.message.ObjectRef;
import dev.shoal.api.message.ServiceCreateResponse;
import dev.shoal.api.message.ServiceRollbackRequest;
import dev.shoal.api.message.ServiceUpdateRequest;
import dev.shoal.api.message.SwarmInitRequest;
import dev.shoal.api.message.SwarmLeaveRequest;
import dev.shoal.api.message.SystemInfo;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.Event;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.Version;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.transport.ClientTransport;
import io.rsocket.util.ByteBufPayload;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Java client of the Shoal API, over any RSocket transport (the daemon's unix socket, TCP,
 * or in-process). Every call is lazy and maps RSocket application errors back to
 * {@link ApiException}. Thread-safe; close it to release the connection.
 */
public final class ShoalClient implements AutoCloseable {
    private final RSocket rsocket;
    private final EventLoopGroup ownedGroup;

    private ShoalClient(RSocket rsocket, EventLoopGroup ownedGroup) {
        this.rsocket = rsocket;
        this.ownedGroup = ownedGroup;
    }

    /** Wraps an RSocket that was set up with {@link #connector()}. */
    public static ShoalClient of(RSocket rsocket) {
        return new ShoalClient(rsocket, null);
    }

    /** A connector with the MIME types the API expects. */
    public static RSocketConnector connector() {
        return RSocketConnector.create()
                .metadataMimeType(Routes.METADATA_MIME_TYPE)
                .dataMimeType(Routes.DATA_MIME_TYPE)
                .payloadDecoder(io.rsocket.frame.decoder.PayloadDecoder.ZERO_COPY);
    }

    /**
     * Connects to a daemon at {@code host} ({@code unix:///path} or {@code tcp://host:port}).
     *
     * @throws ApiException UNAVAILABLE naming the address when nothing answers there
     */
    public static ShoalClient connectNow(String host, Duration timeout) {
        EventLoopGroup group = Transports.newClientGroup("shoal-client");
        try {
            ClientTransport transport = Transports.forHost(host, group);
            RSocket socket = connector().connect(transport).block(timeout);
            return new ShoalClient(socket, group);
        } catch (IllegalArgumentException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            throw new ApiException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            throw new ApiException(ErrorCode.UNAVAILABLE, "cannot connect to the Shoal daemon at " + host
                    + ": " + rootMessage(e) + " (is `shoal daemon` running?)");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    // ---- generic calls ------------------------------------------------------------------------

    /** Request-response on {@code route} with a JSON body. */
    public <T> Mono<T> call(String route, Object body, Class<T> responseType) {
        return Mono.defer(() -> rsocket.requestResponse(payload(route, body)))
                .map(p -> decode(p, responseType))
                .onErrorMap(ShoalClient::mapError);
    }

    /** Request-stream on {@code route} with a JSON body. */
    public <T> Flux<T> stream(String route, Object body, Class<T> elementType) {
        return Flux.defer(() -> rsocket.requestStream(payload(route, body)))
                .map(p -> decode(p, elementType))
                .onErrorMap(ShoalClient::mapError);
    }

    /** Request-response with raw bytes, for tests of malformed input. */
    public Mono<String> callRaw(String route, byte[] data) {
        return Mono.defer(() -> rsocket.requestResponse(rawPayload(route, data)))
                .map(p -> {
                    try {
                        return p.getDataUtf8();
                    } finally {
                        p.release();
                    }
                })
                .onErrorMap(ShoalClient::mapError);
    }

    static Payload payload(String route, Object body) {
        return rawPayload(route, Json.write(body == null ? Map.of() : body));
    }

    static Payload rawPayload(String route, byte[] data) {
        ByteBuf metadata = RouteMetadata.encode(ByteBufAllocator.DEFAULT, route);
        return ByteBufPayload.create(Unpooled.wrappedBuffer(data), metadata);
    }

    private static <T> T decode(Payload p, Class<T> type) {
        try {
            if (type == Void.class) {
                return null;
            }
            byte[] bytes = new byte[p.data().readableBytes()];
            p.data().readBytes(bytes);
            return Json.read(bytes, type);
        } finally {
            p.release();
        }
    }

    static Throwable mapError(Throwable t) {
        if (t instanceof ApplicationErrorException ae) {
            return Json.decodeError(ae.getMessage());
        }
        if (t instanceof ApiException) {
            return t;
        }
        if (t instanceof ClosedChannelException || t instanceof io.rsocket.exceptions.ConnectionErrorException
                || t instanceof io.rsocket.exceptions.ConnectionCloseException) {
            return new ApiException(ErrorCode.UNAVAILABLE, "connection to the daemon lost: " + t.getMessage());
        }
        return t;
    }

    // ---- typed calls --------------------------------------------------------------------------

    public Mono<SystemInfo> info() {
        return call(Routes.SYSTEM_INFO, null, SystemInfo.class);
    }

    public Mono<Swarm> swarmInit(SwarmInitRequest request) {
        return call(Routes.SWARM_INIT, request, Swarm.class);
    }

    public Mono<Swarm> swarmInspect() {
        return call(Routes.SWARM_INSPECT, null, Swarm.class);
    }

    public Mono<Void> swarmLeave(boolean force) {
        return call(Routes.SWARM_LEAVE, new SwarmLeaveRequest(force), Map.class).then();
    }

    public Flux<Node> nodeList() {
        return stream(Routes.NODE_LIST, null, Node.class);
    }

    public Mono<Node> nodeInspect(String ref) {
        return call(Routes.NODE_INSPECT, new ObjectRef(ref), Node.class);
    }

    public Mono<ServiceCreateResponse> serviceCreate(ServiceSpec spec) {
        return call(Routes.SERVICE_CREATE, spec, ServiceCreateResponse.class);
    }

    public Mono<Service> serviceInspect(String ref) {
        return call(Routes.SERVICE_INSPECT, new ObjectRef(ref), Service.class);
    }

    public Mono<Service> serviceUpdate(String ref, Version version, ServiceSpec spec) {
        return call(Routes.SERVICE_UPDATE, new ServiceUpdateRequest(ref, version, spec), Service.class);
    }

    /** Returns the service to its previous spec; {@code version} may be null (no check). */
    public Mono<Service> serviceRollback(String ref, Version version) {
        return call(Routes.SERVICE_ROLLBACK, new ServiceRollbackRequest(ref, version), Service.class);
    }

    public Mono<Void> serviceRemove(String ref) {
        return call(Routes.SERVICE_REMOVE, new ObjectRef(ref), Map.class).then();
    }

    public Flux<Service> serviceList() {
        return stream(Routes.SERVICE_LIST, null, Service.class);
    }

    public Flux<Task> taskList(TaskFilter filter) {
        return stream(Routes.TASK_LIST, filter, Task.class);
    }

    public Mono<Task> taskInspect(String ref) {
        return call(Routes.TASK_INSPECT, new ObjectRef(ref), Task.class);
    }

    public Flux<Event> events(EventFilter filter) {
        return stream(Routes.EVENTS, filter, Event.class);
    }

    public RSocket rsocket() {
        return rsocket;
    }

    @Override
    public void close() {
        rsocket.dispose();
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
