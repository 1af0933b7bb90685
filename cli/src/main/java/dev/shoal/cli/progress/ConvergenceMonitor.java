package dev.shoal.cli.progress;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.EventFilter;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
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
 * Waits for a service to converge, as {@code docker service create} does without {@code --detach}:
 * it watches the daemon's {@code events} stream, and on every task or service event (or once a
 * second) reads the service and its tasks, shows the progress, and returns once the service has
 * stayed converged for the verify window ({@code verify: Service converged}). A failing task does
 * not end the wait: its error is shown on its slot's line while the orchestrator retries. The wait
 * ends unconverged only at the timeout.
 *
 * <p>Blocking: runs on the caller's thread (the CLI's main thread); the events subscription only
 * wakes it up.
 */
public final class ConvergenceMonitor {
    /** How the wait ended. {@code errors} are the slot errors seen last ({@code 1/3: <error>}). */
    public record Outcome(boolean converged, long running, long replicas, List<String> errors) {}

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final ShoalClient client;
    private final Consumer<List<Line>> display;
    private final Clock clock;
    private final Duration verifyWindow;
    private final Duration timeout;

    /**
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

    /**
     * Waits for the service {@code serviceId} to converge.
     *
     * @throws dev.shoal.api.error.ApiException when the service disappears (NOT_FOUND) or the
     *                                          daemon fails
     */
    public Outcome await(String serviceId) throws InterruptedException {
        Semaphore wake = new Semaphore(0);
        Disposable events = client.events(new EventFilter(List.of("task", "service")))
                .subscribe(e -> wake.release(), e -> wake.release());
        try {
            return loop(serviceId, wake);
        } finally {
            events.dispose();
        }
    }

    private Outcome loop(String serviceId, Semaphore wake) throws InterruptedException {
        ConvergenceTracker tracker = new ConvergenceTracker();
        Instant deadline = clock.instant().plus(timeout);
        Instant convergedAt = null;
        ConvergenceTracker.Progress progress;
        while (true) {
            Service service = client.serviceInspect(serviceId).block(REPLY_TIMEOUT);
            List<Task> tasks = client.taskList(new TaskFilter(serviceId, null, null)).collectList().block(REPLY_TIMEOUT);
            progress = tracker.update(service, tasks);
            Instant now = clock.instant();
            List<Line> lines = new ArrayList<>(progress.lines());
            if (progress.converged()) {
                if (convergedAt == null) {
                    convergedAt = now;
                }
                Duration left = verifyWindow.minus(Duration.between(convergedAt, now));
                if (left.isNegative() || left.isZero()) {
                    lines.add(new Line("verify", "Service converged"));
                    display.accept(lines);
                    return new Outcome(true, progress.running(), progress.replicas(), progress.errors());
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
            if (wake.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
        }
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
