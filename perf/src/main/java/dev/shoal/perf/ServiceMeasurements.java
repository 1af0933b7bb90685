package dev.shoal.perf;

import dev.shoal.perf.systems.DockerEngine;
import dev.shoal.perf.systems.ShoalTarget;
import dev.shoal.perf.systems.SwarmTarget;
import dev.shoal.perf.systems.TaskObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import reactor.core.Disposable;

/**
 * The two service measurements, done the same way on every {@link SwarmTarget}:
 *
 * <ul>
 *   <li><b>converge</b>: the clock starts just before the create request is sent; the task list is
 *       polled every {@code pollPeriod}; the clock stops when a poll returns with N tasks whose
 *       observed and desired state are both running.</li>
 *   <li><b>heal</b>: a service of N replicas with restart delay 0 runs; K of its containers are
 *       killed at once ({@code docker kill}, SIGKILL, K requests in parallel); the clock starts just
 *       before the kills are sent and stops when a poll returns with N running tasks none of which
 *       is a killed one.</li>
 * </ul>
 * After each measurement the service is removed and the harness waits until its containers are
 * gone. Every wait is bounded.
 */
public final class ServiceMeasurements {
    private final DockerEngine engine;
    private final Duration pollPeriod;
    private final Duration timeout;
    private final Duration settle;

    /**
     * @param pollPeriod how often the task list is polled
     * @param timeout    the longest a measurement may take before it fails
     * @param settle     pause after a clean-up, and before the kills of a heal
     */
    public ServiceMeasurements(DockerEngine engine, Duration pollPeriod, Duration timeout, Duration settle) {
        this.engine = engine;
        this.pollPeriod = pollPeriod;
        this.timeout = timeout;
        this.settle = settle;
    }

    /**
     * One measurement's outcome.
     *
     * @param seconds the measured time
     * @param polled  when the tasks reached each state, from the states' own timestamps
     * @param events  the same from the events stream (commit times), Shoal only; empty otherwise
     * @param note    what else happened (clean-up trouble), empty when nothing
     */
    public record Run(String target, String kind, int replicas, double seconds,
                      List<Timeline.Stage> polled, List<Timeline.Stage> events, String note) {}

    /** Time from create to N running. */
    public Run converge(SwarmTarget target, String name, int replicas) {
        var events = new ConcurrentLinkedQueue<ShoalTarget.ReceivedEvent>();
        Disposable sub = target instanceof ShoalTarget s ? s.recordEvents(events) : null;
        String id = null;
        try {
            if (sub != null) {
                sleep(Duration.ofMillis(200)); // let the subscription reach the daemon
            }
            Instant startWall = Instant.now();
            long t0 = System.nanoTime();
            id = target.createService(name, replicas, false);
            Timeline polled = new Timeline(startWall);
            Set<String> counted = new HashSet<>();
            long elapsed = awaitRunning(target, id, replicas, Set.of(), t0, polled, counted);
            List<Timeline.Stage> fromEvents = sub == null ? List.of() : eventTimeline(events, startWall).breakdown(counted);
            return new Run(target.name(), "converge", replicas, elapsed / 1e9, polled.breakdown(counted), fromEvents, "");
        } finally {
            if (sub != null) {
                sub.dispose();
            }
            if (id != null) {
                String note = removeAndWait(target, id, name);
                if (!note.isEmpty()) {
                    System.out.println("  note: " + note);
                }
            }
        }
    }

    /**
     * Time of a rolling update: a service of {@code replicas} running tasks gets a new environment
     * variable with update parallelism {@code parallelism}; the clock runs from the update request
     * until every one of the {@code replicas} running tasks was created after it and no older task
     * runs (counted from the poll that saw it).
     */
    public Run update(SwarmTarget target, String name, int replicas, int parallelism) {
        String id = createRunning(target, name, replicas);
        try {
            sleep(settle);
            Instant startWall = Instant.now();
            long t0 = System.nanoTime();
            target.updateService(id, parallelism);
            long period = pollPeriod.toNanos();
            while (true) {
                LockSupport.parkNanos(period);
                List<TaskObservation> tasks = target.tasks(id);
                long polledAt = System.nanoTime();
                long fresh = tasks.stream().filter(TaskObservation::isRunning)
                        .filter(t -> t.createdAt() != null && !t.createdAt().isBefore(startWall.minusMillis(5))).count();
                long running = tasks.stream().filter(t -> "running".equals(t.state())).count();
                if (fresh >= replicas && running == replicas) {
                    return new Run(target.name(), "update", replicas, (polledAt - t0) / 1e9, List.of(), List.of(), "");
                }
                if (polledAt - t0 > timeout.toNanos()) {
                    throw new IllegalStateException(target.name() + ": " + fresh + " of " + replicas + " tasks updated after " + timeout);
                }
            }
        } finally {
            String note = removeAndWait(target, id, name);
            if (!note.isEmpty()) {
                System.out.println("  note: " + note);
            }
        }
    }

    /** Creates a service and waits until its N tasks run; it is left running (a warm-up). */
    public String createRunning(SwarmTarget target, String name, int replicas) {
        String id = target.createService(name, replicas, false);
        awaitRunning(target, id, replicas, Set.of(), System.nanoTime(), new Timeline(Instant.now()), new HashSet<>());
        return id;
    }

