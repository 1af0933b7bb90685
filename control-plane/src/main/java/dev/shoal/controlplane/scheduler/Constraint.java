package dev.shoal.controlplane.scheduler;

import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One placement constraint, {@code <key> == <value>} or {@code <key> != <value>}, as Docker writes
 * them: {@code node.labels.zone==east}, {@code node.role != manager}.
 *
 * <p>Keys: {@code node.id}, {@code node.hostname}, {@code node.role}, {@code node.platform.os},
 * {@code node.platform.arch}, {@code node.labels.<label>}, {@code engine.labels.<label>}; the key
 * names are case-insensitive, label names are not. Values compare case-insensitively (swarmkit's
 * rule). A node without the label fails {@code ==} and passes {@code !=}.
 */
public record Constraint(String key, Operator operator, String value) {
    public static final String NODE_LABEL_PREFIX = "node.labels.";
    public static final String ENGINE_LABEL_PREFIX = "engine.labels.";
    /** The keys that are not label prefixes. */
    public static final List<String> KEYS = List.of("node.id", "node.hostname", "node.role", "node.platform.os", "node.platform.arch");

    public enum Operator {
        EQ("=="), NE("!=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /**
     * Parses one expression.
     *
     * @throws IllegalArgumentException naming what is wrong: {@code malformed constraint "x=y":
     *         expected <key>==<value> or <key>!=<value>}, {@code invalid constraint key "node.foo"}
     */
    public static Constraint parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("malformed constraint \"\": expected <key>==<value> or <key>!=<value>");
        }
        int eq = expression.indexOf("==");
        int ne = expression.indexOf("!=");
        int at;
        Operator op;
        if (eq >= 0 && (ne < 0 || eq < ne)) {
            at = eq;
            op = Operator.EQ;
        } else if (ne >= 0) {
            at = ne;
            op = Operator.NE;
        } else {
            throw new IllegalArgumentException("malformed constraint \"" + expression + "\": expected <key>==<value> or <key>!=<value>");
        }
        String key = expression.substring(0, at).strip();
        String value = expression.substring(at + 2).strip();
        if (key.isEmpty() || value.isEmpty()) {
            throw new IllegalArgumentException("malformed constraint \"" + expression + "\": "
                    + (key.isEmpty() ? "the key" : "the value") + " is empty");
        }
        if (value.contains("==") || value.contains("!=")) {
            throw new IllegalArgumentException("malformed constraint \"" + expression + "\": more than one operator");
        }
        checkKey(key, "constraint");
        return new Constraint(key, op, value);
    }

    /** Parses every expression; null or empty gives an empty list. */
    public static List<Constraint> parseAll(List<String> expressions) {
        if (expressions == null) {
            return List.of();
        }
        List<Constraint> out = new ArrayList<>(expressions.size());
        for (String e : expressions) {
            out.add(parse(e));
        }
        return List.copyOf(out);
    }

    /**
     * Checks that {@code key} names a node attribute a constraint or spread preference may use.
     *
     * @param what "constraint" or "spread preference", for the message
     */
    public static void checkKey(String key, String what) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (KEYS.contains(lower)) {
            return;
        }
        for (String prefix : List.of(NODE_LABEL_PREFIX, ENGINE_LABEL_PREFIX)) {
            if (lower.startsWith(prefix)) {
                if (key.length() == prefix.length()) {
                    throw new IllegalArgumentException("invalid " + what + " key \"" + key + "\": the label name after \"" + prefix + "\" is empty");
                }
                return;
            }
        }
        throw new IllegalArgumentException("invalid " + what + " key \"" + key + "\": must be one of "
                + String.join(", ", KEYS) + ", " + NODE_LABEL_PREFIX + "<label> or " + ENGINE_LABEL_PREFIX + "<label>");
    }

    /** Whether {@code node} satisfies this constraint. */
    public boolean matches(Node node) {
        String actual = attribute(node, key);
        boolean equal = actual != null && actual.equalsIgnoreCase(value);
        return operator == Operator.EQ ? equal : !equal;
    }

    /**
     * The value of a node attribute named as in a constraint ({@code node.labels.zone}), or null
     * when the node does not have it. The key must have passed {@link #checkKey}.
     */
    public static String attribute(Node node, String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        NodeSpec spec = node.spec();
        NodeDescription d = node.description();
        if (lower.startsWith(NODE_LABEL_PREFIX)) {
            Map<String, String> labels = spec == null ? null : spec.labels();
            return labels == null ? null : labels.get(key.substring(NODE_LABEL_PREFIX.length()));
        }
        if (lower.startsWith(ENGINE_LABEL_PREFIX)) {
            Map<String, String> labels = d == null || d.engine() == null ? null : d.engine().labels();
            return labels == null ? null : labels.get(key.substring(ENGINE_LABEL_PREFIX.length()));
        }
        return switch (lower) {
            case "node.id" -> node.id().value();
            case "node.hostname" -> d == null ? null : d.hostname();
            case "node.role" -> spec == null || spec.role() == null ? null : spec.role().wireName();
            case "node.platform.os" -> d == null || d.platform() == null ? null : d.platform().os();
            case "node.platform.arch" -> d == null || d.platform() == null ? null : d.platform().architecture();
            default -> throw new IllegalArgumentException("invalid constraint key \"" + key + "\"");
        };
    }

    @Override
    public String toString() {
        return key + operator.symbol() + value;
    }
}
