/**
 * The swarm's certificate authority: the root CA, node certificates issued from CSRs with the role
 * in the OU, join tokens ({@code SWMTKN-1-<ca digest>-<secret>}), node credentials on disk, and
 * TLS 1.3 contexts for mutual TLS between nodes.
 *
 * <p>Starting points: {@link dev.shoal.ca.RootCa} (issuing), {@link dev.shoal.ca.JoinToken},
 * {@link dev.shoal.ca.NodeCredentials} (a node's key, certificate and roots),
 * {@link dev.shoal.ca.Tls} with {@link dev.shoal.ca.ReloadingKeyManager} and
 * {@link dev.shoal.ca.ClusterTrustManager} (who may connect), and
 * {@link dev.shoal.ca.TokenTrustManager} (joining).
 */
package dev.shoal.ca;
