package dev.shoal.controlplane.scheduler;

/**
 * One rule a node must pass to run a task, with the words that explain a refusal (swarmkit's
 * {@code Filter} with {@code Explain}). Filters are stateless and thread-safe; what a pass has
 * placed so far is in the {@link NodeInfo}.
 */
public interface NodeFilter {

    /** Whether {@code node} may run a task placed as {@code task}. */
    boolean check(Placing task, NodeInfo node);

    /** Why {@code nodes} nodes failed this filter for {@code task}, e.g. "2 nodes not available for new tasks". */
    String explain(int nodes, Placing task);

    /** "1 node" or "n nodes". */
    static String nodes(int n) {
        return n == 1 ? "1 node" : n + " nodes";
    }

    /** "1 node lacks" or "n nodes lack". */
    static String nodesVerb(int n, String singular, String plural) {
        return nodes(n) + " " + (n == 1 ? singular : plural);
    }
}
