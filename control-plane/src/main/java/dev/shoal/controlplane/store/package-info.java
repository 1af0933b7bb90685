/**
 * The cluster store: versioned swarm objects replicated through Raft (Apache Ratis), atomic
 * transactions with version checks, snapshots, and a watch stream of committed changes.
 *
 * <p>Starting points: {@link dev.shoal.controlplane.store.ClusterStore} (the contract),
 * {@link dev.shoal.controlplane.store.StoreView}, {@link dev.shoal.controlplane.store.Transaction}.
 *
 * <p>Implementation: {@link dev.shoal.controlplane.store.RaftClusterStore} (one Raft member on
 * Netty RPC, {@code startNow}, {@code awaitLeader}) runs a
 * {@link dev.shoal.controlplane.store.ClusterStateMachine}, which decodes each log entry
 * ({@link dev.shoal.controlplane.store.TransactionCodec}), applies it with
 * {@link dev.shoal.controlplane.store.TransactionApplier} (a pure function of view and
 * transaction, so every member refuses the same transactions) and writes snapshots with
 * {@link dev.shoal.controlplane.store.SnapshotCodec}. Views are built from
 * {@link dev.shoal.controlplane.store.PersistentMap}s, so a commit costs O(changes · log n).
 *
 * <p>Why it is built this way (immutable views, event order, timeouts):
 * {@code control-plane/design/store.md}.
 */
package dev.shoal.controlplane.store;
