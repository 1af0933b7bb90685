package dev.shoal.cli.progress;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.Version;
import dev.shoal.controlplane.scheduler.Constraint;
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

    /**
     * What one update shows and whether the service has converged. For a job, {@code running}
     * counts completed tasks and {@code replicas} the completions wanted; a job needs no verify
     * window ({@code job} is true).
     */
    public record Progress(long running, long replicas, boolean converged, List<Line> lines, List<String> errors, boolean job) {
        public Progress(long running, long replicas, boolean converged, List<Line> lines, List<String> errors) {
            this(running, replicas, converged, lines, errors, false);
        }
    }

    private final Map<Long, Integer> displayedSlots = new HashMap<>();

    /** The progress of a replicated service (the other modes need the nodes, see the overload). */
    public Progress update(Service service, List<Task> tasks) {
        return update(service, tasks, List.of());
    }

    /**
     * The progress of a service of any mode. {@code nodes} matter for the global modes only: a
     * global service expects one task on every ready, active node that passes its constraints.
     */
    public Progress update(Service service, List<Task> tasks, List<Node> nodes) {
        return switch (service.spec().modeKind()) {
            case REPLICATED -> replicated(service, tasks);
            case GLOBAL -> global(service, tasks, nodes);
            case REPLICATED_JOB -> replicatedJob(service, tasks);
            case GLOBAL_JOB -> globalJob(service, tasks, nodes);
        };
    }

    /**
     * As Docker's {@code globalProgressUpdater}: one line per eligible node, named by its short
     * id, with the state of the node's live task.
     */
    private Progress global(Service service, List<Task> tasks, List<Node> nodes) {
        List<Node> eligible = eligibleNodes(service, nodes);
        Map<String, List<Task>> byNode = new HashMap<>();
        for (Task t : tasks) {
            if (t.nodeId() != null && t.status() != null) {
                byNode.computeIfAbsent(t.nodeId().value(), k -> new ArrayList<>()).add(t);
            }
        }
        Map<String, Task> live = new HashMap<>();
        Map<String, Task> failures = new HashMap<>();
        byNode.forEach((node, nodeTasks) -> {
            liveTaskBySlot(nodeTasks).values().stream().findFirst().ifPresent(t -> live.put(node, t));
            lastFailureBySlot(nodeTasks).values().stream().findFirst().ifPresent(t -> failures.put(node, t));
        });
        long running = 0;
        List<String> errors = new ArrayList<>();
        List<Line> nodeLines = new ArrayList<>();
        for (Node n : eligible) {
            Task task = live.get(n.id().value());
            Task failure = failures.get(n.id().value());
            String id = n.id().shortForm();
            if (task != null && task.status().state() == TaskState.RUNNING && isCurrent(task, service)) {
                running++;
            }
            String error = task == null ? null : task.status().err();
            if ((error == null || error.isBlank()) && failure != null && (task == null || task.status().state() != TaskState.RUNNING)) {
                error = failure.status().err();
            }
            if (error != null && !error.isBlank()) {
                errors.add(id + ": " + error);
                nodeLines.add(new Line(id, truncate(error)));
            } else if (task != null) {
                nodeLines.add(new Line(id, ("%-" + STATE_WIDTH + "s %s").formatted(task.status().state().wireName(), bar(task.status().state()))));
            }
        }
        long expected = eligible.size();
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("overall progress", running + " out of " + expected + " tasks"));
        if (expected <= MAX_PROGRESS_BARS) {
            lines.addAll(nodeLines);
        }
        return new Progress(running, expected, running == expected, lines, errors);
    }

    /**
     * As Docker's job progress: {@code job progress: 2 out of 5 complete} and
     * {@code active tasks: 1 out of 2 tasks}; done when the completions of the current run reach
     * TotalCompletions.
     */
    private Progress replicatedJob(Service service, List<Task> tasks) {
        ServiceMode.ReplicatedJob job = service.spec().mode().replicatedJob();
        long maxConcurrent = job.maxConcurrent() == null ? 1 : job.maxConcurrent();
        long total = job.totalCompletions() == null ? maxConcurrent : job.totalCompletions();
        List<Task> current = currentRun(service, tasks);
        long completed = current.stream().filter(t -> t.status().state() == TaskState.COMPLETE).count();
        // a job's tasks are desired COMPLETE, so "live" here is: not ended, and not being shut down
        long active = current.stream().filter(t -> !t.status().state().isTerminal()
                && t.desiredState() != null && t.desiredState().compareTo(TaskState.COMPLETE) <= 0).count();
        List<String> errors = failureErrors(current);
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("job progress", completed + " out of " + total + " complete"));
        lines.add(new Line("active tasks", active + " out of " + maxConcurrent + " tasks"));
        errors.forEach(e -> lines.add(new Line("error", truncate(e))));
        return new Progress(completed, total, completed >= total, lines, errors, true);
    }

    /** A global job: one completion on every eligible node. */
    private Progress globalJob(Service service, List<Task> tasks, List<Node> nodes) {
        List<Node> eligible = eligibleNodes(service, nodes);
        List<Task> current = currentRun(service, tasks);
        long completed = eligible.stream().filter(n -> current.stream().anyMatch(t -> t.nodeId() != null
                && t.nodeId().equals(n.id()) && t.status().state() == TaskState.COMPLETE)).count();
        List<String> errors = failureErrors(current);
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("job progress", completed + " out of " + eligible.size() + " complete"));
        errors.forEach(e -> lines.add(new Line("error", truncate(e))));
        return new Progress(completed, eligible.size(), completed >= eligible.size(), lines, errors, true);
    }

    /** The tasks of the job's current run (all of them when the service has no job status yet). */
    private static List<Task> currentRun(Service service, List<Task> tasks) {
        Version iteration = service.jobStatus() == null ? null : service.jobStatus().jobIteration();
        return tasks.stream().filter(t -> t.status() != null)
                .filter(t -> iteration == null || t.jobIteration() == null || iteration.equals(t.jobIteration()))
                .toList();
    }

    private static List<String> failureErrors(List<Task> tasks) {
        List<String> errors = new ArrayList<>();
        for (Task t : lastFailureBySlot(tasks).values()) {
            errors.add(t.status().err());
        }
        return errors;
    }

    /** Ready, active nodes that pass the service's constraints (a malformed one is the daemon's to refuse). */
    static List<Node> eligibleNodes(Service service, List<Node> nodes) {
        Placement placement = service.spec().taskTemplate() == null ? null : service.spec().taskTemplate().placement();
        List<Constraint> constraints;
        try {
            constraints = Constraint.parseAll(placement == null ? null : placement.constraints());
        } catch (IllegalArgumentException e) {
            constraints = List.of();
        }
        List<Constraint> all = constraints;
        return nodes.stream()
                .filter(Node::isReady)
                .filter(n -> n.spec() == null || n.spec().availability() == null || n.spec().availability() == NodeSpec.Availability.ACTIVE)
                .filter(n -> all.stream().allMatch(c -> c.matches(n)))
                .sorted(Comparator.comparing((Node n) -> n.id().value()))
                .toList();
    }

    private Progress replicated(Service service, List<Task> tasks) {
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
