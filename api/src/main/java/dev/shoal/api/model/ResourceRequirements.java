package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A task's resources, Docker's {@code TaskTemplate.Resources}. Reservations are the scheduler's
 * bookkeeping: a node gets a task only while the reservations of the tasks it has leave room for
 * it. Limits are enforced on the container (CPU quota, memory cgroup limit, pids limit).
 */
public record ResourceRequirements(Resources limits, Resources reservations) {

    /**
     * @param nanoCpus    CPU in units of 10<sup>-9</sup> CPUs ({@code --limit-cpu 0.5} is 500 000 000)
     * @param memoryBytes memory in bytes
     * @param pids        the most processes the container may have (limits only)
     */
    public record Resources(@JsonProperty("NanoCPUs") Long nanoCpus, Long memoryBytes, Long pids) {
        public long nanoCpusOrZero() {
            return nanoCpus == null ? 0 : nanoCpus;
        }

        public long memoryBytesOrZero() {
            return memoryBytes == null ? 0 : memoryBytes;
        }
    }
}
