package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.NodeDescription;
import dev.shoal.api.model.TaskStatus;
import java.util.List;

/**
 * What an agent sends on its dispatcher session ({@code dispatcher.session}, request-channel).
 * Exactly one of the fields is set per message. The first message must be a {@code hello}.
 */
public record AgentMessage(Hello hello, Heartbeat heartbeat, List<TaskStatusUpdate> updates) {

    /** Opens a session for a node. */
    public record Hello(@JsonProperty("NodeID") String nodeId, NodeDescription description) {}

    /** Keeps the session alive; a node that misses 3 periods is marked DOWN. */
    public record Heartbeat(long sequence) {}

    /** A task's new observed status. */
    public record TaskStatusUpdate(@JsonProperty("TaskID") TaskId taskId, TaskStatus status) {}

    public static AgentMessage hello(String nodeId, NodeDescription d) {
        return new AgentMessage(new Hello(nodeId, d), null, null);
    }

    public static AgentMessage heartbeat(long seq) {
        return new AgentMessage(null, new Heartbeat(seq), null);
    }

    public static AgentMessage updates(List<TaskStatusUpdate> u) {
        return new AgentMessage(null, null, List.copyOf(u));
    }
}
