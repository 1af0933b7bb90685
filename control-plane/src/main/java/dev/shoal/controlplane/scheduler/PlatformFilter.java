package dev.shoal.controlplane.scheduler;

import dev.shoal.api.model.NodeDescription;
import java.util.List;
import java.util.Locale;

/**
 * When the task names platforms, the node's OS and architecture must match one of them; an empty
 * field matches anything. Architectures compare by Docker's names ({@code x86_64} is {@code amd64}).
 */
public final class PlatformFilter implements NodeFilter {
    @Override
    public boolean check(Placing task, NodeInfo node) {
        NodeDescription d = node.node().description();
        return allows(task.platforms(), d == null ? null : d.platform());
    }

    /** Whether a node of platform {@code actual} is one of {@code wanted} (any when empty). */
    public static boolean allows(List<NodeDescription.Platform> wanted, NodeDescription.Platform actual) {
        if (wanted == null || wanted.isEmpty()) {
            return true;
        }
        for (NodeDescription.Platform w : wanted) {
            if (matches(w.os(), actual == null ? null : actual.os(), false)
                    && matches(w.architecture(), actual == null ? null : actual.architecture(), true)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String wanted, String actual, boolean arch) {
        if (wanted == null || wanted.isBlank()) {
            return true;
        }
        if (actual == null) {
            return false;
        }
        return arch ? arch(wanted).equals(arch(actual)) : wanted.equalsIgnoreCase(actual);
    }

    static String arch(String a) {
        String s = a.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "i386", "i686", "386", "x86" -> "386";
            default -> s;
        };
    }

    @Override
    public String explain(int nodes, Placing task) {
        return NodeFilter.nodes(nodes) + " of another platform";
    }
}
