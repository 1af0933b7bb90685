package dev.shoal.cli.progress;

import dev.shoal.api.model.Service;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.cli.console.ProgressDisplay.Line;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a replicated service and its tasks into progress lines, as Docker's
 * {@code replicatedProgressUpdater} does: {@code overall progress: 2 out of 3 tasks}, then one line
 * per slot with the state of the slot's live task and a bar ({@code 1/3: running   [===>]}). A slot
 * whose live task has not reached RUNNING and whose last attempt failed shows that error instead, so
 * that a rejected image or a crashing command is visible while the orchestrator retries.
 *
 * <p>The service has converged when exactly {@code replicas} live tasks run the service's current
 * task template. Slots are numbered 1..n in the order they are first seen, as Docker does, and keep
 * their number across updates; the tracker is therefore stateful. Not thread-safe.
 */
public final class ConvergenceTracker {
    /** Beyond this many replicas only the overall line is shown (Docker's limit). */
    public static final int MAX_PROGRESS_BARS = 20;
    static final int BAR_WIDTH = 50;
    /** Error text on a slot line is cut to this many characters (Docker's limit). */
    static final int MAX_ERROR_LENGTH = 100;
    /** {@code preparing}, the longest state word, so that the bars line up. */
    private static final int STATE_WIDTH = "preparing".length();

    /** What one update shows and whether the service has converged. */
    public record Progress(long running, long replicas, boolean converged, List<Line> lines, List<String> errors) {}

    private final Map<Long, Integer> displayedSlots = new HashMap<>();

    public Progress update(Service service, List<Task> tasks) {
        long replicas = service.spec().replicas();
        Map<Long, Task> live = liveTaskBySlot(tasks);
        Map<Long, Task> lastFailure = lastFailureBySlot(tasks);

        long running = 0;
        List<String> errors = new ArrayList<>();
        TreeMap<Integer, Line> ordered = new TreeMap<>();
        for (Map.Entry<Long, Task> e : new TreeMap<>(live).entrySet()) {
            Task task = e.getValue();
            int shown = displayedSlots.computeIfAbsent(e.getKey(), k -> displayedSlots.size() + 1);
            boolean current = isCurrent(task, service);
            if (task.status().state() == TaskState.RUNNING && current) {
                running++;
            }
            if (replicas > MAX_PROGRESS_BARS || shown > replicas) {
                continue;
            }
            String id = shown + "/" + replicas;
            String error = task.status().err();
            Task failure = lastFailure.get(e.getKey());
            if (error == null && task.status().state() != TaskState.RUNNING && failure != null
                    && !failure.createdAt().isAfter(orEpoch(task.createdAt()))) {
                error = failure.status().err();
            }
            if (error != null && !error.isBlank()) {
                errors.add(id + ": " + error);
                ordered.put(shown, new Line(id, truncate(error)));
            } else {
                ordered.put(shown, new Line(id, ("%-" + STATE_WIDTH + "s %s").formatted(task.status().state().wireName(), bar(task.status().state()))));
            }
        }
        // a slot with no live task but a failure (restart condition none, or not replaced yet)
        for (Map.Entry<Long, Task> e : new TreeMap<>(lastFailure).entrySet()) {
            if (live.containsKey(e.getKey())) {
                continue;
            }
            int shown = displayedSlots.computeIfAbsent(e.getKey(), k -> displayedSlots.size() + 1);
            if (replicas > MAX_PROGRESS_BARS || shown > replicas) {
                continue;
            }
            String id = shown + "/" + replicas;
            errors.add(id + ": " + e.getValue().status().err());
            ordered.put(shown, new Line(id, truncate(e.getValue().status().err())));
        }
        boolean converged = running == replicas && live.size() == replicas;
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("overall progress", running + " out of " + replicas + " tasks"));
        lines.addAll(ordered.values());
        return new Progress(running, replicas, converged, lines, errors);
    }

    /**
     * Per slot, the task the service counts on: desired and observed state both between NEW and
     * RUNNING; on a tie the lower desired state wins, then the lower observed state (as Docker,
     * for restarts and start-first updates).
     */
    static Map<Long, Task> liveTaskBySlot(List<Task> tasks) {
        Map<Long, Task> bySlot = new HashMap<>();
        for (Task t : tasks) {
            if (t.status() == null || t.desiredState() == null
                    || t.desiredState().isTerminal() || t.status().state().isTerminal()) {
                continue;
            }
            Task existing = bySlot.get(t.slot());
            if (existing != null) {
                int byDesired = existing.desiredState().compareTo(t.desiredState());
                if (byDesired < 0 || (byDesired == 0 && existing.status().state().compareTo(t.status().state()) <= 0)) {
                    continue;
                }
            }
            bySlot.put(t.slot(), t);
        }
        return bySlot;
    }

    /** Per slot, the newest task that ended FAILED or REJECTED with an error. */
    static Map<Long, Task> lastFailureBySlot(List<Task> tasks) {
        Map<Long, Task> bySlot = new HashMap<>();
        Comparator<Task> newest = Comparator.comparing(t -> orEpoch(t.createdAt()));
        for (Task t : tasks) {
            if (t.status() == null || t.status().err() == null || t.status().err().isBlank()
                    || (t.status().state() != TaskState.FAILED && t.status().state() != TaskState.REJECTED)) {
                continue;
            }
            bySlot.merge(t.slot(), t, (a, b) -> newest.compare(a, b) >= 0 ? a : b);
        }
        return bySlot;
    }

    /** True when the task runs the service's current template (after an update, old tasks do not count). */
    static boolean isCurrent(Task task, Service service) {
        return task.spec() == null || service.spec().taskTemplate() == null
                || task.spec().equals(service.spec().taskTemplate());
    }

    /** Docker's bar: a state's place between NEW (1) and RUNNING (9), 50 characters wide. */
    static String bar(TaskState state) {
        int step = switch (state) {
            case NEW -> 1;
            case PENDING -> 3;
            case ASSIGNED -> 4;
            case ACCEPTED -> 5;
            case PREPARING -> 6;
            case READY -> 7;
            case STARTING -> 8;
            case RUNNING -> 9;
            default -> 0;
        };
        int filled = Math.min(BAR_WIDTH, (int) (step / 9.0 * 100) / 2);
        return "[" + "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled) + "]";
    }

    static String truncate(String error) {
        String oneLine = error.replace('\n', ' ');
        return oneLine.length() <= MAX_ERROR_LENGTH ? oneLine : oneLine.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    private static Instant orEpoch(Instant i) {
        return i == null ? Instant.EPOCH : i;
    }
}
