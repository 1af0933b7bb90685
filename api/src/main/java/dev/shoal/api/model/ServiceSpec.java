package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/**
 * What a user declares about a service ({@code service create}, {@code service update}).
 *
 * @param name           unique among services, DNS-label shaped
 * @param labels         free-form labels
 * @param taskTemplate   the template of every task
 * @param mode           replicated (default, 1 replica), global, replicated-job or global-job
 * @param updateConfig   how an update rolls out (Docker's defaults when null)
 * @param rollbackConfig how a rollback rolls out (Docker's defaults when null)
 * @param endpointSpec   resolution mode and published ports
 * @param rebalance      Shoal's: a counter; raising it ({@code service update --rebalance}) asks the
 *                       orchestrator to spread the service's tasks again over the nodes that fit,
 *                       moving as few as it must, with the update config's parallelism and order
 */
public record ServiceSpec(
        String name,
        Map<String, String> labels,
        TaskSpec taskTemplate,
        ServiceMode mode,
        UpdateConfig updateConfig,
        UpdateConfig rollbackConfig,
        EndpointSpec endpointSpec,
        Long rebalance) {

    public ServiceSpec {
        labels = labels == null ? null : Map.copyOf(labels);
    }

    public ServiceSpec(String name, Map<String, String> labels, TaskSpec taskTemplate, ServiceMode mode) {
        this(name, labels, taskTemplate, mode, null, null, null, null);
    }

    /** The mode's kind; replicated when no mode is set. */
    @JsonIgnore
    public ServiceMode.Kind modeKind() {
        return mode == null ? ServiceMode.Kind.REPLICATED : mode.kind();
    }

    /**
     * The replica count of a replicated service, 1 when the mode leaves it out; for a replicated job,
     * its MaxConcurrent (default 1); 0 for the global modes, whose task count follows the nodes.
     */
    public long replicas() {
        return switch (modeKind()) {
            case REPLICATED -> mode == null || mode.replicated() == null || mode.replicated().replicas() == null
                    ? 1 : mode.replicated().replicas();
            case REPLICATED_JOB -> mode.replicatedJob().maxConcurrent() == null ? 1 : mode.replicatedJob().maxConcurrent();
            case GLOBAL, GLOBAL_JOB -> 0;
        };
    }

    /** Same spec with a replicated mode of {@code replicas}; for a replicated job, its MaxConcurrent. */
    public ServiceSpec withReplicas(long replicas) {
        ServiceMode m = modeKind() == ServiceMode.Kind.REPLICATED_JOB
                ? ServiceMode.ofReplicatedJob(replicas, mode.replicatedJob().totalCompletions())
                : ServiceMode.replicated(replicas);
        return withMode(m);
    }

    public ServiceSpec withMode(ServiceMode m) {
        return new ServiceSpec(name, labels, taskTemplate, m, updateConfig, rollbackConfig, endpointSpec, rebalance);
    }

    public ServiceSpec withTaskTemplate(TaskSpec t) {
        return new ServiceSpec(name, labels, t, mode, updateConfig, rollbackConfig, endpointSpec, rebalance);
    }

    public ServiceSpec withUpdateConfig(UpdateConfig u) {
        return new ServiceSpec(name, labels, taskTemplate, mode, u, rollbackConfig, endpointSpec, rebalance);
    }

    public ServiceSpec withRollbackConfig(UpdateConfig r) {
        return new ServiceSpec(name, labels, taskTemplate, mode, updateConfig, r, endpointSpec, rebalance);
    }

    public ServiceSpec withEndpointSpec(EndpointSpec e) {
        return new ServiceSpec(name, labels, taskTemplate, mode, updateConfig, rollbackConfig, e, rebalance);
    }

    public ServiceSpec withRebalance(Long r) {
        return new ServiceSpec(name, labels, taskTemplate, mode, updateConfig, rollbackConfig, endpointSpec, r);
    }

    public long rebalanceOrZero() {
        return rebalance == null ? 0 : rebalance;
    }
}
