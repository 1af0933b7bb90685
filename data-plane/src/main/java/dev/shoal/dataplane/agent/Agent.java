package dev.shoal.dataplane.agent;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.message.AgentMessage;
import dev.shoal.api.message.AgentMessage.TaskStatusUpdate;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.dataplane.executor.Executor;
import io.rsocket.RSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The node agent: keeps one session with the manager's dispatcher and converges this node's tasks
 * on the assignment sets it receives, through an {@link Executor}.
 *
 * <h2>Session protocol (agent side)</h2>
 * A request-channel on {@code dispatcher.session} (JSON, {@code dev.shoal.api.codec.Json}); the first
 * payload carries the route in composite metadata, the others no metadata.
 * <ol>
 *   <li>The agent sends {@link AgentMessage#hello}, then the current status of every task it knows
 *       (including instances adopted at start-up), so that the manager learns the truth after any
 *       reconnect.</li>
 *   <li>It sends a heartbeat every {@link Assignments#heartbeatPeriodNanos()} (5 s until the first
 *       set arrives) and {@link AgentMessage#updates} with status changes, batching those within a
 *       few milliseconds into one message.</li>
 *   <li>The manager sends {@link Assignments}: each time the complete set of tasks of this node with
 *       their desired state. The agent converges: desired RUNNING runs a task through ACCEPTED,
 *       PREPARING, READY, STARTING, RUNNING; desired READY stops at READY; a terminal desired state
 *       stops the task (SIGTERM, grace period, SIGKILL) and reports SHUTDOWN, keeping its instance
 *       for history (REMOVE removes it); a task absent from the set is stopped and its instance
 *       removed without a report. Exits are reported COMPLETE (0) or FAILED ({@code task:
 *       non-zero exit (N)}, {@code OOM killed}); refusals REJECTED with the executor's reason.</li>
 *   <li>When the session ends, the agent reconnects with exponential backoff between
 *       {@link Config#reconnectMin()} and {@link Config#reconnectMax()}.</li>
 * </ol>
 *
 * <p>At start the agent lists the executor's instances on this node and adopts them: a task of the
 * first set whose instance exists is never created again, and instances of tasks not in the first
 * set are stopped and removed. Closing the agent ends the session but leaves tasks running, for the
 * next agent to adopt.
 *
 * <h2>Threading</h2>
 * All task state lives on one thread of the agent's own (its "loop"); executor calls run on the
 * executor's scheduler and their results come back to the loop. Public methods may be called from
 * any thread. The executor belongs to the caller: {@link #close()} does not close it.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    /** Heartbeat period until the manager says otherwise (Docker's 5 s). */
    public static final Duration DEFAULT_HEARTBEAT_PERIOD = Duration.ofSeconds(5);
    /** Default shortest reconnect delay. */
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(100);
    /** Default longest reconnect delay. */
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(8);
    /** How long the listing of existing instances at start-up may take before the agent goes on without it. */
    static final Duration ADOPTION_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @param nodeId       this node
     * @param description  what the hello says about this node; an unset executor is filled in with
     *                     {@link Executor#name()}
     * @param reconnectMin first delay before reconnecting after a session ends
     * @param reconnectMax longest delay between attempts
     */
    public record Config(NodeId nodeId, NodeDescription description, Duration reconnectMin, Duration reconnectMax) {
        public Config {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(reconnectMin, "reconnectMin");
            Objects.requireNonNull(reconnectMax, "reconnectMax");
            if (reconnectMin.isNegative() || reconnectMin.isZero()) {
                throw new IllegalArgumentException("invalid reconnectMin: " + reconnectMin + ": must be > 0");
            }
            if (reconnectMax.compareTo(reconnectMin) < 0) {
                throw new IllegalArgumentException("invalid reconnectMax: " + reconnectMax + ": must be >= reconnectMin " + reconnectMin);
            }
        }

        /** A config with the default reconnect delays. */
        public static Config of(NodeId nodeId, NodeDescription description) {
            return new Config(nodeId, description, DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX);
        }
    }

    private final Config config;
    private final Executor executor;
    private final Mono<RSocket> dispatcher;
    private final Scheduler loop;
    private final Worker worker;
    private final Backoff backoff;
    private final Sinks.Many<TaskStatusUpdate> statusUpdates = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Duration> heartbeatPeriods = Sinks.many().replay().latest();
    private final Map<TaskId, TaskStatus> statuses = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean connected;
    // loop-confined
    private Session session;
    private Disposable sessionSubscription;
    private Disposable exitSubscription;
    private Disposable adoption;
    private Duration heartbeatPeriod = DEFAULT_HEARTBEAT_PERIOD;
    private final Map<TaskId, dev.shoal.api.model.Task> assigned = new java.util.HashMap<>(); // the set, rebuilt from messages
    private long sequence; // of the last message applied in this session
    private final Sinks.Many<Assignments.NodeInfo> nodeInfo = Sinks.many().replay().latest();

    private Agent(Config config, Executor executor, Mono<RSocket> dispatcher) {
        this.config = config;
        this.executor = executor;
        this.dispatcher = dispatcher;
        this.loop = Schedulers.newSingle("shoal-agent-" + config.nodeId().shortForm(), true);
        this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax(), RandomGenerator.getDefault());
        this.worker = new Worker(executor, loop, new Worker.Listener() {
            @Override
            public void reported(TaskId taskId, TaskStatus status) {
                onReported(taskId, status);
            }

            @Override
            public void forgotten(TaskId taskId) {
                statuses.remove(taskId);
            }
        });
        heartbeatPeriods.tryEmitNext(heartbeatPeriod);
    }

    /**
     * Starts an agent: adopts the executor's existing instances, then opens a session.
     *
     * @param dispatcher each subscription yields a fresh RSocket connected to the manager's
     *                   dispatcher (in-process or over TCP); the agent disposes it when its session
     *                   ends
     */
    public static Agent start(Config config, Executor executor, Mono<RSocket> dispatcher) {
        Agent agent = new Agent(Objects.requireNonNull(config, "config"), Objects.requireNonNull(executor, "executor"),
                Objects.requireNonNull(dispatcher, "dispatcher"));
        agent.onLoop(agent::begin);
        return agent;
    }

    /** This node's id. */
    public NodeId nodeId() {
        return config.nodeId();
    }

    /**
     * Every status the agent reports, as it reports it: hot, a subscriber sees what is reported after
     * it subscribes. Signals on the agent's loop; do not block in subscribers.
     */
    public Flux<TaskStatusUpdate> statusUpdates() {
        return statusUpdates.asFlux();
    }

    /** The last status reported for each task the agent currently knows; a snapshot. */
    public Map<TaskId, TaskStatus> taskStatuses() {
        return Map.copyOf(statuses);
    }

    /** True while a session has delivered at least one assignment set and has not ended. */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Ends the session and stops the agent's work. Running tasks keep running, to be adopted by the
     * next agent of this node; the executor is not closed. Idempotent; waits briefly for the loop.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CountDownLatch done = new CountDownLatch(1);
        try {
            loop.schedule(() -> {
                try {
                    worker.close();
                    dispose(adoption);
                    dispose(exitSubscription);
                    dispose(sessionSubscription);
                    if (session != null) {
                        session.close();
                    }
                    connected = false;
                    statusUpdates.tryEmitComplete();
                } finally {
                    done.countDown();
                }
            });
            done.await(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // loop already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            loop.dispose();
        }
        log.info("agent of node {} closed", config.nodeId().shortForm());
    }

    // ---- on the loop -------------------------------------------------------------------------

    private void begin() {
        // listen before listing, so that an exit between the two is not lost
        exitSubscription = executor.exits().publishOn(loop).subscribe(worker::onExit,
                e -> log.error("exit stream of the {} executor failed", executor.name(), e));
        adoption = executor.instances().collectList()
                .retryWhen(Retry.backoff(3, Duration.ofMillis(200)))
                .timeout(ADOPTION_TIMEOUT)
                .publishOn(loop)
                .subscribe(instances -> {
                    worker.adopt(instances);
                    connect();
                }, e -> {
                    log.error("cannot list the {} executor's instances on node {}; going on without adopting them",
                            executor.name(), config.nodeId().shortForm(), e);
                    worker.adopt(java.util.List.of());
                    connect();
                });
    }

    private void connect() {
        if (closed) {
            return;
        }
        NodeDescription d = config.description();
        if (d.executor() == null) {
            d = new NodeDescription(d.hostname(), d.platform(), d.resources(), d.engine(), executor.name());
        }
        Session s = new Session(AgentMessage.hello(config.nodeId().value(), d), dispatcher, heartbeatPeriods.asFlux(), loop);
        session = s;
        sequence = -1; // a session must start with a complete set
        s.sendAll(worker.currentStatuses()); // right after the hello: the manager learns the truth first
        log.debug("node {} connecting to the dispatcher", config.nodeId().shortForm());
        boolean[] established = {false};
        sessionSubscription = s.run()
                .publishOn(loop)
                .subscribe(a -> {
                    if (!established[0]) {
                        established[0] = true;
                        connected = true;
                        backoff.reset();
                        log.info("node {} in session with the dispatcher", config.nodeId().shortForm());
                    }
                    if (!onAssignments(a)) {
                        ended(s, new IllegalStateException("assignments out of sequence: message " + a.sequence()
                                + " after " + sequence + (a.complete() ? "" : " (not a complete set)") + "; asking for a complete set again"));
                    }
                }, e -> ended(s, e), () -> ended(s, null));
    }

    private void ended(Session s, Throwable error) {
        s.close();
        if (session != s) {
            return;
        }
        session = null;
        connected = false;
        if (closed) {
            return;
        }
        Duration delay = backoff.next();
        if (error == null) {
            log.info("dispatcher session of node {} ended; reconnecting in {} ms", config.nodeId().shortForm(), delay.toMillis());
        } else {
            log.warn("dispatcher session of node {} failed ({}); reconnecting in {} ms", config.nodeId().shortForm(), error.toString(), delay.toMillis());
        }
        loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Applies a message: a complete set replaces what the agent holds; changes must follow the last
     * message applied without a gap (false otherwise: the session is ended and the next one starts
     * with a complete set, so nothing is missed or applied twice).
     */
    private boolean onAssignments(Assignments a) {
        if (a.complete()) {
            assigned.clear();
        } else if (a.sequence() != sequence + 1) {
            return false;
        }
        sequence = a.sequence();
        a.removed().forEach(assigned::remove);
        a.tasks().forEach(t -> assigned.put(t.id(), t));
        if (a.node() != null) {
            nodeInfo.tryEmitNext(a.node());
        }
        if (a.heartbeatPeriodNanos() > 0) {
            Duration p = Duration.ofNanos(a.heartbeatPeriodNanos());
            if (!p.equals(heartbeatPeriod)) {
                heartbeatPeriod = p;
                heartbeatPeriods.tryEmitNext(p);
            }
        }
        worker.assign(List.copyOf(assigned.values()));
        return true;
    }

    /** What the dispatcher says about this node (its wanted role, the managers, the roots), newest first. */
    public reactor.core.publisher.Flux<Assignments.NodeInfo> nodeInfo() {
        return nodeInfo.asFlux();
    }

    private void onReported(TaskId taskId, TaskStatus status) {
        TaskStatusUpdate u = new TaskStatusUpdate(taskId, status);
        statuses.put(taskId, status);
        if (session != null) {
            session.send(u);
        }
        statusUpdates.tryEmitNext(u);
    }

    private void onLoop(Runnable r) {
        try {
            loop.schedule(r);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private static void dispose(Disposable d) {
        if (d != null) {
            d.dispose();
        }
    }
}
