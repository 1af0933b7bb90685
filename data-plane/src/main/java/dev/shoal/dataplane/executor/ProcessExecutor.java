package dev.shoal.dataplane.executor;

import dev.shoal.api.codec.Json;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.Task;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs tasks as plain child processes: the embedded default on a node without a Docker daemon. A
 * task runs {@code command + args} of its {@link ContainerSpec} with the spec's working directory
 * and the daemon's environment plus the spec's {@code env}; the image is only recorded.
 *
 * <p>Each process is started through {@code setsid} in a session of its own, with its output
 * appended to {@code <dataDir>/logs/<task id>.log} and its input from {@code /dev/null}, so that it
 * neither receives the daemon's terminal signals nor dies with the daemon's JVM. Like a container,
 * a task is all its processes: SIGTERM goes to the main process (a container's PID 1), and when the
 * main process exits, or its grace period ends, the task's whole process group is killed
 * ({@link ProcessGroups}). A process that leaves the group ({@code setsid}, {@code setpgid})
 * escapes, as it would from any supervisor without cgroups.
 *
 * <p>Every instance is recorded in {@code <dataDir>/tasks.json} (task id, pid, process start time,
 * state, exit code). A new executor on the same directory adopts the processes still alive with the
 * recorded start time; an adopted process is not its child, so its exit code cannot be known: its
 * exit reports a null code and {@value #ADOPTED_EXIT_UNKNOWN}. Adopted processes are polled every
 * {@link #ADOPTED_POLL_PERIOD}; the executor's own children are reported by the JDK the moment they
 * exit. One executor at a time may own a data directory (a file lock enforces it).
 *
 * <p>Threading: see {@link Executor}. Process starts and state-file writes run on a dedicated
 * bounded elastic scheduler that {@link #close()} disposes.
 */
public final class ProcessExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(ProcessExecutor.class);

    /** Why an adopted process's exit has no exit code. */
    public static final String ADOPTED_EXIT_UNKNOWN = "exit code unknown (process adopted after daemon restart)";
    /** Why a recorded process found dead at start-up has no exit code. */
    public static final String EXITED_WHILE_DOWN = "exit code unknown (process exited while the daemon was down)";
    /** How often adopted processes, which are not our children, are checked for life. */
    public static final Duration ADOPTED_POLL_PERIOD = Duration.ofMillis(200);
    static final String STATE_FILE = "tasks.json";
    static final String LOCK_FILE = "executor.lock";
    static final String LOG_DIR = "logs";
    /** How long {@link #close()} waits for calls in flight. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final NodeId nodeId;
    private final Path dataDir;
    private final Path stateFile;
    private final Path logDir;
    private final String setsid;
    private final Scheduler scheduler;
    private final ExitSignals exits = new ExitSignals();
    /** Guards {@link #entries} membership; each entry guards its own fields. */
    private final Object lock = new Object();
    private final Map<TaskId, Entry> entries = new LinkedHashMap<>();
    private final Object persistLock = new Object();
    /** Changes made (records replaced), and the number the state file holds; see {@link #persist()}. */
    private final AtomicLong changes = new AtomicLong();
    private long written; // guarded by persistLock
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    private final Disposable poller;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * One task's instance. Transitions happen under the entry's monitor; {@link #record} is also
     * volatile so that the state file is written without taking entry monitors. Lock order:
     * {@link #lock}, then an entry; nothing that persists runs under an entry's monitor.
     */
    private static final class Entry {
        volatile ProcessRecord record;
        ProcessHandle handle; // while running
        boolean adopted;      // not our child: polled, exit code unknown
        HealthProbe probe;    // while running with a healthcheck
        boolean removed;

        Entry(ProcessRecord record) {
            this.record = record;
        }
    }

    /**
     * Opens (creating it if needed) the executor's data directory and adopts the processes recorded
     * there that are still alive.
     *
     * @throws IllegalStateException when another executor owns {@code dataDir}
     * @throws UncheckedIOException  when the directory or its state file cannot be used
     */
    public ProcessExecutor(NodeId nodeId, Path dataDir) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.dataDir = dataDir.toAbsolutePath();
        this.stateFile = this.dataDir.resolve(STATE_FILE);
        this.logDir = this.dataDir.resolve(LOG_DIR);
        try {
            Files.createDirectories(logDir);
            lockChannel = FileChannel.open(this.dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use process executor data dir " + this.dataDir + ": " + e.getMessage(), e);
        }
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            acquired = null;
        }
        if (acquired == null) {
            closeQuietly(lockChannel);
            throw new IllegalStateException("process executor data dir " + this.dataDir + " is in use by another executor");
        }
        this.dirLock = acquired;
        this.setsid = findOnPath("setsid", System.getenv("PATH")).map(Path::toString).orElse(null);
        if (setsid == null) {
            log.warn("setsid (util-linux) not found: task processes share the daemon's session and may die with it");
        }
        this.scheduler = Schedulers.newBoundedElastic(8, 100_000, "shoal-process-" + nodeId.shortForm(), 60, true);
        load();
        this.poller = scheduler.schedulePeriodically(this::pollAdopted,
                ADOPTED_POLL_PERIOD.toMillis(), ADOPTED_POLL_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "process";
    }

    /** Where the output of a task's process goes. */
    public Path logFile(TaskId taskId) {
        return logDir.resolve(taskId.value() + ".log");
    }

    @Override
    public Controller controller(Task task) {
        return new ProcessController(task.id(), task.containerName(), task);
    }

    @Override
    public Controller controller(Instance instance) {
        return new ProcessController(instance.taskId(), instance.name(), null);
    }

    @Override
    public Flux<Instance> instances() {
        return Flux.defer(() -> Flux.fromIterable(snapshot()).map(ProcessRecord::instance));
    }

    @Override
    public Flux<Exit> exits() {
        return exits.flux();
    }

    /**
     * Releases the data directory and the executor's threads; the task processes keep running.
     * Waits up to {@link #CLOSE_TIMEOUT} for calls in flight, so that a process started meanwhile is
     * recorded for the next executor. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        poller.dispose();
        synchronized (lock) {
            for (Entry e : entries.values()) {
                synchronized (e) {
                    stopProbe(e);
                }
            }
        }
        try {
            scheduler.disposeGracefully().toFuture().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.dispose();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("{}: calls still in flight after {} s", this, CLOSE_TIMEOUT.toSeconds());
            scheduler.dispose();
        }
        synchronized (persistLock) {
            closed = true; // from now on nothing is written: the directory is the next executor's
        }
        exits.complete();
        try {
            dirLock.release();
        } catch (IOException e) {
            log.debug("release {}: {}", LOCK_FILE, e.toString());
        }
        closeQuietly(lockChannel);
    }

    // ---- the controller ----------------------------------------------------------------------

    private final class ProcessController extends TaskController {
        ProcessController(TaskId taskId, String name, Task task) {
            super(taskId, name, task, "process");
        }

        @Override
        public Mono<Instance> prepare() {
            return blocking(() -> ProcessExecutor.this.prepare(requireTask()));
        }

        @Override
        public Mono<Instance> start() {
            return blocking(() -> launch(requireTask()));
        }

        @Override
        public Mono<Exit> waitExit() {
            return exits.await(taskId, inspect());
        }

        @Override
        public Mono<Exit> stop(Duration grace) {
            return exits.stop(taskId, inspect(), grace,
                    blocking(() -> {
                        runningHandle(taskId).ifPresent(ProcessHandle::destroy); // SIGTERM to the main process
                        return null;
                    }).then(),
                    blocking(() -> {
                        Entry e = entry(taskId);
                        if (e != null) {
                            ProcessRecord r;
                            synchronized (e) {
                                r = e.record;
                            }
                            if (r.state() == Instance.State.RUNNING) {
                                killTask(r);
                            }
                        }
                        return null;
                    }).then());
        }

        @Override
        public Mono<Void> remove() {
            return blocking(() -> {
                ProcessExecutor.this.remove(taskId);
                return null;
            }).then();
        }

        @Override
        public Mono<Instance> inspect() {
            return Mono.fromCallable(() -> {
                Entry e = entry(taskId);
                if (e == null) {
                    return null;
                }
                synchronized (e) {
                    return withHealth(e);
                }
            });
        }

    }

    /** The entry's instance with its healthcheck's verdict (caller holds the entry's monitor). */
    private static Instance withHealth(Entry e) {
        Instance i = e.record.instance();
        return e.probe == null || !i.isRunning() ? i : i.withHealth(e.probe.health(), e.probe.output());
    }

    private static void stopProbe(Entry e) {
        if (e.probe != null) {
            e.probe.dispose();
            e.probe = null;
        }
    }

    // ---- life cycle --------------------------------------------------------------------------

    private Instance prepare(Task task) {
        synchronized (lock) {
            Entry existing = entries.get(task.id());
            if (existing != null) {
                synchronized (existing) {
                    return existing.record.instance(); // prepared before: never a second instance
                }
            }
        }
        ContainerSpec spec = task.spec() == null ? null : task.spec().containerSpec();
        if (spec == null) {
            throw new TaskRejectedException("invalid task: no ContainerSpec");
        }
        ResourceRequirements.Resources limits = task.spec().limits();
        if (limits != null && (limits.nanoCpusOrZero() > 0 || limits.memoryBytesOrZero() > 0 || (limits.pids() != null && limits.pids() > 0))) {
            // never run a task without the limits it asked for
            throw new TaskRejectedException("the process executor cannot enforce resource limits (--limit-cpu, --limit-memory, "
                    + "--limit-pids): run this service on a node with the Docker executor");
        }
        List<String> argv = new ArrayList<>();
        if (spec.command() != null) {
            argv.addAll(spec.command());
        }
        if (spec.args() != null) {
            argv.addAll(spec.args());
        }
        if (argv.isEmpty() || argv.getFirst().isBlank()) {
            throw new TaskRejectedException("invalid ContainerSpec: the process executor runs Command + Args, and both are empty");
        }
        Path dir = null;
        if (spec.dir() != null && !spec.dir().isBlank()) {
            dir = Path.of(spec.dir());
            if (!Files.isDirectory(dir)) {
                throw new TaskRejectedException("invalid ContainerSpec.Dir: " + spec.dir() + ": no such directory");
            }
        }
        checkExecutable(argv.getFirst(), dir, environment(spec).getOrDefault("PATH", System.getenv("PATH")));
        var record = new ProcessRecord(task.id(), task.containerName(), task.serviceId(), task.serviceName(), nodeId,
                spec.image(), argv, dir == null ? null : dir.toString(), spec.stopGracePeriodOrDefault(),
                Instance.State.CREATED, 0, null, false, null, null, null);
        Entry entry = new Entry(record);
        synchronized (lock) {
            Entry raced = entries.putIfAbsent(task.id(), entry);
            if (raced != null) {
                synchronized (raced) {
                    return raced.record.instance();
                }
            }
        }
        persist();
        return record.instance();
    }

    private Instance launch(Task task) {
        Entry e = entry(task.id());
        if (e == null) {
            throw new TaskRejectedException("No such process: " + task.containerName() + " (the task was not prepared)");
        }
        Process process;
        Instance started;
        synchronized (e) {
            switch (e.record.state()) {
                case RUNNING -> {
                    return e.record.instance();
                }
                case EXITED -> throw new IllegalStateException("task " + task.id() + " has run already: a task never starts twice");
                case CREATED -> { }
            }
            if (e.removed) {
                throw new TaskRejectedException("No such process: " + task.containerName() + " (removed)");
            }
            List<String> command = new ArrayList<>();
            if (setsid != null) {
                command.add(setsid); // a new session: the process outlives the daemon and gets none of its signals
            }
            command.addAll(e.record.argv());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(task.id()).toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (e.record.dir() != null) {
                pb.directory(new File(e.record.dir()));
            }
            pb.environment().putAll(environment(task.spec().containerSpec()));
            try {
                process = pb.start();
            } catch (IOException ex) {
                throw new TaskRejectedException("starting process failed: " + ex.getMessage(), ex);
            }
            ProcessHandle handle = process.toHandle();
            e.record = e.record.running(handle.pid(), handle.info().startInstant().orElse(null), setsid != null);
            e.handle = handle;
            e.adopted = false;
            List<String> check = HealthProbe.command(task.spec().containerSpec().healthcheck());
            if (check != null) {
                e.probe = HealthProbe.start(task.containerName(), check, environment(task.spec().containerSpec()),
                        e.record.dir() == null ? null : new File(e.record.dir()), task.spec().containerSpec().healthcheck(), scheduler);
            }
            started = withHealth(e);
        }
        persist();
        // the JDK's reaper reports our child's exit at once, with its status
        process.onExit().whenComplete((p, err) -> onExit(e, err == null ? process.exitValue() : null,
                err == null ? null : err.toString()));
        log.debug("started task {} as pid {}", task.id(), started.pid());
        return started;
    }

    private void onExit(Entry e, Integer exitCode, String error) {
        Exit exit;
        ProcessRecord ran;
        synchronized (e) {
            if (closed || e.removed || e.record.state() != Instance.State.RUNNING) {
                return;
            }
            ran = e.record;
            e.record = e.record.exited(exitCode, Instant.now(), error);
            e.handle = null;
            stopProbe(e);
            exit = e.record.instance().exit();
        }
        // like a container whose PID 1 exited: nothing of the task survives it
        killTask(ran);
        persist();
        exits.emit(exit);
    }

    private void remove(TaskId taskId) {
        Entry e;
        synchronized (lock) {
            e = entries.remove(taskId);
        }
        if (e == null) {
            return;
        }
        ProcessRecord r;
        synchronized (e) {
            e.removed = true;
            r = e.record;
            stopProbe(e);
        }
        if (r.state() == Instance.State.RUNNING) {
            killTask(r);
        }
        try {
            Files.deleteIfExists(logFile(taskId));
        } catch (IOException ex) {
            log.warn("cannot delete the log of task {}: {}", taskId, ex.toString());
        }
        persist();
    }

    private void pollAdopted() {
        List<Entry> adopted = new ArrayList<>();
        synchronized (lock) {
            for (Entry e : entries.values()) {
                adopted.add(e);
            }
        }
        for (Entry e : adopted) {
            long pid;
            Instant startedAt;
            synchronized (e) {
                if (!e.adopted || e.record.state() != Instance.State.RUNNING) {
                    continue;
                }
                pid = e.record.pid();
                startedAt = e.record.startedAt();
            }
            if (!alive(pid, startedAt)) {
                onExit(e, null, ADOPTED_EXIT_UNKNOWN);
            }
        }
    }

    private Optional<ProcessHandle> runningHandle(TaskId taskId) {
        Entry e = entry(taskId);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (e) {
            return e.record.state() == Instance.State.RUNNING ? Optional.ofNullable(e.handle) : Optional.empty();
        }
    }

    /**
     * SIGKILL to every process of a task: its process group when it leads one, else its main
     * process alone. When the main pid is alive but started at another time than recorded, the pid
     * was reused and neither it nor its group is ours. (While a process of our group lives, the
     * kernel does not hand the group's id to another process.)
     */
    private static void killTask(ProcessRecord r) {
        if (r.pid() <= 1) {
            return;
        }
        Optional<ProcessHandle> main = ProcessHandle.of(r.pid()).filter(ProcessHandle::isAlive);
        if (main.isPresent()) {
            Optional<Instant> start = main.get().info().startInstant();
            if (r.startedAt() == null || start.isEmpty() || !start.get().equals(r.startedAt())) {
                return;
            }
        }
        if (r.ownGroup()) {
            ProcessGroups.signal(r.pid(), ProcessGroups.SIGKILL);
        } else {
            main.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean alive(long pid, Instant startedAt) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        Optional<Instant> start = h.get().info().startInstant();
        if (startedAt == null || start.isEmpty() || !start.get().equals(startedAt)) {
            return false; // the pid now names another process
        }
        ProcStat s = ProcStat.read(pid);
        return s != null && !s.isDead();
    }

    // ---- the state file ----------------------------------------------------------------------

    private void load() {
        if (!Files.exists(stateFile)) {
            return;
        }
        ProcessRecord.StateFile file;
        try {
            file = Json.read(Files.readAllBytes(stateFile), ProcessRecord.StateFile.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the process executor state " + stateFile + ": " + e.getMessage(), e);
        }
        for (ProcessRecord r : file.tasks()) {
            Entry e = new Entry(r);
            if (r.state() == Instance.State.RUNNING) {
                if (alive(r.pid(), r.startedAt())) {
                    e.adopted = true;
                    e.handle = ProcessHandle.of(r.pid()).orElse(null);
                    log.info("adopted task {} (pid {})", r.taskId(), r.pid());
                } else {
                    e.record = r.exited(null, Instant.now(), EXITED_WHILE_DOWN);
                    killTask(r); // what it left behind goes with it, as in a container
                    log.info("task {} (pid {}) exited while the daemon was down", r.taskId(), r.pid());
                }
            }
            entries.put(r.taskId(), e);
        }
        persist();
    }

    /**
     * Writes the state file, after the caller's change is in it. Writes are group-committed: a
     * caller whose change a write already covered returns at once, so that 50 tasks starting
     * together cause a few writes, not 50.
     */
    private void persist() {
        long mine = changes.incrementAndGet();
        synchronized (persistLock) {
            if (closed || written >= mine) {
                return; // closed: the directory is no longer ours; covered: a later snapshot had our change
            }
            long upTo = changes.get();
            byte[] json = Json.write(new ProcessRecord.StateFile(snapshot()));
            Path tmp = stateFile.resolveSibling(STATE_FILE + ".tmp");
            try {
                Files.write(tmp, json);
                try {
                    Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING);
                }
                written = upTo;
            } catch (IOException e) {
                log.error("cannot write the process executor state {}: {}", stateFile, e.toString());
            }
        }
    }

    private List<ProcessRecord> snapshot() {
        List<Entry> all;
        synchronized (lock) {
            all = List.copyOf(entries.values());
        }
        List<ProcessRecord> records = new ArrayList<>(all.size());
        for (Entry e : all) {
            records.add(e.record); // volatile read: no entry monitor under the persist lock
        }
        return records;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Entry entry(TaskId taskId) {
        synchronized (lock) {
            return entries.get(taskId);
        }
    }

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

    private static Map<String, String> environment(ContainerSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        if (spec.env() != null) {
            for (String kv : spec.env()) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        return env;
    }

    /** Rejects the task as runc would fail its exec, with runc's wording. */
    private static void checkExecutable(String exe, Path dir, String path) {
        if (exe.contains("/")) {
            Path p = Path.of(exe);
            if (!p.isAbsolute() && dir != null) {
                p = dir.resolve(p);
            }
            if (!Files.isRegularFile(p)) {
                throw new TaskRejectedException("exec: \"" + exe + "\": no such file or directory");
            }
            if (!Files.isExecutable(p)) {
                throw new TaskRejectedException("exec: \"" + exe + "\": permission denied");
            }
            return;
        }
        if (findOnPath(exe, path).isEmpty()) {
            throw new TaskRejectedException("exec: \"" + exe + "\": executable file not found in $PATH");
        }
    }

    private static Optional<Path> findOnPath(String exe, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, exe);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("close: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "ProcessExecutor[" + nodeId.shortForm() + " @ " + dataDir + "]";
    }
}
