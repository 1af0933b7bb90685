package dev.shoal.perf;

import dev.shoal.perf.systems.TaskObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * When each task of one measurement first reached each state, relative to the measurement's
 * start. Fed by polls of the task list (the state's own timestamp, as the manager recorded it) and,
 * for Shoal, by the events stream (the commit time of each state change). Not thread-safe.
 */
public final class Timeline {
    /** Docker's task states up to RUNNING, in order (Docker Swarm may report "allocated" too). */
    public static final List<String> STATES = List.of(
            "new", "pending", "allocated", "assigned", "accepted", "preparing", "ready", "starting", "running");

    private final Instant start;
    /** task id → state → first time. */
    private final Map<String, Map<String, Instant>> reached = new HashMap<>();

    public Timeline(Instant start) {
        this.start = start;
    }

    public Instant start() {
        return start;
    }

    /** Records one poll; {@code pollTime} stands in for a state that carries no timestamp. */
    public void observe(List<TaskObservation> tasks, Instant pollTime) {
        for (TaskObservation t : tasks) {
            if (t.createdAt() != null) {
                record(t.taskId(), "new", t.createdAt());
            }
            record(t.taskId(), t.state(), t.stateSince() != null ? t.stateSince() : pollTime);
        }
    }

    /** Records that {@code taskId} was in {@code state} at {@code at}; the earliest time wins. */
    public void record(String taskId, String state, Instant at) {
        if (taskId == null || state == null || at == null) {
            return;
        }
        reached.computeIfAbsent(taskId, k -> new HashMap<>()).merge(state.toLowerCase(Locale.ROOT), at,
                (a, b) -> a.isBefore(b) ? a : b);
    }

    /** One row of a breakdown: how long after the start the tasks reached {@code state}. */
    public record Stage(String state, int tasks, double medianMs, double lastMs) {}

    /** Per state, over the tasks in {@code taskIds} (all when null) that were seen in it. */
    public List<Stage> breakdown(Set<String> taskIds) {
        return breakdown(taskIds, STATES, "");
    }

    /** Per state of {@code states}, over the tasks in {@code taskIds}; rows named {@code prefix + state}. */
    public List<Stage> breakdown(Set<String> taskIds, List<String> states, String prefix) {
        List<Stage> out = new ArrayList<>();
        for (String s : states) {
            List<Double> ms = new ArrayList<>();
            for (var e : reached.entrySet()) {
                if (taskIds != null && !taskIds.contains(e.getKey())) {
                    continue;
                }
                Instant at = e.getValue().get(s);
                if (at != null) {
                    ms.add(Duration.between(start, at).toNanos() / 1e6);
                }
            }
            if (!ms.isEmpty()) {
                out.add(new Stage(prefix + s, ms.size(), Stats.median(ms), ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
            }
        }
        return out;
    }

    /** Task ids that reached {@code state}. */
    public Set<String> tasksThatReached(String state) {
        Set<String> ids = new java.util.HashSet<>();
        reached.forEach((id, m) -> {
            if (m.containsKey(state)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Task ids created (state NEW) at or after the start. */
    public Set<String> tasksCreatedAfterStart() {
        Set<String> ids = new java.util.HashSet<>();
        reached.forEach((id, m) -> {
            Instant created = m.get("new");
            if (created != null && !created.isBefore(start)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Sort key of a row name: killed tasks' rows first, then Docker's state order. */
    private static int rank(String row) {
        boolean killed = row.startsWith("killed:");
        String state = killed ? row.substring("killed:".length()) : row;
        int i = STATES.indexOf(state);
        return (killed ? 0 : 100) + (i < 0 ? 50 : i);
    }

    /** A printable table of a breakdown, one line per state. */
    public static String format(List<Stage> stages) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "    %-16s %6s %12s %12s%n", "state", "tasks", "median ms", "last ms"));
        for (Stage s : stages) {
            b.append(String.format(Locale.ROOT, "    %-16s %6d %12.1f %12.1f%n", s.state(), s.tasks(), s.medianMs(), s.lastMs()));
        }
        return b.toString();
    }

    /** Averages several breakdowns of the same kind of measurement, state by state (medians of the rows). */
    public static List<Stage> medianOf(List<List<Stage>> runs) {
        Map<String, List<Stage>> byState = new LinkedHashMap<>();
        for (List<Stage> run : runs) {
            for (Stage st : run) {
                byState.computeIfAbsent(st.state(), k -> new ArrayList<>()).add(st);
            }
        }
        List<Stage> out = new ArrayList<>();
        List<String> order = new ArrayList<>(byState.keySet());
        order.sort(java.util.Comparator.comparingInt(Timeline::rank));
        Map<String, List<Stage>> sorted = new LinkedHashMap<>();
        order.forEach(k -> sorted.put(k, byState.get(k)));
        sorted.forEach((state, rows) -> {
            if (!rows.isEmpty()) {
                out.add(new Stage(state,
                        (int) Math.round(Stats.median(rows.stream().map(r -> (double) r.tasks()).toList())),
                        Stats.median(rows.stream().map(Stage::medianMs).toList()),
                        Stats.median(rows.stream().map(Stage::lastMs).toList())));
            }
        });
        return out;
    }
}
