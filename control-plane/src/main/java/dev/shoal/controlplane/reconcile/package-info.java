/**
 * How leader services run: each is a {@link dev.shoal.controlplane.reconcile.Reconciler}, a
 * level-triggered pass over a {@link dev.shoal.controlplane.store.StoreView} that writes back what
 * it must, driven by a {@link dev.shoal.controlplane.reconcile.ReconcileLoop} that coalesces the
 * store's watch events, re-runs after a stale write and wakes the pass at the deadlines it asks
 * for (restart delays, heartbeat expiry).
 *
 * <p>Starting points: {@link dev.shoal.controlplane.reconcile.Reconciler},
 * {@link dev.shoal.controlplane.reconcile.ReconcileLoop}, {@link dev.shoal.controlplane.reconcile.Commits}.
 */
package dev.shoal.controlplane.reconcile;
