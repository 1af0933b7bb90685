package dev.shoal.api.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Identifier of a service; serialized as a plain JSON string. */
public record ServiceId(@JsonValue String value) implements Comparable<ServiceId> {
    @JsonCreator
    public ServiceId {
        Ids.requireValid("service id", value);
    }

    /** A new random service id. */
    public static ServiceId random() {
        return new ServiceId(Ids.random());
    }

    public static ServiceId of(String value) {
        return new ServiceId(value);
    }

    /** The first 12 characters, as Docker prints ids in tables. */
    public String shortForm() {
        return value.length() <= 12 ? value : value.substring(0, 12);
    }

    @Override
    public int compareTo(ServiceId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
