package dev.shoal.api.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier of a node; serialized as a plain JSON string. */
public record NodeId(@JsonValue String value) implements Comparable<NodeId> {
    @JsonCreator
    public NodeId {
        Ids.requireValid("node id", value);
    }

    /** A new random node id. */
    public static NodeId random() {
        return new NodeId(Ids.random());
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    /** The first 12 characters, as Docker prints ids in tables. */
    public String shortForm() {
        return value.length() <= 12 ? value : value.substring(0, 12);
    }

    @Override
    public int compareTo(NodeId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
