package dev.shoal.api.model;

/**
 * The template every task of a service is made from.
 *
 * @param containerSpec what to run
 * @param restartPolicy when to replace an exited task (Docker's defaults when null)
 * @param forceUpdate   bumped by {@code service update --force} to replace tasks with an unchanged spec
 */
public record TaskSpec(ContainerSpec containerSpec, RestartPolicy restartPolicy, Long forceUpdate) {
    public TaskSpec withContainerSpec(ContainerSpec c) {
        return new TaskSpec(c, restartPolicy, forceUpdate);
    }

    public RestartPolicy restartPolicyOrDefault() {
        return restartPolicy == null ? RestartPolicy.DEFAULT : restartPolicy.withDefaults();
    }
}
