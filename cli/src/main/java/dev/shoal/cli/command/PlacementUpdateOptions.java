package dev.shoal.cli.command;

import dev.shoal.api.model.Placement;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The placement flags of {@code service update}: {@code --constraint-add/-rm},
 * {@code --placement-pref-add/-rm} and {@code --replicas-max-per-node}. Removals apply before
 * additions, as Docker's; an entry already present is not added twice.
 */
final class PlacementUpdateOptions {
    @Option(names = "--constraint-add", paramLabel = "EXPR", converter = Converters.ConstraintConverter.class,
            description = "Add or update a placement constraint")
    List<String> constraintAdd = new ArrayList<>();

    @Option(names = "--constraint-rm", paramLabel = "EXPR", description = "Remove a constraint")
    List<String> constraintRm = new ArrayList<>();

    @Option(names = "--placement-pref-add", paramLabel = "PREF", description = "Add a placement preference")
    List<Placement.Preference> preferenceAdd = new ArrayList<>();

    @Option(names = "--placement-pref-rm", paramLabel = "PREF", description = "Remove a placement preference")
    List<Placement.Preference> preferenceRm = new ArrayList<>();

    @Option(names = "--replicas-max-per-node", paramLabel = "N", converter = Converters.NonNegativeLongConverter.class,
            description = "Maximum number of tasks per node (0 = unlimited)")
    Long maxReplicas;

    boolean isSet() {
        return !constraintAdd.isEmpty() || !constraintRm.isEmpty() || !preferenceAdd.isEmpty() || !preferenceRm.isEmpty() || maxReplicas != null;
    }

    /** {@code base} with the flags applied; {@code base} itself when none is given. */
    Placement applyTo(Placement base) {
        if (!isSet()) {
            return base;
        }
        Placement b = base == null ? new Placement(null, null, null, null) : base;
        List<String> constraints = merge(b.constraints(), constraintRm.stream().map(String::strip).toList(), constraintAdd);
        List<Placement.Preference> preferences = merge(b.preferences(), preferenceRm, preferenceAdd);
        return new Placement(constraints, preferences, maxReplicas != null ? maxReplicas : b.maxReplicas(), b.platforms());
    }

    /** {@code current} without {@code remove}, then {@code add} not already there; null when empty. */
    static <T> List<T> merge(List<T> current, List<T> remove, List<T> add) {
        List<T> out = new ArrayList<>();
        for (T t : current == null ? List.<T>of() : current) {
            if (!remove.contains(t) && !(t instanceof String s && remove.contains(s.strip()))) {
                out.add(t);
            }
        }
        for (T t : add) {
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out.isEmpty() ? null : out;
    }
}
