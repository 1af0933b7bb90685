package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * How many tasks a service has, Docker's {@code Mode}: exactly one of the four is set.
 *
 * <ul>
 *   <li>{@code Replicated}: {@code Replicas} tasks, placed by the scheduler (default 1).</li>
 *   <li>{@code Global}: one task on every node that passes the service's placement.</li>
 *   <li>{@code ReplicatedJob}: run to completion {@code TotalCompletions} times (default
 *       {@code MaxConcurrent}), at most {@code MaxConcurrent} at once (default 1).</li>
 *   <li>{@code GlobalJob}: run to completion once on every node that passes the placement.</li>
 * </ul>
 */
public record ServiceMode(Replicated replicated, Global global, ReplicatedJob replicatedJob, GlobalJob globalJob) {

    public record Replicated(Long replicas) {}

    /** No fields; written as {@code {}}. */
    public record Global() {}

    public record ReplicatedJob(Long maxConcurrent, Long totalCompletions) {}

    /** No fields; written as {@code {}}. */
    public record GlobalJob() {}

    /** The four modes, with their CLI names. */
    public enum Kind {
        REPLICATED("replicated"), GLOBAL("global"), REPLICATED_JOB("replicated-job"), GLOBAL_JOB("global-job");

        private final String cliName;

        Kind(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        /** The kind a CLI name names, e.g. {@code replicated-job}. */
        public static Kind fromCliName(String s) {
            for (Kind k : values()) {
                if (k.cliName.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("invalid mode: " + s + ": must be one of replicated, global, replicated-job, global-job");
        }
    }

    public ServiceMode(Replicated replicated) {
        this(replicated, null, null, null);
    }

    public static ServiceMode replicated(long replicas) {
        return new ServiceMode(new Replicated(replicas));
    }

    public static ServiceMode ofGlobal() {
        return new ServiceMode(null, new Global(), null, null);
    }

    public static ServiceMode ofReplicatedJob(Long maxConcurrent, Long totalCompletions) {
        return new ServiceMode(null, null, new ReplicatedJob(maxConcurrent, totalCompletions), null);
    }

    public static ServiceMode ofGlobalJob() {
        return new ServiceMode(null, null, null, new GlobalJob());
    }

    /** How many of the four are set; a valid mode has exactly one (none means replicated). */
    @JsonIgnore
    public int setCount() {
        return (replicated != null ? 1 : 0) + (global != null ? 1 : 0) + (replicatedJob != null ? 1 : 0) + (globalJob != null ? 1 : 0);
    }

    /** Which mode this is; replicated when none is set. */
    @JsonIgnore
    public Kind kind() {
        if (global != null) {
            return Kind.GLOBAL;
        }
        if (replicatedJob != null) {
            return Kind.REPLICATED_JOB;
        }
        if (globalJob != null) {
            return Kind.GLOBAL_JOB;
        }
        return Kind.REPLICATED;
    }
}
