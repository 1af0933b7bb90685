package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a node reports about itself when its agent connects.
 *
 * @param executor "docker" or "process": which executor runs this node's tasks
 */
public record NodeDescription(String hostname, Platform platform, Resources resources, Engine engine, String executor) {
    public record Platform(String architecture, @JsonProperty("OS") String os) {}

    public record Resources(@JsonProperty("NanoCPUs") long nanoCpus, long memoryBytes) {}

    public record Engine(String engineVersion) {}
}
