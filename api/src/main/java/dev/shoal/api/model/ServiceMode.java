package dev.shoal.api.model;

/**
 * How many tasks a service has. Only {@code Replicated} exists in this slice; {@code Global} and
 * the job modes come with the orchestration issue.
 */
public record ServiceMode(Replicated replicated) {
    public record Replicated(Long replicas) {}

    public static ServiceMode replicated(long replicas) {
        return new ServiceMode(new Replicated(replicas));
    }
}
