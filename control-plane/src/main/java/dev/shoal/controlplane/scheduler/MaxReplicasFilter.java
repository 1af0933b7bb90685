package dev.shoal.controlplane.scheduler;

/** {@code --replicas-max-per-node}: a node runs at most that many tasks of the service. */
public final class MaxReplicasFilter implements NodeFilter {
    @Override
    public boolean check(Placing task, NodeInfo node) {
        return task.maxReplicas() <= 0 || node.tasksOf(task.service()) < task.maxReplicas();
    }

    @Override
    public String explain(int nodes, Placing task) {
        return NodeFilter.nodesVerb(nodes, "runs", "run") + " the most tasks of the service allowed per node (" + task.maxReplicas() + ")";
    }
}
