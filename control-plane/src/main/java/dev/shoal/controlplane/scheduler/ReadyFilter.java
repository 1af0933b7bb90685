package dev.shoal.controlplane.scheduler;

/** Only nodes whose agent is connected and heartbeating (status READY) get new tasks. */
public final class ReadyFilter implements NodeFilter {
    @Override
    public boolean check(Placing task, NodeInfo node) {
        return node.node().isReady();
    }

    @Override
    public String explain(int nodes, Placing task) {
        return NodeFilter.nodes(nodes) + " not available for new tasks";
    }
}
