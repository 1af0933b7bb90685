package dev.shoal.controlplane.scheduler;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Task;
import java.util.HashMap;
import java.util.Map;

/**
 * A node as one scheduling pass sees it: the node and the tasks it runs or is about to run,
 * counted as the pass assigns more. Confined to the pass that made it.
 */
public final class NodeInfo {
    private final Node node;
    private final Map<ServiceId, Integer> tasksByService = new HashMap<>();
    private int activeTasks;

    NodeInfo(Node node) {
        this.node = node;
    }

    public Node node() {
        return node;
    }

    /** Tasks meant to run on this node that have not ended. */
    public int activeTasks() {
        return activeTasks;
    }

    /** Of {@link #activeTasks()}, those of {@code service}. */
    public int tasksOf(ServiceId service) {
        return tasksByService.getOrDefault(service, 0);
    }

    void add(Task t) {
        activeTasks++;
        tasksByService.merge(t.serviceId(), 1, Integer::sum);
    }
}
