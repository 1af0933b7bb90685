package dev.shoal.controlplane.scheduler;

/** Two tasks that publish the same port in host mode cannot run on one node. */
public final class HostPortFilter implements NodeFilter {
    @Override
    public boolean check(Placing task, NodeInfo node) {
        for (String port : task.hostPorts()) {
            if (node.publishesHostPort(port)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String explain(int nodes, Placing task) {
        return NodeFilter.nodesVerb(nodes, "already publishes", "already publish") + " host port " + String.join(", ", task.hostPorts());
    }
}
