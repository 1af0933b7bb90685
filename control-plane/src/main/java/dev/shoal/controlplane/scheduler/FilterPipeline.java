package dev.shoal.controlplane.scheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * Filters applied in order; a node is refused by the first filter it fails, and the refusals are
 * counted per filter to explain a task that fits nowhere: {@code no suitable node (1 node not
 * available for new tasks; 2 nodes drained or paused; 1 node lacks 512 MiB of memory)}.
 */
public final class FilterPipeline {
    private final List<NodeFilter> filters;

    public FilterPipeline(List<NodeFilter> filters) {
        this.filters = List.copyOf(filters);
    }

    /**
     * Docker's filters in Docker's order: ready, active, resources, constraints, platform, host-mode
     * ports, max replicas per node.
     */
    public static FilterPipeline defaults() {
        return new FilterPipeline(List.of(new ReadyFilter(), new AvailabilityFilter(), new ResourceFilter(), new ConstraintFilter(),
                new PlatformFilter(), new HostPortFilter(), new MaxReplicasFilter()));
    }

    /** Whether {@code node} passes every filter. */
    public boolean passes(Placing task, NodeInfo node) {
        return firstFailing(task, node) < 0;
    }

    /** The nodes that may run {@code task}. */
    public List<NodeInfo> eligible(Placing task, List<NodeInfo> nodes) {
        List<NodeInfo> out = new ArrayList<>(nodes.size());
        for (NodeInfo n : nodes) {
            if (firstFailing(task, n) < 0) {
                out.add(n);
            }
        }
        return out;
    }

    /** Why none of {@code nodes} may run {@code task}. */
    public String explain(Placing task, List<NodeInfo> nodes) {
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
                parts.add(filters.get(i).explain(refused[i], task));
            }
        }
        return "no suitable node (" + String.join("; ", parts) + ")";
    }

    private int firstFailing(Placing task, NodeInfo node) {
        for (int i = 0; i < filters.size(); i++) {
            if (!filters.get(i).check(task, node)) {
                return i;
            }
        }
        return -1;
    }
}
