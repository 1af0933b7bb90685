package dev.shoal.api.message;

/** The renewed certificate and the roots to trust now (PEM). */
public record NodeRenewResponse(String role, String certificate, @com.fasterxml.jackson.annotation.JsonProperty("RootCAs") String rootCas) {}
