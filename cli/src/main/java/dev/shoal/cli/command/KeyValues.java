package dev.shoal.cli.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code KEY=VALUE} lists of flags ({@code --label}, {@code --env}) as maps and back. */
final class KeyValues {
    private KeyValues() {}

    /** {@code K=V} entries as a map; {@code K} alone maps to the empty string. Null for none. */
    static Map<String, String> labels(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            map.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        return map;
    }

    /**
     * {@code --env} entries: {@code K=V} as given, {@code K} alone takes K's value from the
     * client's environment when it has one (as Docker does). Null for none.
     */
    static List<String> env(List<String> entries, Map<String, String> clientEnv) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String e : entries) {
            if (e.indexOf('=') < 0 && clientEnv.containsKey(e)) {
                out.add(e + "=" + clientEnv.get(e));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    static String key(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    /** {@code current} with entries of the same keys as {@code add} replaced, then keys in {@code remove} dropped. */
    static List<String> updateEnv(List<String> current, List<String> add, List<String> remove) {
        Map<String, String> byKey = new LinkedHashMap<>();
        if (current != null) {
            current.forEach(e -> byKey.put(key(e), e));
        }
        if (add != null) {
            add.forEach(e -> byKey.put(key(e), e));
        }
        if (remove != null) {
            remove.forEach(r -> byKey.remove(key(r)));
        }
        return byKey.isEmpty() ? null : List.copyOf(byKey.values());
    }

    static Map<String, String> updateLabels(Map<String, String> current, List<String> add, List<String> remove) {
        Map<String, String> out = new LinkedHashMap<>(current == null ? Map.of() : current);
        Map<String, String> added = labels(add);
        if (added != null) {
            out.putAll(added);
        }
        if (remove != null) {
            remove.forEach(r -> out.remove(key(r)));
        }
        return out.isEmpty() ? null : out;
    }
}
