package dev.shoal.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.api.error.ApiException;
import dev.shoal.api.error.ErrorCode;
import dev.shoal.api.id.NodeId;
import dev.shoal.api.id.ServiceId;
import dev.shoal.api.id.TaskId;
import dev.shoal.api.model.ContainerSpec;
import dev.shoal.api.model.RestartPolicy;
import dev.shoal.api.model.ServiceMode;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Task;
import dev.shoal.api.model.TaskSpec;
import dev.shoal.api.model.TaskState;
import dev.shoal.api.model.TaskStatus;
import dev.shoal.api.model.Version;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void serviceSpecUsesDockerFieldNames() {
        ServiceSpec spec = new ServiceSpec("web", null,
                new TaskSpec(ContainerSpec.of("img", "sleep", "1"), new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, 5_000_000_000L, 3L, null), null),
                ServiceMode.replicated(3));
        String json = Json.writeString(spec);
        assertEquals("{\"Name\":\"web\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"img\",\"Args\":[\"sleep\",\"1\"]},"
                + "\"RestartPolicy\":{\"Condition\":\"on-failure\",\"Delay\":5000000000,\"MaxAttempts\":3}},"
                + "\"Mode\":{\"Replicated\":{\"Replicas\":3}}}", json);
        assertEquals(spec, Json.read(utf8(json), ServiceSpec.class));
    }

    @Test
    void taskRoundTripsWithIdsStatesAndTimestamps() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        Task task = new Task(TaskId.of("t1"), new Version(7), now, now, ServiceId.of("s1"), "web", 2, NodeId.of("n1"),
                new TaskSpec(ContainerSpec.of("img"), null, null), new Version(3), TaskStatus.of(TaskState.RUNNING, "started", now),
                TaskState.RUNNING);
        String json = Json.writeString(task);
        assertTrue(json.contains("\"ID\":\"t1\""), json);
        assertTrue(json.contains("\"ServiceID\":\"s1\""), json);
        assertTrue(json.contains("\"NodeID\":\"n1\""), json);
        assertTrue(json.contains("\"State\":\"running\""), json);
        assertTrue(json.contains("\"Timestamp\":\"2026-11-22T10:00:00Z\""), json);
        assertEquals(task, Json.read(utf8(json), Task.class));
        assertEquals("web.2.t1", task.containerName());
    }

    @Test
    void malformedJsonIsRejectedWithTheParserMessage() {
        ApiException e = assertThrows(ApiException.class, () -> Json.read(utf8("{\"Name\": "), ServiceSpec.class));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("malformed request: not valid JSON"), e.getMessage());
    }

    @Test
    void unknownFieldIsNamedWithItsPath() {
        ApiException e = assertThrows(ApiException.class,
                () -> Json.read(utf8("{\"Name\":\"web\",\"Mode\":{\"Replicated\":{\"Replica\":3}}}"), ServiceSpec.class));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("unknown field \"Replica\" at Mode.Replicated"), e.getMessage());
    }

    @Test
    void wrongTypeIsNamedWithItsPath() {
        ApiException e = assertThrows(ApiException.class,
                () -> Json.read(utf8("{\"Name\":\"web\",\"Mode\":{\"Replicated\":{\"Replicas\":\"many\"}}}"), ServiceSpec.class));
        assertTrue(e.getMessage().contains("Mode.Replicated.Replicas"), e.getMessage());
    }

    @Test
    void badEnumValueNamesTheAllowedValues() {
        ApiException e = assertThrows(ApiException.class, () -> Json.read(
                utf8("{\"Name\":\"web\",\"TaskTemplate\":{\"RestartPolicy\":{\"Condition\":\"sometimes\"}}}"), ServiceSpec.class));
        assertTrue(e.getMessage().contains("invalid restart condition: sometimes: must be one of none, on-failure, any"), e.getMessage());
        assertTrue(e.getMessage().contains("TaskTemplate.RestartPolicy.Condition"), e.getMessage());
    }

    @Test
    void emptyBodyIsRejected() {
        ApiException e = assertThrows(ApiException.class, () -> Json.read(new byte[0], ServiceSpec.class));
        assertEquals("malformed request: empty body, expected a JSON ServiceSpec", e.getMessage());
    }

    @Test
    void deeplyNestedInputIsRejected() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        ApiException e = assertThrows(ApiException.class, () -> Json.read(utf8("{\"Labels\":" + deep + "}"), ServiceSpec.class));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void errorBodyRoundTrips() {
        ApiException e = ApiException.invalid("Mode.Replicated.Replicas", -1, "must be >= 0");
        String wire = Json.encodeError(e);
        assertEquals("{\"Code\":\"INVALID_ARGUMENT\",\"Message\":\"invalid Mode.Replicated.Replicas: -1: must be >= 0\"}", wire);
        ApiException back = Json.decodeError(wire);
        assertEquals(e.code(), back.code());
        assertEquals(e.getMessage(), back.getMessage());
        assertEquals(ErrorCode.INTERNAL, Json.decodeError("plain text").code());
    }

    @Test
    void taskStatesAreOrderedAsDockers() {
        List<TaskState> order = List.of(TaskState.values());
        assertEquals(List.of("new", "pending", "assigned", "accepted", "preparing", "ready", "starting", "running",
                "complete", "shutdown", "failed", "rejected", "remove", "orphaned"), order.stream().map(TaskState::wireName).toList());
        assertTrue(TaskState.RUNNING.isBefore(TaskState.COMPLETE));
        assertTrue(TaskState.FAILED.isTerminal());
        assertTrue(!TaskState.RUNNING.isTerminal());
    }
}
