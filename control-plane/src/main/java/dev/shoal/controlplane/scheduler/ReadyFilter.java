package dev.shoal.controlplane.scheduler;

import dev.shoal.api.model.Task;

/** Only nodes whose agent is connected and heartbeating (status READY) get new tasks. */
public final class ReadyFilter implements NodeFilter {
    @Override
    public boolean check(Task task, NodeInfo node) {
        return node.node().isReady();
    }

    @Override
    public String explain(int nodes) {
        return NodeFilter.nodes(nodes) + " not available for new tasks";
    }
}
