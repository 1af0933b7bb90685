package dev.shoal.controlplane.scheduler;

import dev.shoal.api.model.NodeSpec;

/** Only nodes whose availability is {@code active} get new tasks ({@code pause} and {@code drain} do not). */
public final class AvailabilityFilter implements NodeFilter {
    @Override
    public boolean check(Placing task, NodeInfo node) {
        NodeSpec spec = node.node().spec();
        return spec == null || spec.availability() == null || spec.availability() == NodeSpec.Availability.ACTIVE;
    }

    @Override
    public String explain(int nodes, Placing task) {
        return NodeFilter.nodes(nodes) + " drained or paused";
    }
}
