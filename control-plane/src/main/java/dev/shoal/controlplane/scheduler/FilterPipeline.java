package dev.shoal.controlplane.scheduler;

import dev.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Filters applied in order; a node is refused by the first filter it fails, and the refusals are
 * counted per filter to explain a task that fits nowhere: {@code no suitable node (1 node not
 * available for new tasks; 2 nodes drained or paused)}.
 */
public final class FilterPipeline {
    private final List<NodeFilter> filters;

    public FilterPipeline(List<NodeFilter> filters) {
        this.filters = List.copyOf(filters);
    }

    /** Docker's filters for this stage of Shoal: ready nodes with active availability. */
    public static FilterPipeline defaults() {
        return new FilterPipeline(List.of(new ReadyFilter(), new AvailabilityFilter()));
    }

    /** The nodes that may run {@code task}. */
    public List<NodeInfo> eligible(Task task, List<NodeInfo> nodes) {
        List<NodeInfo> out = new ArrayList<>(nodes.size());
        for (NodeInfo n : nodes) {
            if (firstFailing(task, n) < 0) {
                out.add(n);
            }
        }
        return out;
    }

    /** Why no node may run {@code task}. */
    public String explain(Task task, List<NodeInfo> nodes) {
        if (nodes.isEmpty()) {
            return "no suitable node (the swarm has no nodes)";
        }
        int[] refused = new int[filters.size()];
        for (NodeInfo n : nodes) {
            int f = firstFailing(task, n);
            if (f >= 0) {
                refused[f]++;
            }
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < refused.length; i++) {
            if (refused[i] > 0) {
                parts.add(filters.get(i).explain(refused[i]));
            }
        }
        return "no suitable node (" + String.join("; ", parts) + ")";
    }

    private int firstFailing(Task task, NodeInfo node) {
        for (int i = 0; i < filters.size(); i++) {
            if (!filters.get(i).check(task, node)) {
                return i;
            }
        }
        return -1;
    }
}
