package dev.shoal.api.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoal.api.id.ServiceId;

/** Response of {@code service.create}. */
public record ServiceCreateResponse(@JsonProperty("ID") ServiceId id) {}
