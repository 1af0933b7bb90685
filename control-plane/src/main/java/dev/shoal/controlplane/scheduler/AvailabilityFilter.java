package dev.shoal.controlplane.scheduler;

import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.Task;

/** Only nodes whose availability is {@code active} get new tasks ({@code pause} and {@code drain} do not). */
public final class AvailabilityFilter implements NodeFilter {
    @Override
    public boolean check(Task task, NodeInfo node) {
        NodeSpec spec = node.node().spec();
        return spec == null || spec.availability() == null || spec.availability() == NodeSpec.Availability.ACTIVE;
    }

    @Override
    public String explain(int nodes) {
        return NodeFilter.nodes(nodes) + " drained or paused";
    }
}
