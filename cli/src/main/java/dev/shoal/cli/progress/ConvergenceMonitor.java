package dev.shoal.cli.progress;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.EventFilter;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.cli.console.ProgressDisplay.Line;
import dev.shoal.cli.format.GoDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import reactor.core.Disposable;

/**
 * Waits for a service to converge, as {@code docker service create|update|rollback} do without
 * {@code --detach}: it watches the daemon's {@code events} stream, and on every task or service
 * event (or once a second) reads the service, its tasks and the nodes, shows the progress, and
 * returns once the service has stayed converged for the verify window
 * ({@code verify: Service converged}). A failing task does not end the wait: its error is shown on
 * its slot's line while the orchestrator retries. The wait ends unconverged at the timeout.
 *
 * <p>After an update or a rollback the monitor also follows the service's {@link UpdateStatus}:
 * the service has converged only once the update (or rollback) completed; a paused update or
 * rollback ends the wait at once with the status message ({@code service update paused: ...}); a
 * rollback the updater started on its own is shown ({@code rollback: update rolled back due to
 * failure ...}) and followed, and the outcome then carries a failure, since the update did not
 * take. A status older than the write is not followed: a {@code service update} that changes
 * only the replica count starts no rollout.
 *
 * <p>Blocking: runs on the caller's thread (the CLI's main thread); the events subscription only
 * wakes it up. Time comes from the clock and waits go through a {@link Waiter}, so tests drive
 * both.
 */
public final class ConvergenceMonitor {
    /**
     * How the wait ended. {@code errors} are the slot errors seen last ({@code 1/3: <error>});
     * {@code failure}, when not null, is why the operation did not succeed although the wait
     * ended (paused, rolled back).
     */
    public record Outcome(boolean converged, long running, long replicas, List<String> errors, String failure) {
        public Outcome(boolean converged, long running, long replicas, List<String> errors) {
            this(converged, running, replicas, errors, null);
        }

        public boolean succeeded() {
            return converged && failure == null;
        }
    }

    /** What one look at the daemon sees. {@code nodes} matter for the global modes only. */
    public record Snapshot(Service service, List<Task> tasks, List<Node> nodes) {}

    /** Reads a {@link Snapshot}. */
    @FunctionalInterface
    public interface Source {
        Snapshot read();
    }

    /** Waits at most {@code max}, returning early when something changed. */
    @FunctionalInterface
    public interface Waiter {
        void await(Duration max) throws InterruptedException;
    }

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final ShoalClient client;
    private final Consumer<List<Line>> display;
    private final Clock clock;
    private final Duration verifyWindow;
    private final Duration timeout;

    /**
     * @param client       the daemon; may be null when only {@link #follow} is used
     * @param display      receives the progress block each time it is recomputed
     * @param verifyWindow how long the service must stay converged (Docker: 5 s)
     * @param timeout      how long to wait in all
     */
    public ConvergenceMonitor(ShoalClient client, Consumer<List<Line>> display, Clock clock, Duration verifyWindow, Duration timeout) {
        this.client = client;
        this.display = display;
        this.clock = clock;
        this.verifyWindow = verifyWindow;
        this.timeout = timeout;
    }

    /** Waits for the service {@code serviceId} to converge, not following its update status. */
    public Outcome await(String serviceId) throws InterruptedException {
        return await(serviceId, null);
    }

