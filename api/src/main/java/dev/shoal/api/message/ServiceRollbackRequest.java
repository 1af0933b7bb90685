package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.model.Version;

/**
 * Body of {@code service.rollback}: return a service to its previous spec. {@code Version}, when
 * set, must be the service's current version (CONFLICT otherwise); a service with no previous spec
 * is refused with FAILED_PRECONDITION and nothing is written.
 */
public record ServiceRollbackRequest(@JsonProperty("ID") String id, Version version) {}
