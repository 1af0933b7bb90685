package dev.shoal.controlplane.scheduler;

/** A node must satisfy every placement constraint of the task ({@code node.labels.zone==east}). */
public final class ConstraintFilter implements NodeFilter {
    @Override
    public boolean check(Placing task, NodeInfo node) {
        for (Constraint c : task.constraints()) {
            if (!c.matches(node.node())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String explain(int nodes, Placing task) {
        return NodeFilter.nodesVerb(nodes, "does", "do") + " not satisfy the placement constraints ("
                + String.join(", ", task.constraints().stream().map(Constraint::toString).toList()) + ")";
    }
}
