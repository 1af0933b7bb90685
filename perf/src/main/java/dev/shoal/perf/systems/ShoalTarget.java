package dev.shoal.perf.systems;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.EventFilter;
import dev.shoal.api.message.TaskFilter;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Event;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.UpdateConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.Disposable;

/**
 * A Shoal daemon with the Docker executor, driven through {@link ShoalClient} over its unix
 * socket, as {@code shoal service create --detach --replicas N IMAGE sleep 3600} does.
 */
public final class ShoalTarget implements SwarmTarget {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final long STOP_GRACE_NANOS = 1_000_000_000L;

    private final ShoalClient client;
    private final String image;

    public ShoalTarget(ShoalClient client, String image) {
        this.client = client;
        this.image = image;
    }

    public ShoalClient client() {
        return client;
    }

    @Override
    public String name() {
        return "Shoal";
    }

    @Override
    public String createService(String name, int replicas, boolean restartDelayZero) {
        ContainerSpec container = new ContainerSpec(image, null, List.of("sleep", "3600"), null, null, null, STOP_GRACE_NANOS);
        RestartPolicy restart = restartDelayZero ? new RestartPolicy(RestartPolicy.Condition.ANY, 0L, 0L, 0L) : null;
        ServiceSpec spec = new ServiceSpec(name, null, new TaskSpec(container, restart, null), ServiceMode.replicated(replicas));
        return client.serviceCreate(spec).block(CALL_TIMEOUT).id().value();
    }

    @Override
    public List<TaskObservation> tasks(String serviceId) {
        List<Task> tasks = client.taskList(new TaskFilter(serviceId, null, null)).collectList().block(CALL_TIMEOUT);
        List<TaskObservation> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            var status = t.status();
            String container = status == null || status.containerStatus() == null ? null : status.containerStatus().containerId();
            out.add(new TaskObservation(
                    t.id().value(),
                    t.slot(),
                    status == null || status.state() == null ? "unknown" : status.state().wireName(),
                    t.desiredState() == null ? "unknown" : t.desiredState().wireName(),
                    container == null || container.isEmpty() ? null : container,
                    t.createdAt(),
                    status == null ? null : status.timestamp()));
        }
        return out;
    }

    @Override
    public void updateService(String serviceId, int parallelism) {
        Service current = client.serviceInspect(serviceId).block(CALL_TIMEOUT);
        ServiceSpec spec = current.spec();
        ContainerSpec c = spec.taskTemplate().containerSpec();
        ContainerSpec changed = new ContainerSpec(c.image(), c.command(), c.args(), List.of("PERF_UPDATE=" + System.nanoTime()),
                c.labels(), c.dir(), c.stopGracePeriod(), c.healthcheck());
        ServiceSpec next = spec.withTaskTemplate(spec.taskTemplate().withContainerSpec(changed))
                .withUpdateConfig(new UpdateConfig((long) parallelism, null, null, null, null, null));
        client.serviceUpdate(serviceId, current.version(), next).block(CALL_TIMEOUT);
    }

    @Override
    public void removeService(String serviceId) {
        client.serviceRemove(serviceId).block(CALL_TIMEOUT);
    }

    /** An event as received, with the harness's clock at receipt. */
    public record ReceivedEvent(Event event, long receivedNanoTime) {}

    /** Records task and service events until disposed; the queue fills from RSocket threads. */
    public Disposable recordEvents(ConcurrentLinkedQueue<ReceivedEvent> into) {
        return client.events(new EventFilter(List.of("service", "task")))
                .subscribe(e -> into.add(new ReceivedEvent(e, System.nanoTime())), err -> { });
    }

    @Override
    public void close() {
        // the client is owned by the caller
    }
}
