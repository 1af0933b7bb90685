package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Names one object by full id, unique id prefix, or name (services, node hostnames). */
public record ObjectRef(@JsonProperty("ID") String id) {}
