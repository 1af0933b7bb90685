package dev.shoal.dataplane.agent;

import dev.shoal.api.Routes;
import dev.shoal.api.client.RouteMetadata;
import dev.shoal.api.codec.Json;
import dev.shoal.api.error.ApiException;
import dev.shoal.api.message.AgentMessage;
import dev.shoal.api.message.AgentMessage.TaskStatusUpdate;
import dev.shoal.api.message.Assignments;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.ByteBufPayload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * One dispatcher session, as the agent sees it: a request-channel on
 * {@value Routes#DISPATCHER_SESSION} whose first payload, a {@code hello}, carries the route, then
 * heartbeats and batched status updates; the other way come complete assignment sets.
 *
 * <p>Updates are batched on the agent's loop: the first update of a batch schedules a flush
 * {@link #BATCH_WINDOW} later, and a batch of {@link #MAX_BATCH} goes at once. Messages queued
 * before the channel is open wait and go right after the hello, in order, so the agent can queue the
 * current status of every task when it opens a session and lose nothing reported meanwhile. When
 * the session ends ({@link #close()}), its outbound side (heartbeats included) ends with it.
 *
 * <p>Threading: {@link #send}, {@link #sendAll} and {@link #close} run on the agent's loop; the
 * heartbeat timer runs on Reactor's parallel scheduler and is merged in by the channel.
 */
final class Session {
    /** Updates reported within this window go in one message. */
    static final Duration BATCH_WINDOW = Duration.ofMillis(5);
    /** At most this many updates per message, to stay far below the request size limit. */
    static final int MAX_BATCH = 256;

    private final AgentMessage hello;
    private final Mono<RSocket> dispatcher;
    private final Flux<Duration> heartbeatPeriods;
    private final Scheduler loop;
    private final Sinks.Many<AgentMessage> messages = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicLong heartbeats = new AtomicLong();
    // loop-confined
    private final List<TaskStatusUpdate> pending = new ArrayList<>();
    private boolean flushScheduled;

    Session(AgentMessage hello, Mono<RSocket> dispatcher, Flux<Duration> heartbeatPeriods, Scheduler loop) {
        this.hello = hello;
        this.dispatcher = dispatcher;
        this.heartbeatPeriods = heartbeatPeriods;
        this.loop = loop;
    }

    /** Queues a status update; it leaves with the others reported within {@link #BATCH_WINDOW}. */
    void send(TaskStatusUpdate update) {
        pending.add(update);
        if (pending.size() >= MAX_BATCH) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            loop.schedule(this::flush, BATCH_WINDOW.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Queues updates to go at once, in messages of at most {@link #MAX_BATCH}. */
    void sendAll(List<TaskStatusUpdate> updates) {
        flush();
        for (int i = 0; i < updates.size(); i += MAX_BATCH) {
            messages.tryEmitNext(AgentMessage.updates(updates.subList(i, Math.min(updates.size(), i + MAX_BATCH))));
        }
    }

    private void flush() {
        flushScheduled = false;
        if (!pending.isEmpty()) {
            messages.tryEmitNext(AgentMessage.updates(pending));
            pending.clear();
        }
    }

    /**
     * Connects and runs the session: emits every assignment set the manager sends, and ends when
     * the channel does (completion or error). Subscribe once.
     */
    Flux<Assignments> run() {
        Flux<AgentMessage> afterHello = Flux.merge(
                        messages.asFlux(),
                        heartbeatPeriods.distinctUntilChanged()
                                .switchMap(p -> Flux.interval(p, p))
                                .map(i -> AgentMessage.heartbeat(heartbeats.incrementAndGet())))
                .takeUntilOther(closed.asMono());
        Flux<Payload> outbound = Flux.concat(
                Mono.fromCallable(() -> encode(hello, true)),
                afterHello.map(m -> encode(m, false)));
        return dispatcher.flatMapMany(rsocket -> rsocket.requestChannel(outbound)
                .map(Session::decode)
                .doFinally(s -> disposeLater(rsocket)));
    }

    /**
     * Closes the connection once the signal that ended the channel has been handled: an in-process
     * transport delivers that signal inside the manager's own write, which must not find its
     * connection gone under it.
     */
    private void disposeLater(RSocket rsocket) {
        try {
            loop.schedule(rsocket::dispose);
        } catch (RejectedExecutionException agentClosed) {
            rsocket.dispose();
        }
    }

    /** Ends the session's outbound side, heartbeats included. */
    void close() {
        closed.tryEmitEmpty();
        messages.tryEmitComplete();
    }

    static Payload encode(AgentMessage message, boolean withRoute) {
        ByteBuf data = Unpooled.wrappedBuffer(Json.write(message));
        if (withRoute) {
            return ByteBufPayload.create(data, RouteMetadata.encode(ByteBufAllocator.DEFAULT, Routes.DISPATCHER_SESSION));
        }
        return ByteBufPayload.create(data);
    }

    /**
     * Decodes an assignment set. A malformed one is a protocol violation: it fails the session, the
     * channel is closed first, then the agent reports it and reconnects.
     */
    static Assignments decode(Payload payload) {
        try {
            ByteBuf data = payload.sliceData();
            byte[] bytes = new byte[data.readableBytes()];
            data.getBytes(data.readerIndex(), bytes);
            return Json.read(bytes, Assignments.class);
        } catch (ApiException e) {
            throw new IllegalStateException("the dispatcher sent malformed Assignments: " + e.getMessage().replaceFirst("^malformed request: ", ""));
        } finally {
            payload.release();
        }
    }
}
