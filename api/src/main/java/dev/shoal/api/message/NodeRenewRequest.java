package dev.shoal.api.message;

/**
 * Body of {@code node.renew}: a node asks for a new certificate for a new key. The node is the
 * caller's certificate's CN; the role is the one the store holds for it now (so a promotion or
 * demotion takes effect at the next renewal), never what the CSR asks.
 *
 * @param csr base64 of a PKCS#10 DER request for an ECDSA P-256 key
 */
public record NodeRenewRequest(@com.fasterxml.jackson.annotation.JsonProperty("CSR") String csr) {}
