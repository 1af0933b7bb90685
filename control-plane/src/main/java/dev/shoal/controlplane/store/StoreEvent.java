package dev.shoal.controlplane.store;

import java.time.Instant;

/**
 * One committed change, as {@link ClusterStore#watch()} emits it. All events of one transaction
 * share its index and are emitted together, in the transaction's order.
 *
 * @param before the object before the change (null on create)
 * @param after  the object after the change, with its new version (null on delete)
 */
public record StoreEvent(long index, Instant time, Kind kind, Action action, String id, Object before, Object after) {
    public enum Action { CREATE, UPDATE, REMOVE }
}
