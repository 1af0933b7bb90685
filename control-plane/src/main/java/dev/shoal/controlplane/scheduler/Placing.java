package dev.shoal.controlplane.scheduler;

import dev.shoal.api.id.ServiceId;
import dev.shoal.api.model.EndpointSpec;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.Placement;
import dev.shoal.api.model.ResourceRequirements;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.TaskSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * What the filters and the ranking need to know about one kind of task, worked out once per pass
 * for every task made from the same template: its constraints parsed, its reservations, the host
 * ports its service publishes, its preferences. Immutable.
 *
 * @param service      the task's service
 * @param constraints  parsed placement constraints
 * @param platforms    the platforms the task may run on; empty for any
 * @param nanoCpus     reserved CPU
 * @param memoryBytes  reserved memory
 * @param maxReplicas  the most tasks of the service per node; 0 for no limit
 * @param hostPorts    {@code <port>/<protocol>} published in host mode
 * @param preferences  spread and avoid preferences, in order
 * @param avoid        for each preference that is an Avoid, the service it names (null when unknown)
 */
public record Placing(ServiceId service, List<Constraint> constraints, List<NodeDescription.Platform> platforms,
                      long nanoCpus, long memoryBytes, long maxReplicas, List<String> hostPorts,
                      List<Placement.Preference> preferences, List<ServiceId> avoid) {

    /** True when no stateful filter can refuse a node: no reservations, host ports or per-node maximum. */
    boolean isStateless() {
        return nanoCpus == 0 && memoryBytes == 0 && hostPorts.isEmpty() && maxReplicas <= 0;
    }

    /** The placing of tasks made from {@code spec} for {@code service} (null when the service is gone). */
    static Placing of(ServiceId serviceId, TaskSpec spec, Service service, Function<String, ServiceId> serviceByName) {
        Placement p = spec == null ? null : spec.placement();
        List<Constraint> constraints;
        try {
            constraints = Constraint.parseAll(p == null ? null : p.constraints());
        } catch (IllegalArgumentException e) {
            // validated by the API; a spec stored before a rule existed places nowhere rather than anywhere
            constraints = List.of(new Constraint("node.id", Constraint.Operator.EQ, "\u0000invalid"));
        }
        ResourceRequirements.Resources r = spec == null ? null : spec.reservations();
        List<String> ports = new ArrayList<>();
        EndpointSpec e = service == null ? null : service.spec().endpointSpec();
        if (e != null && e.ports() != null) {
            for (EndpointSpec.PortConfig port : e.ports()) {
                if (port.publishModeOrDefault() == EndpointSpec.PublishMode.HOST && port.publishedPort() != null && port.publishedPort() > 0) {
                    ports.add(port.publishedPort() + "/" + port.protocolOrDefault().wireName());
                }
            }
        }
        List<Placement.Preference> prefs = p == null || p.preferences() == null ? List.of() : p.preferences();
        List<ServiceId> avoid = new ArrayList<>();
        for (Placement.Preference pref : prefs) {
            avoid.add(pref.avoid() == null ? null : serviceByName.apply(pref.avoid().service()));
        }
        return new Placing(serviceId, constraints, p == null || p.platforms() == null ? List.of() : p.platforms(),
                r == null ? 0 : r.nanoCpusOrZero(), r == null ? 0 : r.memoryBytesOrZero(),
                p == null || p.maxReplicas() == null ? 0 : p.maxReplicas(), List.copyOf(ports), prefs,
                Collections.unmodifiableList(avoid));
    }
}
