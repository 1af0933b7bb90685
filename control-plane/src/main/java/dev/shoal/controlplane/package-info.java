/**
 * The manager: the replicated cluster store, the API, the leader services and the dispatcher.
 *
 * <p>Starting points: {@link dev.shoal.controlplane.Manager} (composition and leadership),
 * {@link dev.shoal.controlplane.store.ClusterStore} (the single source of truth).
 */
package dev.shoal.controlplane;
