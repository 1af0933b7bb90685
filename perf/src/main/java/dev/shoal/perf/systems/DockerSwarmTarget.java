package dev.shoal.perf.systems;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker Swarm mode on the local dockerd, driven through the Docker Engine API as
 * {@code docker service create --detach --no-resolve-image --replicas N IMAGE sleep 3600} does.
 *
 * <p>The image is given by its id ({@code sha256:...}): swarmkit's container adapter skips its
 * pull for an image id, and for every other reference it tries a pull from the image's registry
 * before every task, even when the image is local (moby daemon/cluster/executor/container/
 * adapter.go, {@code pullImage}). That pull would leave this machine, so it is avoided; no
 * registry is contacted.
 */
public final class DockerSwarmTarget implements SwarmTarget {
    private static final long STOP_GRACE_NANOS = 1_000_000_000L;

    private final DockerEngine engine;
    private final String imageId;

    public DockerSwarmTarget(DockerEngine engine, String imageId) {
        this.engine = engine;
        this.imageId = imageId;
    }

    @Override
    public String name() {
        return "Docker Swarm";
    }

    @Override
    public String createService(String name, int replicas, boolean restartDelayZero) {
        ContainerSpec container = new ContainerSpec()
                .withImage(imageId)
                .withArgs(List.of("sleep", "3600"))
                .withStopGracePeriod(STOP_GRACE_NANOS);
        TaskSpec task = new TaskSpec().withContainerSpec(container);
        if (restartDelayZero) {
            task.withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY).withDelay(0L));
        }
        ServiceSpec spec = new ServiceSpec()
                .withName(name)
                .withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
        return engine.client().createServiceCmd(spec).exec().getId();
    }

    @Override
    public List<TaskObservation> tasks(String serviceId) {
        List<TaskObservation> out = new ArrayList<>();
        for (Task t : engine.client().listTasksCmd().withServiceFilter(serviceId).exec()) {
            var status = t.getStatus();
            String container = status == null || status.getContainerStatus() == null ? null : status.getContainerStatus().getContainerID();
            out.add(new TaskObservation(
                    t.getId(),
                    t.getSlot() == null ? 0 : t.getSlot(),
                    status == null || status.getState() == null ? "unknown" : status.getState().getValue(),
                    t.getDesiredState() == null ? "unknown" : t.getDesiredState().getValue(),
                    container == null || container.isEmpty() ? null : container,
                    parse(t.getCreatedAt()),
                    status == null ? null : parse(status.getTimestamp())));
        }
        return out;
    }

    private static Instant parse(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(rfc3339);
        } catch (RuntimeException e) {
            return java.time.OffsetDateTime.parse(rfc3339).toInstant();
        }
    }

    @Override
    public void updateService(String serviceId, int parallelism) {
        Service current = engine.client().inspectServiceCmd(serviceId).exec();
        ServiceSpec spec = current.getSpec();
        spec.getTaskTemplate().getContainerSpec().withEnv(List.of("PERF_UPDATE=" + System.nanoTime()));
        spec.withUpdateConfig(new UpdateConfig().withParallelism((long) parallelism));
        engine.client().updateServiceCmd(serviceId, spec).withVersion(current.getVersion().getIndex()).exec();
    }

    @Override
    public void removeService(String serviceId) {
        engine.client().removeServiceCmd(serviceId).exec();
    }

    @Override
    public void close() {
        // the engine is owned by the caller
    }
}