    /** Time to replace {@code kill} killed tasks of a service of {@code replicas} with restart delay 0. */
    public Run heal(SwarmTarget target, String name, int replicas, int kill) {
        String id = target.createService(name, replicas, true);
        var events = new ConcurrentLinkedQueue<ShoalTarget.ReceivedEvent>();
        Disposable sub = null;
        try {
            awaitRunning(target, id, replicas, Set.of(), System.nanoTime(), new Timeline(Instant.now()), new HashSet<>());
            sleep(settle);
            List<TaskObservation> running = target.tasks(id).stream()
                    .filter(TaskObservation::isRunning)
                    .sorted(Comparator.comparingLong(TaskObservation::slot))
                    .limit(kill)
                    .toList();
            if (running.size() < kill) {
                throw new IllegalStateException(target.name() + ": only " + running.size() + " running tasks to kill");
            }
            Set<String> victims = new HashSet<>();
            List<String> containers = new ArrayList<>();
            for (TaskObservation t : running) {
                victims.add(t.taskId());
                containers.add(t.containerId() != null ? t.containerId() : name + "." + t.slot() + "." + t.taskId());
            }
            sub = target instanceof ShoalTarget s ? s.recordEvents(events) : null;
            if (sub != null) {
                sleep(Duration.ofMillis(200));
            }
            Instant startWall = Instant.now();
            long t0 = System.nanoTime();
            killAtOnce(containers);
            Timeline polled = new Timeline(startWall);
            Set<String> counted = new HashSet<>();
            long elapsed = awaitRunning(target, id, replicas, victims, t0, polled, counted);
            // only the replacement tasks have a story after the kill
            Set<String> replacements = new HashSet<>(counted);
            replacements.retainAll(polled.tasksCreatedAfterStart());
            List<String> ends = List.of("failed", "shutdown", "complete");
            List<Timeline.Stage> fromPolls = new ArrayList<>(polled.breakdown(victims, ends, "killed:"));
            fromPolls.addAll(polled.breakdown(replacements));
            List<Timeline.Stage> fromEvents = List.of();
            if (sub != null) {
                Timeline et = eventTimeline(events, startWall);
                fromEvents = new ArrayList<>(et.breakdown(victims, ends, "killed:"));
                fromEvents.addAll(et.breakdown(replacements));
            }
            return new Run(target.name(), "heal", replicas, elapsed / 1e9, fromPolls, fromEvents, "");
        } finally {
            if (sub != null) {
                sub.dispose();
            }
            String note = removeAndWait(target, id, name);
            if (!note.isEmpty()) {
                System.out.println("  note: " + note);
            }
        }
    }

    private void killAtOnce(List<String> containers) {
        ExecutorService pool = Executors.newFixedThreadPool(containers.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> kills = new ArrayList<>();
            for (String c : containers) {
                kills.add(pool.submit(() -> {
                    go.await();
                    engine.kill(c);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : kills) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("docker kill failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Polls every period (fixed rate from {@code t0}) until {@code replicas} tasks not in
     * {@code excluded} are running; returns nanoseconds from {@code t0} to the return of that poll.
     */
    private long awaitRunning(SwarmTarget target, String id, int replicas, Set<String> excluded, long t0,
                              Timeline timeline, Set<String> counted) {
        long period = pollPeriod.toNanos();
        long next = t0;
        while (true) {
            next += period;
            long now = System.nanoTime();
            if (next > now) {
                LockSupport.parkNanos(next - now);
            } else {
                next = now;
            }
            List<TaskObservation> tasks = target.tasks(id);
            long polledAt = System.nanoTime();
            timeline.observe(tasks, Instant.now());
            List<TaskObservation> running = tasks.stream()
                    .filter(TaskObservation::isRunning)
                    .filter(t -> !excluded.contains(t.taskId()))
                    .toList();
            if (running.size() >= replicas) {
                running.forEach(t -> counted.add(t.taskId()));
                return polledAt - t0;
            }
            if (polledAt - t0 > timeout.toNanos()) {
                Map<String, Long> states = new java.util.TreeMap<>();
                tasks.forEach(t -> states.merge(t.state() + "/" + t.desiredState(), 1L, Long::sum));
                throw new IllegalStateException(target.name() + ": " + running.size() + " of " + replicas
                        + " tasks running after " + timeout + " (observed/desired: " + states + ")");
            }
        }
    }

    /** Removes the service and waits (bounded) until its containers are gone; force-removes stragglers. */
    public String removeAndWait(SwarmTarget target, String id, String name) {
        String note = "";
        try {
            target.removeService(id);
        } catch (RuntimeException e) {
            note = "remove of " + name + " failed: " + e.getMessage() + "; ";
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> left = engine.containers(target.serviceIdLabel(), id, name + ".");
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(200));
            left = engine.containers(target.serviceIdLabel(), id, name + ".");
        }
        if (!left.isEmpty()) {
            note += target.name() + " left " + left.size() + " containers of " + name + " after 60 s; removed them";
            left.forEach(engine::forceRemove);
        }
        sleep(settle);
        return note;
    }

    private static Timeline eventTimeline(ConcurrentLinkedQueue<ShoalTarget.ReceivedEvent> events, Instant start) {
        Timeline t = new Timeline(start);
        for (ShoalTarget.ReceivedEvent re : events) {
            var e = re.event();
            if (!"task".equals(e.type()) || e.actor() == null || e.actor().attributes() == null) {
                continue;
            }
            String state = null;
            for (var a : e.actor().attributes().entrySet()) {
                if (a.getKey().equalsIgnoreCase("state")) {
                    state = a.getValue();
                }
            }
            if (state != null) {
                t.record(e.actor().id(), state, Instant.ofEpochSecond(0, e.timeNano()));
            }
        }
        return t;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
