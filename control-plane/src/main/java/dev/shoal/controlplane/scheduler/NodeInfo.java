package dev.shoal.controlplane.scheduler;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A node as one scheduling pass sees it: the node and the tasks it runs or is about to run, with
 * their reservations and host ports, counted as the pass assigns more. Confined to the pass that
 * made it.
 */
public final class NodeInfo {
    private final Node node;
    private final Map<ServiceId, Integer> tasksByService = new HashMap<>();
    private final Set<String> hostPorts = new HashSet<>();
    private int activeTasks;
    private long reservedNanoCpus;
    private long reservedMemoryBytes;

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

    /** CPU the node reported minus what its tasks reserve. */
    public long freeNanoCpus() {
        NodeDescription d = node.description();
        return (d == null || d.resources() == null ? 0 : d.resources().nanoCpus()) - reservedNanoCpus;
    }

    /** Memory the node reported minus what its tasks reserve. */
    public long freeMemoryBytes() {
        NodeDescription d = node.description();
        return (d == null || d.resources() == null ? 0 : d.resources().memoryBytes()) - reservedMemoryBytes;
    }

    /** Whether a task on this node publishes {@code port} ({@code <port>/<protocol>}) in host mode. */
    public boolean publishesHostPort(String port) {
        return hostPorts.contains(port);
    }

    void add(Placing p) {
        activeTasks++;
        tasksByService.merge(p.service(), 1, Integer::sum);
        reservedNanoCpus += p.nanoCpus();
        reservedMemoryBytes += p.memoryBytes();
        hostPorts.addAll(p.hostPorts());
    }
}
