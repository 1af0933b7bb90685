package dev.shoal.cli.command;

import dev.shoal.api.model.Placement;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The placement flags of {@code service create}: {@code --constraint}, {@code --placement-pref}
 * and {@code --replicas-max-per-node}. Constraints are checked with the scheduler's parser when
 * the flag is read, so a malformed one is a usage error and never reaches the daemon.
 */
final class PlacementOptions {
    @Option(names = "--constraint", paramLabel = "EXPR", converter = Converters.ConstraintConverter.class,
            description = "Placement constraints, e.g. node.labels.zone==east, node.role!=manager")
    List<String> constraints = new ArrayList<>();

    @Option(names = "--placement-pref", paramLabel = "PREF",
            description = "Add a placement preference: spread=node.labels.<label>, or Shoal's avoid=<service>")
    List<Placement.Preference> preferences = new ArrayList<>();

    @Option(names = "--replicas-max-per-node", paramLabel = "N", converter = Converters.NonNegativeLongConverter.class,
            description = "Maximum number of tasks per node (default 0 = unlimited)")
    Long maxReplicas;

    /** The placement the flags describe, or null when none is given. */
    Placement placement() {
        if (constraints.isEmpty() && preferences.isEmpty() && maxReplicas == null) {
            return null;
        }
        return new Placement(constraints.isEmpty() ? null : constraints, preferences.isEmpty() ? null : preferences, maxReplicas, null);
    }
}
