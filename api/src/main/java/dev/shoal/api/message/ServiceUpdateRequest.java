package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.model.ServiceSpec;
import dev.shoal.api.model.Version;

/**
 * Body of {@code service.update}: the whole new spec and the version it was made from. A stale
 * version is refused with CONFLICT and nothing is written.
 */
public record ServiceUpdateRequest(@JsonProperty("ID") String id, Version version, ServiceSpec spec) {}
