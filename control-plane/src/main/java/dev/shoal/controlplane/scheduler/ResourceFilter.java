package dev.shoal.controlplane.scheduler;

/**
 * A node gets a task only while the reservations of the tasks it has, plus this one's, fit in the
 * CPUs and memory it reported (Docker's {@code --reserve-cpu}, {@code --reserve-memory}).
 */
public final class ResourceFilter implements NodeFilter {
    @Override
    public boolean check(Placing task, NodeInfo node) {
        return (task.nanoCpus() == 0 || node.freeNanoCpus() >= task.nanoCpus())
                && (task.memoryBytes() == 0 || node.freeMemoryBytes() >= task.memoryBytes());
    }

    @Override
    public String explain(int nodes, Placing task) {
        StringBuilder what = new StringBuilder();
        if (task.memoryBytes() > 0) {
            what.append(Units.bytes(task.memoryBytes())).append(" of memory");
        }
        if (task.nanoCpus() > 0) {
            what.append(what.isEmpty() ? "" : " or ").append(Units.cpus(task.nanoCpus()));
        }
        return NodeFilter.nodesVerb(nodes, "lacks", "lack") + " " + what;
    }
}
