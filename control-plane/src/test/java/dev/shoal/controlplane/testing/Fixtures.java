package dev.shoal.controlplane.testing;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.SwarmSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.api.model.Version;
import java.time.Duration;
import java.time.Instant;

/** Objects the control plane's tests build again and again. */
public final class Fixtures {
    private Fixtures() {}

    public static ServiceSpec spec(String name, long replicas) {
        return new ServiceSpec(name, null, new TaskSpec(ContainerSpec.of("busybox", "httpd", "-f"), null, null),
                ServiceMode.replicated(replicas));
    }

    public static ServiceSpec spec(String name, long replicas, RestartPolicy restart) {
        return new ServiceSpec(name, null, new TaskSpec(ContainerSpec.of("busybox", "httpd", "-f"), restart, null),
                ServiceMode.replicated(replicas));
    }

    public static RestartPolicy restart(RestartPolicy.Condition condition, Duration delay, long maxAttempts, Duration window) {
        return new RestartPolicy(condition, delay.toNanos(), maxAttempts, window.toNanos());
    }

    public static Service service(ServiceSpec spec, Instant now) {
        return new Service(ServiceId.random(), Version.ZERO, now, now, spec, null);
    }

    public static Swarm swarm(SwarmSpec spec, Instant now) {
        return new Swarm("s" + "0".repeat(24), Version.ZERO, now, now, spec);
    }

    public static Node node(String hostname, NodeStatus.State state, NodeSpec.Availability availability, Instant now) {
        return new Node(NodeId.random(), Version.ZERO, now, now,
                new NodeSpec(null, null, NodeSpec.Role.WORKER, availability),
                description(hostname),
                new NodeStatus(state, null, "127.0.0.1"), null);
    }

    public static Node readyNode(String hostname, Instant now) {
        return node(hostname, NodeStatus.State.READY, NodeSpec.Availability.ACTIVE, now);
    }

    public static NodeDescription description(String hostname) {
        return new NodeDescription(hostname, new NodeDescription.Platform("x86_64", "linux"),
                new NodeDescription.Resources(2_000_000_000L, 1L << 30), null, "process");
    }

    /** A task of {@code service} in {@code slot}, as the orchestrator makes it, with the given states and node. */
    public static Task task(Service service, long slot, TaskState observed, TaskState desired, NodeId node, Instant created) {
        return new Task(TaskId.random(), Version.ZERO, created, created, service.id(), service.spec().name(), slot, node,
                service.spec().taskTemplate(), service.version(), TaskStatus.of(observed, observed.wireName(), created), desired);
    }

    /** {@code t} as its node reports it in {@code state} at {@code when}. */
    public static Task reported(Task t, TaskState state, Instant when) {
        return t.withStatus(TaskStatus.of(state, state.wireName(), when), when);
    }
}
