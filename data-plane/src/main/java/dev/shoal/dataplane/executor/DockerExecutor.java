package dev.shoal.dataplane.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.HealthConfig;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.Task;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs tasks as Docker containers through docker-java (Apache HttpClient 5 transport).
 *
 * <p>Containers are named {@code <service>.<slot>.<task id>} and carry Docker's swarm labels
 * ({@value #LABEL_TASK_ID}, {@value #LABEL_SERVICE_ID}, {@value #LABEL_NODE_ID},
 * {@value #LABEL_SERVICE_NAME}, {@value #LABEL_TASK_NAME}) plus {@value #LABEL_MANAGED}{@code =true}
 * and the task's stop grace period ({@value #LABEL_STOP_GRACE_PERIOD}, nanoseconds), so that they
 * can be found, and stopped gently, after a restart. The spec's command replaces the image's
 * entrypoint and its args the CMD, as in {@code docker service create}.
 *
 * <p>Images are never pulled: a task whose image is not present locally is rejected with Docker's
 * {@code No such image: X}. The daemon's API does not pull on create either; the explicit check
 * keeps it that way whatever the daemon.
 *
 * <p>Exits are seen through Docker's event stream ({@code die} events of containers labelled with
 * this node, whose attributes carry the exit code; the {@code oom} event that Docker logs before a
 * container's {@code die} marks it OOM-killed), resubscribed from the last event seen when it
 * breaks, and through a reconcile every {@link #RECONCILE_PERIOD} that compares the watched
 * containers with a listing and inspects those that exited unseen.
 *
 * <p>Threading: see {@link Executor}. Blocking docker-java calls run on a dedicated bounded elastic
 * scheduler ({@value #MAX_THREADS} threads) that {@link #close()} disposes.
 */
public final class DockerExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(DockerExecutor.class);

    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    public static final String LABEL_TASK_ID = "com.docker.swarm.task.id";
    public static final String LABEL_TASK_NAME = "com.docker.swarm.task.name";
    public static final String LABEL_SERVICE_ID = "com.docker.swarm.service.id";
    public static final String LABEL_SERVICE_NAME = "com.docker.swarm.service.name";
    public static final String LABEL_NODE_ID = "com.docker.swarm.node.id";
    public static final String LABEL_MANAGED = "dev.shoal.managed";
    public static final String LABEL_STOP_GRACE_PERIOD = "dev.shoal.stop-grace-period";

    /** Period of the safety-net reconcile; events normally report an exit within milliseconds. */
    public static final Duration RECONCILE_PERIOD = Duration.ofSeconds(2);
    /** Delay before the event stream is opened again after it broke. */
    static final Duration EVENTS_RESUBSCRIBE_DELAY = Duration.ofMillis(500);
    static final int MAX_THREADS = 16;
    /** How long {@link #close()} lets calls in flight finish before the client is closed under them. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper ERROR_READER = new ObjectMapper();

    private final NodeId nodeId;
    private final String host;
    private final DockerClient docker;
    private final Scheduler scheduler;
    private final ExitSignals exits = new ExitSignals();
    /** Containers whose exit we report, by name: an entry is removed exactly once, by whoever reports the exit. */
    private final Map<String, TaskId> watched = new ConcurrentHashMap<>();
    /** Watched containers the kernel's OOM killer hit, by name, until their {@code die} event. */
    private final Set<String> oomKilled = ConcurrentHashMap.newKeySet();
    private final Map<String, String> nodeLabels;
    private final Disposable reconcileTicker;
    private volatile boolean closed;
    private volatile Closeable eventStream;
    /** Docker's {@code since}: the time of the last event seen, so a resubscription replays the gap. */
    private volatile String since;

    private DockerExecutor(NodeId nodeId, String host, DockerClient docker) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.host = host;
        this.docker = docker;
        this.nodeLabels = Map.of(LABEL_MANAGED, "true", LABEL_NODE_ID, nodeId.value());
        this.scheduler = Schedulers.newBoundedElastic(MAX_THREADS, 100_000, "shoal-docker-" + nodeId.shortForm(), 60, true);
        this.since = dockerTimestamp(Instant.now());
        subscribeEvents();
        this.reconcileTicker = scheduler.schedulePeriodically(this::reconcile,
                RECONCILE_PERIOD.toMillis(), RECONCILE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An executor for {@code nodeId} on the daemon at {@code DOCKER_HOST} (default {@value #DEFAULT_DOCKER_HOST}). */
    public static DockerExecutor create(NodeId nodeId) {
        return create(nodeId, dockerHostFromEnvironment());
    }

    /** An executor for {@code nodeId} on the daemon at {@code host} ({@code unix:///path} or {@code tcp://host:port}). */
    public static DockerExecutor create(NodeId nodeId, String host) {
        return new DockerExecutor(nodeId, host, client(host, null));
    }

    /** {@code DOCKER_HOST}, or {@value #DEFAULT_DOCKER_HOST} when it is unset. */
    public static String dockerHostFromEnvironment() {
        String env = System.getenv("DOCKER_HOST");
        return env == null || env.isBlank() ? DEFAULT_DOCKER_HOST : env;
    }

    /** True when a Docker daemon answers a ping at {@code DOCKER_HOST} within a second. */
    public static boolean reachable() {
        return reachable(dockerHostFromEnvironment(), Duration.ofSeconds(1));
    }

    /** True when a Docker daemon at {@code host} answers a ping within about {@code timeout}. Blocks. */
    public static boolean reachable(String host, Duration timeout) {
        try {
            URI uri = URI.create(host);
            if ("unix".equals(uri.getScheme()) && !Files.exists(Path.of(uri.getPath()))) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        try (DockerClient probe = client(host, timeout)) {
            probe.pingCmd().exec();
            return true;
        } catch (Exception e) {
            log.debug("no Docker daemon at {}: {}", host, e.toString());
            return false;
        }
    }

    private static DockerClient client(String host, Duration timeout) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
        var http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(MAX_THREADS + 4)
                .connectionTimeout(timeout == null ? Duration.ofSeconds(5) : timeout);
        if (timeout != null) {
            // never on the executor's own client: the event stream is one long response
            http.responseTimeout(timeout);
        }
        DockerHttpClient httpClient = http.build();
        return DockerClientImpl.getInstance(config, httpClient);
    }

    @Override
    public String name() {
        return "docker";
    }

    /** The daemon address this executor talks to. */
    public String host() {
        return host;
    }

    @Override
    public Controller controller(Task task) {
        return new DockerController(task.id(), task.containerName(), task);
    }

    @Override
    public Controller controller(Instance instance) {
        return new DockerController(instance.taskId(), instance.name(), null);
    }

    @Override
    public Flux<Instance> instances() {
        return blocking(() -> listContainers().stream()
                .map(c -> inspectNow(containerName(c)))
                .filter(Objects::nonNull)
                .toList())
                .flatMapIterable(l -> l);
    }

    @Override
    public Flux<Exit> exits() {
        return exits.flux();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reconcileTicker.dispose();
        closeQuietly(eventStream);
        exits.complete();
        // calls in flight finish (nothing is interrupted mid-request); then the client goes
        scheduler.disposeGracefully()
                .timeout(CLOSE_TIMEOUT)
                .onErrorResume(e -> Mono.fromRunnable(scheduler::dispose))
                .doFinally(s -> closeQuietly(docker))
                .subscribe();
    }

    // ---- the controller ----------------------------------------------------------------------

    private final class DockerController extends TaskController {
        DockerController(TaskId taskId, String name, Task task) {
            super(taskId, name, task, "container");
        }

        @Override
        public Mono<Instance> prepare() {
            return blocking(() -> create(requireTask()));
        }

        @Override
        public Mono<Instance> start() {
            return blocking(() -> {
                requireTask();
                Instance before = inspectNow(name);
                if (before == null) {
                    throw new TaskRejectedException("No such container: " + name);
                }
                switch (before.state()) {
                    case RUNNING -> {
                        return before;
                    }
                    case EXITED -> throw new IllegalStateException("task " + taskId + " has run already: a task never starts twice");
                    case CREATED -> { }
                }
                watched.put(name, taskId);
                try {
                    docker.startContainerCmd(name).exec();
                } catch (NotModifiedException alreadyStarted) {
                    // started by an earlier attempt
                } catch (DockerException e) {
                    watched.remove(name, taskId);
                    throw new TaskRejectedException(daemonMessage(e), e);
                }
                Instance after = inspectNow(name);
                if (after == null) {
                    throw new IllegalStateException("container " + name + " disappeared right after its start");
                }
                return after;
            });
        }

        @Override
        public Mono<Exit> waitExit() {
            return exits.await(taskId, inspect());
        }

        @Override
        public Mono<Exit> stop(Duration grace) {
            return exits.stop(taskId, inspect(), grace, signal("TERM"), signal("KILL"));
        }

        @Override
        public Mono<Void> remove() {
            return blocking(() -> {
                watched.remove(name);
                oomKilled.remove(name);
                try {
                    docker.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
                } catch (NotFoundException gone) {
                    // removed already
                } catch (ConflictException e) {
                    // "removal already in progress"
                    log.debug("remove {}: {}", name, daemonMessage(e));
                }
                return null;
            }).then();
        }

        @Override
        public Mono<Instance> inspect() {
            return blocking(() -> inspectNow(name));
        }

        private Mono<Void> signal(String signal) {
            return blocking(() -> {
                try {
                    docker.killContainerCmd(name).withSignal(signal).exec();
                } catch (NotFoundException | ConflictException notRunning) {
                    // exited meanwhile: the exit wait sees it
                }
                return null;
            }).then();
        }

    }

    private Instance create(Task task) {
        ContainerSpec spec = task.spec() == null ? null : task.spec().containerSpec();
        if (spec == null || spec.image() == null || spec.image().isBlank()) {
            throw new TaskRejectedException("invalid ContainerSpec.Image: must be set");
        }
        try {
            docker.inspectImageCmd(spec.image()).exec();
        } catch (NotFoundException e) {
            // never pull: a node runs local images only
            throw new TaskRejectedException(orDefault(daemonMessage(e), "No such image: " + spec.image()), e);
        }
        Map<String, String> labels = new HashMap<>();
        if (spec.labels() != null) {
            labels.putAll(spec.labels());
        }
        labels.put(LABEL_TASK_ID, task.id().value());
        labels.put(LABEL_TASK_NAME, task.containerName());
        labels.put(LABEL_SERVICE_ID, task.serviceId() == null ? "" : task.serviceId().value());
        labels.put(LABEL_SERVICE_NAME, task.serviceName() == null ? "" : task.serviceName());
        labels.put(LABEL_STOP_GRACE_PERIOD, Long.toString(spec.stopGracePeriodOrDefault()));
        labels.putAll(nodeLabels);

        CreateContainerCmd cmd = docker.createContainerCmd(spec.image())
                .withName(task.containerName())
                .withLabels(labels)
                .withStopTimeout((int) Math.min(Integer.MAX_VALUE, Duration.ofNanos(spec.stopGracePeriodOrDefault()).toSeconds()))
                .withHostConfig(hostConfig(task.spec().limits()));
        HealthCheck health = healthCheck(spec.healthcheck());
        if (health != null) {
            cmd.withHealthcheck(health);
        }
        if (spec.command() != null && !spec.command().isEmpty()) {
            cmd.withEntrypoint(spec.command());
        }
        if (spec.args() != null && !spec.args().isEmpty()) {
            cmd.withCmd(spec.args());
        }
        if (spec.env() != null && !spec.env().isEmpty()) {
            cmd.withEnv(spec.env());
        }
        if (spec.dir() != null && !spec.dir().isBlank()) {
            cmd.withWorkingDir(spec.dir());
        }
        try {
            CreateContainerResponse created = cmd.exec();
            return new Instance(task.id(), task.containerName(), created.getId(), Instance.State.CREATED, 0, null,
                    Duration.ofNanos(spec.stopGracePeriodOrDefault()), null);
        } catch (ConflictException nameInUse) {
            Instance existing = inspectNow(task.containerName());
            if (existing != null && existing.taskId().equals(task.id())) {
                return existing; // prepared before: never a second container for a task
            }
            throw new TaskRejectedException(daemonMessage(nameInUse), nameInUse);
        } catch (DockerException e) {
            throw new TaskRejectedException(daemonMessage(e), e);
        }
    }

    /** The container's limits: {@code --limit-cpu}, {@code --limit-memory}, {@code --limit-pids}. */
    static HostConfig hostConfig(ResourceRequirements.Resources limits) {
        HostConfig host = HostConfig.newHostConfig();
        if (limits == null) {
            return host;
        }
        if (limits.nanoCpus() != null && limits.nanoCpus() > 0) {
            host.withNanoCPUs(limits.nanoCpus());
        }
        if (limits.memoryBytes() != null && limits.memoryBytes() > 0) {
            host.withMemory(limits.memoryBytes());
        }
        if (limits.pids() != null && limits.pids() > 0) {
            host.withPidsLimit(limits.pids());
        }
        return host;
    }

    /**
     * The spec's healthcheck as Docker takes it: null keeps the image's, {@code ["NONE"]} turns it
     * off, unset durations take Docker's defaults.
     */
    static HealthCheck healthCheck(HealthConfig h) {
        if (h == null || h.test() == null || h.test().isEmpty()) {
            return null;
        }
        HealthCheck c = new HealthCheck().withTest(h.test());
        if (h.disabled()) {
            return c;
        }
        return c.withInterval(h.intervalOrDefault())
                .withTimeout(h.timeoutOrDefault())
                .withRetries((int) h.retriesOrDefault())
                .withStartPeriod(h.startPeriodOrZero());
    }

    /** Docker's health verdict of a container, and the output of its last check. */
    private static Instance.Health health(InspectContainerResponse.ContainerState s) {
        var h = s.getHealth();
        if (h == null || h.getStatus() == null) {
            return Instance.Health.NONE;
        }
        return switch (h.getStatus()) {
            case "starting" -> Instance.Health.STARTING;
            case "healthy" -> Instance.Health.HEALTHY;
            case "unhealthy" -> Instance.Health.UNHEALTHY;
            default -> Instance.Health.NONE;
        };
    }

    private static String lastHealthOutput(InspectContainerResponse.ContainerState s) {
        var h = s.getHealth();
        if (h == null || h.getLog() == null || h.getLog().isEmpty()) {
            return null;
        }
        String out = h.getLog().getLast().getOutput();
        return out == null ? null : out.strip();
    }

    // ---- observing containers ----------------------------------------------------------------

    /** Inspects a container of this node; null when there is none. Watches it when it runs. */
    private Instance inspectNow(String name) {
        InspectContainerResponse r;
        try {
            r = docker.inspectContainerCmd(name).exec();
        } catch (NotFoundException e) {
            return null;
        }
        Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels();
        String task = labels.get(LABEL_TASK_ID);
        if (task == null || !nodeId.value().equals(labels.get(LABEL_NODE_ID))) {
            return null; // not ours
        }
        TaskId taskId = TaskId.of(task);
        String containerName = r.getName() == null ? name : r.getName().replaceFirst("^/", "");
        Duration grace = parseGrace(labels.get(LABEL_STOP_GRACE_PERIOD));
        var s = r.getState();
        Instant startedAt = parseTime(s.getStartedAt());
        Instance.State state = state(s.getStatus());
        if (state == Instance.State.RUNNING) {
            watched.put(containerName, taskId);
            return new Instance(taskId, containerName, r.getId(), state, orZero(s.getPidLong()), startedAt, grace, null,
                    health(s), lastHealthOutput(s));
        }
        Exit exit = state == Instance.State.EXITED ? exitOf(taskId, r.getId(), s) : null;
        return new Instance(taskId, containerName, r.getId(), state, 0, startedAt, grace, exit);
    }

    private static Exit exitOf(TaskId taskId, String id, InspectContainerResponse.ContainerState s) {
        Instant finishedAt = parseTime(s.getFinishedAt());
        String error = s.getError() == null || s.getError().isBlank() ? null : s.getError();
        return new Exit(taskId, id, s.getExitCodeLong() == null ? null : s.getExitCodeLong().intValue(),
                Boolean.TRUE.equals(s.getOOMKilled()), finishedAt == null ? Instant.now() : finishedAt, error);
    }

    private static Instance.State state(String dockerStatus) {
        return switch (dockerStatus == null ? "" : dockerStatus) {
            case "created" -> Instance.State.CREATED;
            case "running", "paused", "restarting" -> Instance.State.RUNNING;
            default -> Instance.State.EXITED; // exited, dead, removing
        };
    }

    private List<Container> listContainers() {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(nodeLabels).exec();
    }

    private void subscribeEvents() {
        if (closed) {
            return;
        }
        var callback = new ResultCallback.Adapter<Event>() {
            @Override
            public void onNext(Event event) {
                onEvent(event);
            }

            @Override
            public void onError(Throwable t) {
                if (!closed) {
                    log.warn("Docker event stream of node {} broke ({}); resubscribing since {}", nodeId.shortForm(), t.toString(), since);
                    resubscribeEvents();
                }
            }

            @Override
            public void onComplete() {
                if (!closed) {
                    log.info("Docker event stream of node {} ended; resubscribing since {}", nodeId.shortForm(), since);
                    resubscribeEvents();
                }
            }
        };
        try {
            docker.eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withEventFilter("die", "oom")
                    .withLabelFilter(nodeLabels)
                    .withSince(since)
                    .exec(callback);
            eventStream = callback;
            if (closed) {
                closeQuietly(callback);
            }
        } catch (RuntimeException e) {
            log.warn("cannot open the Docker event stream at {}: {}", host, e.toString());
            resubscribeEvents();
        }
    }

    private void resubscribeEvents() {
        if (!closed) {
            scheduler.schedule(this::subscribeEvents, EVENTS_RESUBSCRIBE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void onEvent(Event event) {
        if (event.getTimeNano() != null) {
            since = dockerTimestamp(Instant.EPOCH.plusNanos(event.getTimeNano()));
        }
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                ? Map.of() : event.getActor().getAttributes();
        String name = attributes.get("name");
        if (name == null) {
            return;
        }
        if ("oom".equals(action)) {
            if (watched.containsKey(name)) {
                oomKilled.add(name);
            }
            return;
        }
        if (!"die".equals(action)) {
            return;
        }
        TaskId taskId = watched.remove(name);
        boolean oom = oomKilled.remove(name);
        if (taskId == null) {
            return; // not watched, or reported already (stop, remove, reconcile)
        }
        Integer code = parseExitCode(attributes.get("exitCode"));
        String containerId = event.getId();
        if (code == null) {
            // no code in the event: ask the daemon, off the stream's thread
            scheduler.schedule(() -> reportExit(taskId, name, containerId));
            return;
        }
        Instant at = event.getTimeNano() == null ? Instant.now() : Instant.EPOCH.plusNanos(event.getTimeNano());
        Exit exit = new Exit(taskId, containerId, code, oom, at, null);
        // the event says it all: no inspect round trip between a death and its report
        scheduler.schedule(() -> exits.emit(exit));
    }

    private static Integer parseExitCode(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reports an exit the event stream did not describe, as the daemon tells it. */
    private void reportExit(TaskId taskId, String name, String containerId) {
        Exit exit = null;
        try {
            Instance now = inspectNow(name);
            if (now != null && now.state() != Instance.State.EXITED) {
                watched.put(name, taskId); // not exited after all: keep watching it
                return;
            }
            exit = now == null ? null : now.exit();
        } catch (RuntimeException e) {
            log.debug("inspect after the exit of {}: {}", name, e.toString());
        }
        if (exit == null) {
            exit = new Exit(taskId, containerId, null, false, Instant.now(), "No such container: " + name);
        }
        exits.emit(exit);
    }

    /** The safety net: a watched container that is no longer running has exited. */
    private void reconcile() {
        if (closed || watched.isEmpty()) {
            return;
        }
        try {
            // only what was watched before the listing was asked for: a container started since
            // may be missing from it
            Map<String, TaskId> before = Map.copyOf(watched);
            Map<String, Container> byName = new HashMap<>();
            for (Container c : listContainers()) {
                byName.put(containerName(c), c);
            }
            before.forEach((name, taskId) -> {
                Container c = byName.get(name);
                boolean gone = c == null || state(c.getState()) == Instance.State.EXITED;
                if (gone && watched.remove(name, taskId)) {
                    log.debug("reconcile found {} exited without an event", name);
                    oomKilled.remove(name);
                    reportExit(taskId, name, c == null ? null : c.getId());
                }
            });
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("reconcile of node {}'s containers failed: {}", nodeId.shortForm(), e.toString());
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    /**
     * Runs a blocking call on the executor's scheduler. A cancelled caller does not interrupt it: an
     * interrupted HTTP exchange or file write would leave the connection pool or the state file
     * half-done, so the call completes and its result is dropped.
     */
    private <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromFuture(() -> {
            var result = new CompletableFuture<T>();
            try {
                scheduler.schedule(() -> {
                    try {
                        result.complete(call.call());
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                });
            } catch (RejectedExecutionException closedAlready) {
                result.completeExceptionally(new IllegalStateException(this + " is closed"));
            }
            return result;
        }, true);
    }

    private static String containerName(Container c) {
        String[] names = c.getNames();
        return names == null || names.length == 0 ? c.getId() : names[0].replaceFirst("^/", "");
    }

    /** The daemon's own message ({@code No such image: x:latest}) rather than docker-java's wrapping. */
    static String daemonMessage(DockerException e) {
        String m = e.getMessage();
        if (m == null) {
            return "Docker error " + e.getHttpStatus();
        }
        int brace = m.indexOf('{');
        if (brace >= 0) {
            try {
                JsonNode body = ERROR_READER.readTree(m.substring(brace));
                if (body.hasNonNull("message")) {
                    return body.get("message").asText().strip();
                }
            } catch (IOException notJson) {
                // fall through
            }
        }
        return m.strip();
    }

    private static String orDefault(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    private static Duration parseGrace(String nanos) {
        try {
            return nanos == null ? DEFAULT_STOP_GRACE_PERIOD : Duration.ofNanos(Long.parseLong(nanos));
        } catch (NumberFormatException e) {
            return DEFAULT_STOP_GRACE_PERIOD;
        }
    }

    private static Instant parseTime(String rfc3339) {
        if (rfc3339 == null || rfc3339.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return Instant.parse(rfc3339);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long orZero(Long l) {
        return l == null ? 0 : l;
    }

    private static String dockerTimestamp(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            log.debug("close: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "DockerExecutor[" + nodeId.shortForm() + " @ " + host + "]";
    }
}
