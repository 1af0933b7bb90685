package dev.shoal.controlplane.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.api.codec.Json;
import dev.shoal.api.model.Node;

/**
 * The mapper of the store's files (log entries and snapshots): Shoal's one codec ({@link Json}),
 * copied once, plus a guard for derived getters that Jackson would otherwise write as fields and
 * then refuse to read back ({@link Node#isReady()} appears as {@code "Ready"}). The guard only
 * drops what is derived, so it is harmless once the model itself marks those getters ignored.
 */
final class StoreJson {
    @JsonIgnoreProperties(value = {"Ready", "ready"}, allowGetters = false)
    private abstract static class NodeDerivedFields {}

    private static final ObjectMapper MAPPER = Json.mapper().copy().addMixIn(Node.class, NodeDerivedFields.class);

    private StoreJson() {}

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
