package dev.shoal.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code -f/--filter key=value} flags, grouped by key; an unknown key is a usage error. */
final class Filters {
    private final Map<String, List<String>> byKey;

    private Filters(Map<String, List<String>> byKey) {
        this.byKey = byKey;
    }

    static Filters parse(CommandSpec spec, List<String> flags, Set<String> allowedKeys) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "invalid argument \"" + f + "\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
            }
            String key = f.substring(0, eq);
            if (!allowedKeys.contains(key)) {
                throw new ParameterException(spec.commandLine(),
                        "invalid argument \"" + f + "\" for \"-f, --filter\" flag: invalid filter '" + key
                                + "' (known filters: " + String.join(", ", allowedKeys.stream().sorted().toList()) + ")");
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        return new Filters(byKey);
    }

    /** The values given for {@code key}; empty when the filter was not used. */
    List<String> values(String key) {
        return byKey.getOrDefault(key, List.of());
    }

    /** True when {@code key} was not used, or when {@code test} holds for one of its values. */
    boolean matches(String key, java.util.function.Predicate<String> test) {
        List<String> v = values(key);
        return v.isEmpty() || v.stream().anyMatch(test);
    }
}
