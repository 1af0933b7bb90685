package dev.shoal.api.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier of a task; serialized as a plain JSON string. */
public record TaskId(@JsonValue String value) implements Comparable<TaskId> {
    @JsonCreator
    public TaskId {
        Ids.requireValid("task id", value);
    }

    /** A new random task id. */
    public static TaskId random() {
        return new TaskId(Ids.random());
    }

    public static TaskId of(String value) {
        return new TaskId(value);
    }

    /** The first 12 characters, as Docker prints ids in tables. */
    public String shortForm() {
        return value.length() <= 12 ? value : value.substring(0, 12);
    }

    @Override
    public int compareTo(TaskId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
