package dev.shoal.controlplane.scheduler;

import dev.shoal.api.model.Task;

/**
 * One rule a node must pass to run a task, with the words that explain a refusal (swarmkit's
 * {@code Filter} with {@code Explain}). Filters are stateless and thread-safe.
 */
public interface NodeFilter {

    /** Whether {@code node} may run {@code task}. */
    boolean check(Task task, NodeInfo node);

    /** Why {@code nodes} nodes failed this filter, e.g. "2 nodes not available for new tasks". */
    String explain(int nodes);

    /** "1 node" or "n nodes". */
    static String nodes(int n) {
        return n == 1 ? "1 node" : n + " nodes";
    }
}
