package dev.shoal.cli.daemon;

import dev.shoal.api.id.NodeId;
import dev.shoal.dataplane.executor.DockerExecutor;
import dev.shoal.dataplane.executor.Executor;
import dev.shoal.dataplane.executor.ProcessExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Which executor runs this node's tasks ({@code --executor}). */
public enum ExecutorChoice {
    /** Docker when a daemon answers at {@code DOCKER_HOST}, else processes. */
    AUTO,
    /** Docker containers; the daemon must be reachable at start. */
    DOCKER,
    /** Child processes of the daemon (the image is only recorded). */
    PROCESS;

    static final Duration DOCKER_PROBE_TIMEOUT = Duration.ofSeconds(2);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static ExecutorChoice fromWire(String s) {
        for (ExecutorChoice c : values()) {
            if (c.wireName().equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("must be one of auto, docker, process");
    }

    /**
     * Creates the executor of node {@code nodeId}; {@code stateDir} holds the process executor's
     * records.
     *
     * @throws IllegalStateException when Docker was asked for and does not answer
     */
    Executor create(NodeId nodeId, Path stateDir) {
        return switch (this) {
            case AUTO -> Executor.detect(nodeId, stateDir);
            case PROCESS -> new ProcessExecutor(nodeId, stateDir);
            case DOCKER -> {
                String host = DockerExecutor.dockerHostFromEnvironment();
                if (!DockerExecutor.reachable(host, DOCKER_PROBE_TIMEOUT)) {
                    throw new IllegalStateException("--executor docker: no Docker daemon answers at " + host
                            + " (start dockerd, set DOCKER_HOST, or use --executor process)");
                }
                yield DockerExecutor.create(nodeId, host);
            }
        };
    }
}
