package dev.shoal.controlplane.store;

import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.Node;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.Swarm;
import dev.shoal.api.model.Task;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the whole store at one commit index. Cheap to hold; never changes.
 *
 * <p>The maps are immutable copies of those given (as {@link Map#copyOf} makes, nulls refused);
 * the store builds them as persistent maps, so that the view after a commit shares all untouched
 * objects with the view before it and a commit costs O(changes · log n), not a copy of the world.
 *
 * @param index the index of the last transaction applied (0 for an empty store)
 * @param swarm null until {@code swarm init} has been committed
 */
public record StoreView(long index, Swarm swarm, Map<NodeId, Node> nodes, Map<ServiceId, Service> services, Map<TaskId, Task> tasks) {
    public static final StoreView EMPTY = new StoreView(0, null, Map.of(), Map.of(), Map.of());

    public StoreView {
        nodes = PersistentMap.copyOf(nodes);
        services = PersistentMap.copyOf(services);
        tasks = PersistentMap.copyOf(tasks);
    }

    public Optional<Service> serviceByName(String name) {
        return services.values().stream().filter(s -> s.spec().name().equals(name)).findFirst();
    }

    public List<Task> tasksOf(ServiceId service) {
        return tasks.values().stream().filter(t -> t.serviceId().equals(service)).toList();
    }

    public List<Task> tasksOn(NodeId node) {
        return tasks.values().stream().filter(t -> node.equals(t.nodeId())).toList();
    }

    /** The object of {@code kind} with {@code id}, or null. */
    public Object get(Kind kind, String id) {
        return switch (kind) {
            case SWARM -> swarm != null && swarm.id().equals(id) ? swarm : null;
            case NODE -> nodes.get(NodeId.of(id));
            case SERVICE -> services.get(ServiceId.of(id));
            case TASK -> tasks.get(TaskId.of(id));
        };
    }
}
