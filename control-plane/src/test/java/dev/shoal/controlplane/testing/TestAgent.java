package dev.shoal.controlplane.testing;

import dev.shoal.api.Routes;
import dev.shoal.api.client.RouteMetadata;
import dev.shoal.api.codec.Json;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.message.AgentMessage;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.ByteBufPayload;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A node agent played by a test over a real RSocket connection: opens a dispatcher session, keeps
 * every assignment set it receives, and sends heartbeats and status reports when told to.
 */
public final class TestAgent implements AutoCloseable {
    private final NodeId node;
    private final Clock clock;
    private final Sinks.Many<Payload> out = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Many<Assignments> sets = Sinks.many().replay().latest();
    private final Sinks.One<Throwable> ended = Sinks.one();
    private final AtomicBoolean first = new AtomicBoolean(true);
    private final Disposable session;

    private TestAgent(RSocket socket, NodeId node, Clock clock) {
        this.node = node;
        this.clock = clock;
        this.session = socket.requestChannel(out.asFlux())
                .map(p -> {
                    try {
                        return Json.read(p.getDataUtf8().getBytes(java.nio.charset.StandardCharsets.UTF_8), Assignments.class);
                    } finally {
                        p.release();
                    }
                })
                .map(this::apply)
                .subscribe(a -> sets.emitNext(a, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1))),
                        e -> ended.tryEmitValue(e),
                        () -> ended.tryEmitValue(new IllegalStateException("session completed")));
    }

    // the set the agent holds, rebuilt from the complete set and the changes after it
    private final java.util.Map<dev.shoal.api.id.TaskId, dev.shoal.api.model.Task> held = new java.util.HashMap<>();
    private long sequence;
    private final java.util.List<Assignments> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Applies a message as an agent does (a gap in the sequence fails the test) and returns the
     * complete set the agent then holds, so tests can assert on whole sets.
     */
    private Assignments apply(Assignments a) {
        received.add(a);
        if (a.complete()) {
            held.clear();
        } else if (a.sequence() != sequence + 1) {
            throw new AssertionError("assignments out of sequence: " + a.sequence() + " after " + sequence);
        }
        sequence = a.sequence();
        a.removed().forEach(held::remove);
        a.tasks().forEach(t -> held.put(t.id(), t));
        java.util.List<dev.shoal.api.model.Task> all = held.values().stream()
                .sorted(java.util.Comparator.comparing(dev.shoal.api.model.Task::serviceName)
                        .thenComparingLong(dev.shoal.api.model.Task::slot).thenComparing(dev.shoal.api.model.Task::id))
                .toList();
        return new Assignments(a.heartbeatPeriodNanos(), a.sequence(), true, all, java.util.List.of(), a.node());
    }

    /** Every message as the dispatcher sent it. */
    public java.util.List<Assignments> received() {
        return received;
    }

    /** Opens a session and says hello as {@code hostname}. */
    public static TestAgent connect(RSocket socket, NodeId node, String hostname, Clock clock) {
        TestAgent a = new TestAgent(socket, node, clock);
        a.send(AgentMessage.hello(node.value(), Fixtures.description(hostname)));
        return a;
    }

    /** Opens a session whose first message is {@code first} (to test protocol violations). */
    public static TestAgent connectSending(RSocket socket, NodeId node, AgentMessage first, Clock clock) {
        TestAgent a = new TestAgent(socket, node, clock);
        a.send(first);
        return a;
    }

    public NodeId node() {
        return node;
    }

    public void send(AgentMessage m) {
        byte[] data = Json.write(m);
        Payload p = first.getAndSet(false)
                ? ByteBufPayload.create(Unpooled.wrappedBuffer(data), RouteMetadata.encode(ByteBufAllocator.DEFAULT, Routes.DISPATCHER_SESSION))
                : ByteBufPayload.create(data);
        out.emitNext(p, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    public void heartbeat(long sequence) {
        send(AgentMessage.heartbeat(sequence));
    }

    public void report(TaskId task, TaskState state) {
        send(AgentMessage.updates(List.of(new AgentMessage.TaskStatusUpdate(task, TaskStatus.of(state, state.wireName(), clock.instant())))));
    }

    public void report(List<TaskId> tasks, TaskState state) {
        send(AgentMessage.updates(tasks.stream()
                .map(t -> new AgentMessage.TaskStatusUpdate(t, TaskStatus.of(state, state.wireName(), clock.instant())))
                .toList()));
    }

    /** The first assignment set (received so far or later) that satisfies {@code p}. */
    public Assignments await(String what, Predicate<Assignments> p) {
        Assignments a = sets.asFlux().filter(p).next().timeout(TestStore.WAIT, Mono.empty()).block();
        if (a == null) {
            Assignments last = sets.asFlux().next().timeout(Duration.ofMillis(10), Mono.empty()).block();
            throw new AssertionError("agent " + node.shortForm() + " timed out waiting for " + what + "; last set: "
                    + (last == null ? "none" : last.tasks().size() + " tasks " + last.tasks().stream()
                    .map(t -> t.serviceName() + "." + t.slot() + "/" + t.desiredState().wireName()).toList()));
        }
        return a;
    }

    /** How the session ended (an error from the dispatcher, or completion). */
    public Throwable awaitEnd() {
        Throwable t = ended.asMono().timeout(TestStore.WAIT, Mono.empty()).block();
        if (t == null) {
            throw new AssertionError("the session of agent " + node.shortForm() + " did not end");
        }
        return t;
    }

    /** Closes the agent's side of the session (a clean leave). */
    public void leave() {
        out.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    @Override
    public void close() {
        session.dispose();
    }
}
