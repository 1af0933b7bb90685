package dev.shoal.api.model;

import java.util.List;

/**
 * Where a service's tasks may run and how they are spread, Docker's {@code TaskTemplate.Placement}.
 *
 * @param constraints  expressions every node must satisfy, e.g. {@code node.labels.zone==east},
 *                     {@code node.role!=manager}
 * @param preferences  spread preferences, applied in order (hierarchically), and Shoal's soft
 *                     anti-affinity
 * @param maxReplicas  the most tasks of the service on one node; 0 or null means no limit
 * @param platforms    when set, a node must match one of these (architecture and OS)
 */
public record Placement(List<String> constraints, List<Preference> preferences, Long maxReplicas, List<NodeDescription.Platform> platforms) {
    public Placement {
        constraints = constraints == null ? null : List.copyOf(constraints);
        preferences = preferences == null ? null : List.copyOf(preferences);
        platforms = platforms == null ? null : List.copyOf(platforms);
    }

    /**
     * One preference; exactly one field is set.
     *
     * @param spread spread tasks evenly over the values of a node label or attribute
     * @param avoid  Shoal's soft anti-affinity: prefer nodes that run fewer tasks of another
     *               service, but use them when nothing else fits
     */
    public record Preference(Spread spread, Avoid avoid) {
        public static Preference spread(String descriptor) {
            return new Preference(new Spread(descriptor), null);
        }

        public static Preference avoid(String service) {
            return new Preference(null, new Avoid(service));
        }
    }

    /** @param spreadDescriptor {@code node.labels.<key>}, or another node attribute a constraint may name */
    public record Spread(String spreadDescriptor) {}

    /** @param service the name of the service whose tasks to stay away from */
    public record Avoid(String service) {}
}
