package dev.shoal.api.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.message.ObjectRef;
import dev.shoal.api.model.ServiceSpec;
import io.netty.buffer.Unpooled;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.local.LocalServerTransport;
import io.rsocket.util.ByteBufPayload;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The route table over a real RSocket connection (in-process transport), with real clients. */
class RouteTableTest {
    private final AtomicInteger calls = new AtomicInteger();
    private Disposable server;
    private ShoalClient client;

    @BeforeEach
    void start() {
        String name = "route-table-" + UUID.randomUUID();
        RouteTable table = RouteTable.builder()
                .requestResponse(Routes.SERVICE_INSPECT, ObjectRef.class, ref -> {
                    calls.incrementAndGet();
                    if (ref.id() == null) {
                        return Mono.error(ApiException.invalid("ID", "null", "must be set"));
                    }
                    return Mono.just(new ObjectRef(ref.id().toUpperCase()));
                })
                .requestResponse(Routes.SERVICE_CREATE, ServiceSpec.class, spec -> {
                    calls.incrementAndGet();
                    return Mono.error(new IllegalStateException("boom"));
                })
                .requestStream(Routes.SERVICE_LIST, ObjectRef.class, ref -> Flux.just(new ObjectRef("a"), new ObjectRef("b")))
                .build();
        server = RSocketServer.create((setup, peer) -> Mono.just(table)).bind(LocalServerTransport.create(name)).block();
        RSocket socket = ShoalClient.connector().connect(LocalClientTransport.create(name)).block(Duration.ofSeconds(5));
        client = ShoalClient.of(socket);
    }

    @AfterEach
    void stop() {
        client.close();
        server.dispose();
    }

    @Test
    void routesRequestResponseAndStream() {
        assertEquals(new ObjectRef("WEB"), client.call(Routes.SERVICE_INSPECT, new ObjectRef("web"), ObjectRef.class).block());
        assertEquals(List.of(new ObjectRef("a"), new ObjectRef("b")),
                client.stream(Routes.SERVICE_LIST, null, ObjectRef.class).collectList().block());
    }

    @Test
    void unknownRouteIsUnimplemented() {
        ApiException e = assertThrows(ApiException.class, () -> client.callRaw("service.explode", "{}".getBytes()).block());
        assertEquals(ErrorCode.UNIMPLEMENTED, e.code());
        assertEquals("unknown route: service.explode (see the route list in dev.shoal.api.Routes)", e.getMessage());
    }

    @Test
    void malformedJsonIsInvalidArgumentAndTheHandlerIsNotCalled() {
        ApiException e = assertThrows(ApiException.class,
                () -> client.callRaw(Routes.SERVICE_INSPECT, "{\"ID\": ".getBytes(StandardCharsets.UTF_8)).block());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("malformed request"), e.getMessage());
        assertEquals(0, calls.get());
    }

    @Test
    void oversizedPayloadIsRefusedBeforeDecoding() {
        byte[] big = new byte[Routes.MAX_REQUEST_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        ApiException e = assertThrows(ApiException.class, () -> client.callRaw(Routes.SERVICE_INSPECT, big).block());
        assertEquals(ErrorCode.RESOURCE_EXHAUSTED, e.code());
        assertTrue(e.getMessage().contains("the limit is " + Routes.MAX_REQUEST_BYTES), e.getMessage());
        assertEquals(0, calls.get());
    }

    @Test
    void requestWithoutRoutingMetadataIsNamed() {
        ApiException e = assertThrows(ApiException.class, () -> client.rsocket()
                .requestResponse(ByteBufPayload.create("{}"))
                .onErrorMap(t -> t instanceof io.rsocket.exceptions.ApplicationErrorException a
                        ? dev.shoal.api.codec.Json.decodeError(a.getMessage()) : t)
                .block());
        assertTrue(e.getMessage().startsWith("missing route"), e.getMessage());
    }

    @Test
    void garbageMetadataIsInvalidArgument() {
        ApiException e = assertThrows(ApiException.class, () -> client.rsocket()
                .requestResponse(ByteBufPayload.create(Unpooled.wrappedBuffer("{}".getBytes()), Unpooled.wrappedBuffer(new byte[] {1, 2, 3})))
                .onErrorMap(t -> t instanceof io.rsocket.exceptions.ApplicationErrorException a
                        ? dev.shoal.api.codec.Json.decodeError(a.getMessage()) : t)
                .block());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void handlerApiErrorKeepsItsCode() {
        ApiException e = assertThrows(ApiException.class, () -> client.call(Routes.SERVICE_INSPECT, new ObjectRef(null), ObjectRef.class).block());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("invalid ID: null: must be set", e.getMessage());
    }

    @Test
    void unexpectedHandlerFailureIsInternal() {
        ApiException e = assertThrows(ApiException.class, () -> client.call(Routes.SERVICE_CREATE,
                new ServiceSpec("x", null, null, null), ObjectRef.class).block());
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }
}
