/**
 * The cluster store: versioned swarm objects replicated through Raft (Apache Ratis), atomic
 * transactions with version checks, snapshots, and a watch stream of committed changes.
 *
 * <p>Starting points: {@link dev.shoal.controlplane.store.ClusterStore} (the contract),
 * {@link dev.shoal.controlplane.store.StoreView}, {@link dev.shoal.controlplane.store.Transaction}.
 */
package dev.shoal.controlplane.store;
