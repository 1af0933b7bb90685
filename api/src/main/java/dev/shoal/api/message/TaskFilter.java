package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of {@code task.list}; every field is optional and they combine with AND.
 *
 * @param service      service id, id prefix or name
 * @param node         node id, id prefix or hostname
 * @param desiredState only tasks whose desired state is one of these (lower-case names)
 */
public record TaskFilter(String service, @JsonProperty("Node") String node, List<String> desiredState) {
    public static final TaskFilter ALL = new TaskFilter(null, null, null);
}
