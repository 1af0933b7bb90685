package dev.shoal.perf.systems;

import java.util.List;

/**
 * One orchestrator under measurement. Every method blocks and talks to the orchestrator through
 * its own API (Shoal's RSocket API or the Docker Engine API), so that the harness measures both
 * the same way. Not thread-safe.
 */
public interface SwarmTarget extends AutoCloseable {
    /** Name in tables, e.g. "Shoal" or "Docker Swarm". */
    String name();

    /**
     * Creates a replicated service running {@code sleep 3600} and returns its id at once, without
     * waiting for any task.
     *
     * @param restartDelayZero restart policy condition any with delay 0 (otherwise the defaults)
     */
    String createService(String name, int replicas, boolean restartDelayZero);

    /** One poll of the service's tasks, every task the API returns (history included). */
    List<TaskObservation> tasks(String serviceId);

    /** Removes the service; returns at once. */
    void removeService(String serviceId);

    /**
     * A rolling update of every task: a new environment variable in the container spec, with the
     * update parallelism {@code parallelism} and the system's defaults otherwise (stop-first, no delay).
     */
    void updateService(String serviceId, int parallelism);

    /** Label that this target puts on the containers of a service, to find them with the Docker API. */
    default String serviceIdLabel() {
        return "com.docker.swarm.service.id";
    }

    @Override
    void close();
}