    /**
     * Waits for the service {@code serviceId} to converge and, when {@code written} (the status
     * the write returned) is an update or rollback in progress, for it to complete.
     *
     * @throws dev.shoal.api.error.ApiException when the service disappears (NOT_FOUND) or the
     *                                          daemon fails
     */
    public Outcome await(String serviceId, UpdateStatus written) throws InterruptedException {
        Semaphore wake = new Semaphore(0);
        Disposable events = client.events(new EventFilter(List.of("task", "service")))
                .subscribe(e -> wake.release(), e -> wake.release());
        try {
            Source source = () -> {
                Service service = client.serviceInspect(serviceId).block(REPLY_TIMEOUT);
                List<Task> tasks = client.taskList(new TaskFilter(serviceId, null, null)).collectList().block(REPLY_TIMEOUT);
                ServiceMode.Kind kind = service.spec().modeKind();
                List<Node> nodes = kind == ServiceMode.Kind.GLOBAL || kind == ServiceMode.Kind.GLOBAL_JOB
                        ? client.nodeList().collectList().block(REPLY_TIMEOUT) : List.of();
                return new Snapshot(service, tasks, nodes);
            };
            Waiter waiter = max -> {
                if (wake.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            };
            return follow(source, waiter, written);
        } finally {
            events.dispose();
        }
    }

    /** The loop itself, over any source of snapshots. */
    public Outcome follow(Source source, Waiter waiter, UpdateStatus written) throws InterruptedException {
        ConvergenceTracker tracker = new ConvergenceTracker();
        boolean following = written != null && written.state() != null && written.state().isInProgress();
        boolean manualRollback = following && written.state().isRollback();
        Line rollbackLine = null;
        Instant deadline = clock.instant().plus(timeout);
        Instant convergedAt = null;
        while (true) {
            Snapshot snapshot = source.read();
            ConvergenceTracker.Progress progress = tracker.update(snapshot.service(), snapshot.tasks(), snapshot.nodes());
            // a job's run ends with its completions, not with an update status
            UpdateStatus status = following && !progress.job() ? current(snapshot.service().updateStatus(), written) : null;
            boolean rollingBack = status != null && status.state().isRollback();
            if (rollingBack && rollbackLine == null) {
                rollbackLine = new Line("rollback", status.message() == null || status.message().isBlank()
                        ? (manualRollback ? "manually requested rollback" : "update rolled back") : status.message());
            }
            Instant now = clock.instant();
            List<Line> lines = new ArrayList<>();
            if (rollbackLine != null) {
                lines.add(rollbackLine);
            }
            for (Line l : progress.lines()) {
                lines.add(rollingBack && l.id().equals("overall progress") ? new Line(l.id(), "rolling back update: " + l.text()) : l);
            }
            if (status != null && status.state().isPaused()) {
                display.accept(lines);
                String what = status.state() == UpdateStatus.State.PAUSED ? "service update paused" : "service rollback paused";
                return new Outcome(false, progress.running(), progress.replicas(), progress.errors(),
                        what + (status.message() == null || status.message().isBlank() ? "" : ": " + status.message()));
            }
            boolean statusDone = status == null || status.state() == UpdateStatus.State.COMPLETED
                    || status.state() == UpdateStatus.State.ROLLBACK_COMPLETED;
            if (progress.converged() && statusDone) {
                if (convergedAt == null) {
                    convergedAt = now;
                }
                Duration left = progress.job() ? Duration.ZERO : verifyWindow.minus(Duration.between(convergedAt, now));
                if (left.isNegative() || left.isZero()) {
                    lines.add(new Line("verify", "Service converged"));
                    display.accept(lines);
                    String failure = rollingBack && !manualRollback ? "service update rolled back: " + rollbackLine.text() : null;
                    return new Outcome(true, progress.running(), progress.replicas(), progress.errors(), failure);
                }
                long seconds = (left.toMillis() + 999) / 1000;
                lines.add(new Line("verify", "Waiting " + seconds + (seconds == 1 ? " second" : " seconds") + " to verify that tasks are stable..."));
            } else if (convergedAt != null) {
                lines.add(new Line("verify", "Detected task failure"));
                convergedAt = null;
            }
            display.accept(lines);
            if (!now.isBefore(deadline)) {
                return new Outcome(false, progress.running(), progress.replicas(), progress.errors());
            }
            // wake on the next event, or after a second for the verify countdown and the timeout
            waiter.await(POLL);
        }
    }

    /** The status to follow: the service's, unless it is older than the one the write returned. */
    private static UpdateStatus current(UpdateStatus seen, UpdateStatus written) {
        if (seen == null || seen.state() == null) {
            return written;
        }
        if (seen.startedAt() != null && written.startedAt() != null && seen.startedAt().isBefore(written.startedAt())) {
            return written;
        }
        return seen;
    }

    /** The message for a wait that timed out. */
    public static String timeoutMessage(String service, Outcome outcome, Duration timeout) {
        StringBuilder sb = new StringBuilder("service ").append(service).append(" has not converged after ")
                .append(GoDuration.format(timeout)).append(" (").append(outcome.running()).append(" out of ")
                .append(outcome.replicas()).append(" tasks running)");
        if (!outcome.errors().isEmpty()) {
            sb.append("; last errors:");
            outcome.errors().forEach(e -> sb.append("\n  ").append(e));
        }
        sb.append("\nThe service keeps converging in the background; check it with `shoal service ps ").append(service).append('`');
        return sb.toString();
    }
}
