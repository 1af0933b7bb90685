package dev.shoal.api.model;

import java.util.Map;

/**
 * What a user declares about a service ({@code service create}, {@code service update}).
 *
 * @param name         unique among services, DNS-label shaped
 * @param labels       free-form labels
 * @param taskTemplate the template of every task
 * @param mode         replicated with a replica count (default 1)
 */
public record ServiceSpec(String name, Map<String, String> labels, TaskSpec taskTemplate, ServiceMode mode) {
    public ServiceSpec {
        labels = labels == null ? null : Map.copyOf(labels);
    }

    /** The replica count, 1 when the mode leaves it out. */
    public long replicas() {
        return mode == null || mode.replicated() == null || mode.replicated().replicas() == null
                ? 1 : mode.replicated().replicas();
    }

    public ServiceSpec withReplicas(long replicas) {
        return new ServiceSpec(name, labels, taskTemplate, ServiceMode.replicated(replicas));
    }

    public ServiceSpec withTaskTemplate(TaskSpec t) {
        return new ServiceSpec(name, labels, t, mode);
    }
}
