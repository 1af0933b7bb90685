/**
 * The manager: the API, and the leader services that run while this manager leads the Raft group.
 *
 * <p>Starting points: {@link dev.shoal.controlplane.Manager} (composition and leadership),
 * {@link dev.shoal.controlplane.store.ClusterStore} (the single source of truth),
 * {@link dev.shoal.controlplane.reconcile.Reconciler} (what every leader service is). The module's
 * README.md walks through how a service becomes running tasks.
 */
package dev.shoal.controlplane;
