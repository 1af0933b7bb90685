package dev.shoal.api.message;

import dev.shoal.api.model.NodeDescription;

/**
 * Body of {@code node.join}, the only route a caller without a certificate may use: a node proves
 * the join token's secret and asks the CA for a certificate. The CA chooses the node id, the role
 * (from which token matched) and the organization; the CSR's subject is ignored.
 *
 * @param token         the join token
 * @param csr           a PKCS#10 request, base64 of its DER, for an ECDSA P-256 key
 * @param description   what the node is (hostname, executor)
 * @param advertiseAddr the node's address as others reach it (its manager API address for a manager)
 */
public record NodeJoinRequest(String token, @com.fasterxml.jackson.annotation.JsonProperty("CSR") String csr,
                              NodeDescription description, String advertiseAddr) {}
