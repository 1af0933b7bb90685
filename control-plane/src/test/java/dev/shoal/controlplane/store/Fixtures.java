package dev.shoal.controlplane.store;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.NodeSpec;
import dev.shoal.api.model.NodeStatus;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Objects and configs for the store's tests. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456789Z");

    private Fixtures() {}

    static Service service(String name) {
        ServiceSpec spec = new ServiceSpec(name, Map.of("tier", "web"),
                new TaskSpec(ContainerSpec.of("busybox", "httpd", "-f"), null, null), ServiceMode.replicated(3));
        return new Service(ServiceId.random(), Version.ZERO, NOW, NOW, spec, null);
    }

    static Task task(Service service, long slot) {
        return new Task(TaskId.random(), Version.ZERO, NOW, NOW, service.id(), service.spec().name(), slot, null,
                service.spec().taskTemplate(), service.version(), TaskStatus.of(TaskState.NEW, "created", NOW), TaskState.RUNNING);
    }

    static Node node(String hostname) {
        return new Node(NodeId.random(), Version.ZERO, NOW, NOW,
                new NodeSpec(hostname, null, NodeSpec.Role.MANAGER, NodeSpec.Availability.ACTIVE),
                new NodeDescription(hostname, new NodeDescription.Platform("x86_64", "linux"),
                        new NodeDescription.Resources(2_000_000_000L, 1L << 30), null, "process"),
                new NodeStatus(NodeStatus.State.READY, null, "127.0.0.1"), null);
    }

    static Swarm swarm() {
        return new Swarm("swarm-" + TaskId.random().value(), Version.ZERO, NOW, NOW, SwarmSpec.defaults());
    }

    static InetSocketAddress freeLoopbackAddress() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RaftClusterStore.StoreConfig config(String memberId, Path dir) {
        return new RaftClusterStore.StoreConfig(memberId, freeLoopbackAddress(), dir);
    }
}
