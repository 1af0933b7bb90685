package dev.shoal.controlplane.orchestrator;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.controlplane.scheduler.Constraint;
import java.util.Locale;

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
        if (p.platforms() == null || p.platforms().isEmpty()) {
            return true;
        }
        NodeDescription.Platform actual = node.description() == null ? null : node.description().platform();
        for (NodeDescription.Platform wanted : p.platforms()) {
            if (same(wanted.os(), actual == null ? null : actual.os()) && sameArch(wanted.architecture(), actual == null ? null : actual.architecture())) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(String wanted, String actual) {
        return wanted == null || wanted.isBlank() || (actual != null && wanted.equalsIgnoreCase(actual));
    }

    private static boolean sameArch(String wanted, String actual) {
        return wanted == null || wanted.isBlank() || (actual != null && arch(wanted).equals(arch(actual)));
    }

    private static String arch(String a) {
        String s = a.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> s;
        };
    }
}
