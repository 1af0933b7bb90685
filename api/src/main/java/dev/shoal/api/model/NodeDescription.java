package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What a node reports about itself when its agent connects.
 *
 * @param executor "docker" or "process": which executor runs this node's tasks
 */
public record NodeDescription(String hostname, Platform platform, Resources resources, Engine engine, String executor) {
    public record Platform(String architecture, @JsonProperty("OS") String os) {}

    public record Resources(@JsonProperty("NanoCPUs") long nanoCpus, long memoryBytes) {}

    /** @param labels the daemon's own labels ({@code shoal daemon --label k=v}), for {@code engine.labels.*} constraints */
    public record Engine(String engineVersion, Map<String, String> labels) {
        public Engine {
            labels = labels == null ? null : Map.copyOf(labels);
        }

        public Engine(String engineVersion) {
            this(engineVersion, null);
        }
    }
}
