package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the executor knows of a task's container or process.
 *
 * @param containerId Docker container id, or {@code pid:<n>} on the process executor
 * @param pid         host process id (0 when not running)
 * @param exitCode    exit code once exited
 * @param oomKilled   true when the kernel's OOM killer ended it
 */
public record ContainerStatus(
        @JsonProperty("ContainerID") String containerId,
        @JsonProperty("PID") Long pid,
        Integer exitCode,
        Boolean oomKilled) {}
