package dev.shoal.controlplane.orchestrator;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.controlplane.scheduler.Constraint;
import dev.shoal.controlplane.scheduler.PlatformFilter;

/**
 * Whether a node is one a task template may run on at all, apart from what runs there now: its
 * constraints and platforms. The global orchestrator asks it which nodes get a task, the
 * constraint enforcer which tasks must leave a node. (Resources, ports and readiness are the
 * scheduler's to check when it places the task.)
 */
public final class NodeFit {
    private NodeFit() {}

    /** The template's constraints and platforms allow {@code node}. A constraint that does not parse fits nowhere. */
    public static boolean allows(TaskSpec spec, Node node) {
        Placement p = spec == null ? null : spec.placement();
        if (p == null) {
            return true;
        }
        try {
            for (Constraint c : Constraint.parseAll(p.constraints())) {
                if (!c.matches(node)) {
                    return false;
                }
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return PlatformFilter.allows(p.platforms(), node.description() == null ? null : node.description().platform());
    }
}
