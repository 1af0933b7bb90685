package dev.shoal.api.model;

/**
 * The template every task of a service is made from.
 *
 * @param containerSpec what to run
 * @param restartPolicy when to replace an exited task (Docker's defaults when null; jobs default
 *                      to on-failure)
 * @param forceUpdate   bumped by {@code service update --force} to replace tasks with an unchanged spec
 * @param resources     limits (enforced on the container) and reservations (scheduler bookkeeping)
 * @param placement     constraints, preferences, max replicas per node, platforms
 */
public record TaskSpec(ContainerSpec containerSpec, RestartPolicy restartPolicy, Long forceUpdate,
                       ResourceRequirements resources, Placement placement) {

    public TaskSpec(ContainerSpec containerSpec, RestartPolicy restartPolicy, Long forceUpdate) {
        this(containerSpec, restartPolicy, forceUpdate, null, null);
    }

    public TaskSpec withContainerSpec(ContainerSpec c) {
        return new TaskSpec(c, restartPolicy, forceUpdate, resources, placement);
    }

    public TaskSpec withRestartPolicy(RestartPolicy r) {
        return new TaskSpec(containerSpec, r, forceUpdate, resources, placement);
    }

    public TaskSpec withForceUpdate(Long f) {
        return new TaskSpec(containerSpec, restartPolicy, f, resources, placement);
    }

    public TaskSpec withResources(ResourceRequirements r) {
        return new TaskSpec(containerSpec, restartPolicy, forceUpdate, r, placement);
    }

    public TaskSpec withPlacement(Placement p) {
        return new TaskSpec(containerSpec, restartPolicy, forceUpdate, resources, p);
    }

    public RestartPolicy restartPolicyOrDefault() {
        return restartPolicy == null ? RestartPolicy.DEFAULT : restartPolicy.withDefaults();
    }

    /** The reservations, or null. */
    public ResourceRequirements.Resources reservations() {
        return resources == null ? null : resources.reservations();
    }

    /** The limits, or null. */
    public ResourceRequirements.Resources limits() {
        return resources == null ? null : resources.limits();
    }
}
