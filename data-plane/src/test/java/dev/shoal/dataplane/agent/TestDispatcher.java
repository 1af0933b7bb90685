package dev.shoal.dataplane.agent;

import dev.shoal.api.Routes;
import dev.shoal.api.client.RouteMetadata;
import dev.shoal.api.codec.Json;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.message.AgentMessage;
import dev.shoal.api.message.AgentMessage.TaskStatusUpdate;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.core.RSocketServer;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.local.LocalServerTransport;
import io.rsocket.util.ByteBufPayload;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A tiny manager-side dispatcher for agent tests: an RSocket server on the in-process transport that
 * speaks the session protocol. It checks the agent's side of it (route on the first payload only,
 * hello first and once), keeps what the agent reported as a manager would (forward only), and
 * sends the complete assignment set on every hello and on every {@link #assign}, each task with the
 * status the "store" has for it.
 */
final class TestDispatcher implements AutoCloseable {
    private final String address = "shoal-test-dispatcher-" + UUID.randomUUID();
    private final Duration heartbeatPeriod;
    private final Disposable server;
    private final Object lock = new Object();
    private List<Task> assigned = List.of();
    private Sinks.Many<Assignments> live;
    private Sinks.Many<String> rawOut = Sinks.many().unicast().onBackpressureBuffer();
    private final Map<TaskId, TaskStatus> store = new ConcurrentHashMap<>();
    private final Map<TaskId, List<TaskStatus>> history = new ConcurrentHashMap<>();
    /** Messages received, per session (index 0 is the first session). */
    private final List<List<AgentMessage>> sessions = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    TestDispatcher(Duration heartbeatPeriod) {
        this.heartbeatPeriod = heartbeatPeriod;
        this.server = RSocketServer.create(SocketAcceptor.forRequestChannel(this::session))
                .bind(LocalServerTransport.create(address))
                .block(Duration.ofSeconds(5));
    }

    /** Each subscription connects a fresh RSocket, as the agent requires. */
    Mono<RSocket> connector() {
        return RSocketConnector.create()
                .metadataMimeType(Routes.METADATA_MIME_TYPE)
                .dataMimeType(Routes.DATA_MIME_TYPE)
                .connect(LocalClientTransport.create(address));
    }

    /** Replaces the node's assignment set and sends it to the live session, if any. */
    void assign(List<Task> tasks) {
        synchronized (lock) {
            assigned = List.copyOf(tasks);
            push();
        }
    }

    /** Replaces the assignment set without sending it (as while the node is away). */
    void assignQuietly(List<Task> tasks) {
        synchronized (lock) {
            assigned = List.copyOf(tasks);
        }
    }

    /** Ends the live session from the manager's side, as a leader change would. */
    void dropSession() {
        synchronized (lock) {
            endLive();
        }
    }

    /** Completes the live session's outbound side (both of its sources). Holds {@link #lock}. */
    private void endLive() {
        if (live != null) {
            live.tryEmitComplete();
            rawOut.tryEmitComplete();
            live = null;
        }
    }

    /** Sends raw bytes as an assignment set, as a broken manager would. */
    void sendRaw(String json) {
        synchronized (lock) {
            if (live != null) {
                rawOut.tryEmitNext(json);
            }
        }
    }

    TaskStatus status(TaskId id) {
        return store.get(id);
    }

    TaskState state(TaskId id) {
        TaskStatus s = store.get(id);
        return s == null ? null : s.state();
    }

    /** Every state the agent reported for {@code id}, in order. */
    List<TaskState> history(TaskId id) {
        return history.getOrDefault(id, List.of()).stream().map(TaskStatus::state).toList();
    }

    int sessionCount() {
        return sessions.size();
    }

    List<AgentMessage> messages(int session) {
        return List.copyOf(sessions.get(session));
    }

    long heartbeats() {
        return sessions.stream().flatMap(List::stream).filter(m -> m.heartbeat() != null).count();
    }

    List<String> violations() {
        List<String> all = new ArrayList<>(violations);
        history.forEach((id, states) -> {
            for (int i = 1; i < states.size(); i++) {
                if (states.get(i).state().isBefore(states.get(i - 1).state())) {
                    all.add("task " + id + " went back from " + states.get(i - 1).state() + " to " + states.get(i).state());
                }
            }
        });
        return all;
    }

    @Override
    public void close() {
        dropSession();
        server.dispose();
    }

    // ---- the server side ---------------------------------------------------------------------

    private Flux<Payload> session(Publisher<Payload> inbound) {
        Sinks.Many<Assignments> out = Sinks.many().unicast().onBackpressureBuffer();
        Sinks.Many<String> raw = Sinks.many().unicast().onBackpressureBuffer();
        List<AgentMessage> received = new CopyOnWriteArrayList<>();
        boolean[] first = {true};
        Flux.from(inbound).subscribe(p -> {
            boolean isFirst = first[0];
            first[0] = false;
            onPayload(p, isFirst, received, out, raw);
        }, e -> { }, () -> { });
        return Flux.merge(out.asFlux().map(Json::write), raw.asFlux().map(r -> r.getBytes(StandardCharsets.UTF_8)))
                .map(bytes -> ByteBufPayload.create(Unpooled.wrappedBuffer(bytes)));
    }

    private void onPayload(Payload p, boolean isFirst, List<AgentMessage> received, Sinks.Many<Assignments> out, Sinks.Many<String> raw) {
        String route;
        AgentMessage m;
        try {
            route = p.hasMetadata() && p.sliceMetadata().isReadable() ? RouteMetadata.decode(p.sliceMetadata()) : null;
            ByteBuf data = p.sliceData();
            byte[] bytes = new byte[data.readableBytes()];
            data.getBytes(data.readerIndex(), bytes);
            m = Json.read(bytes, AgentMessage.class);
        } catch (RuntimeException e) {
            violations.add("undecodable payload: " + e);
            return;
        } finally {
            p.release();
        }
        received.add(m);
        if (isFirst) {
            if (!Routes.DISPATCHER_SESSION.equals(route)) {
                violations.add("the first payload's route is " + route);
            }
            if (m.hello() == null) {
                violations.add("the first message is not a hello: " + m);
            }
            sessions.add(received);
            synchronized (lock) {
                endLive(); // one session per node: the newest wins
                live = out;
                rawOut = raw;
                push();
            }
            return;
        }
        if (route != null) {
            violations.add("a later payload carries metadata (route " + route + ")");
        }
        if (m.hello() != null) {
            violations.add("a second hello in one session");
        }
        if (m.updates() != null) {
            for (TaskStatusUpdate u : m.updates()) {
                history.computeIfAbsent(u.taskId(), k -> new CopyOnWriteArrayList<>()).add(u.status());
                // as the manager does: an update earlier than the stored state is ignored
                store.merge(u.taskId(), u.status(), (old, neu) -> neu.state().isBefore(old.state()) ? old : neu);
            }
        }
    }

    /** Sends the set, each task with the stored status (what a real store would hold). Holds {@link #lock}. */
    private void push() {
        if (live == null) {
            return;
        }
        List<Task> tasks = assigned.stream()
                .map(t -> store.containsKey(t.id()) ? t.withStatus(store.get(t.id()), Instant.now()) : t)
                .toList();
        live.tryEmitNext(new Assignments(heartbeatPeriod.toNanos(), tasks));
    }
}
