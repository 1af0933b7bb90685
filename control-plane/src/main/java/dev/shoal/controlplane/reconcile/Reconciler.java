package dev.shoal.controlplane.reconcile;

import dev.shoal.controlplane.store.StoreEvent;
import dev.shoal.controlplane.store.StoreView;
import java.time.Instant;
import reactor.core.publisher.Mono;

/**
 * One leader service as a pure function of the store: read a view, commit the changes that move
 * the cluster towards what it should be, and say when to look again.
 *
 * <p>Contract: a pass is idempotent (a second pass over the same view commits nothing) and keeps
 * no state between passes that the store does not also hold, so that a new leader picks up where
 * the old one stopped. A pass that fails with a stale write (CONFLICT, NOT_FOUND, ALREADY_EXISTS:
 * someone else wrote first) is simply run again on a newer view. Passes of one reconciler never
 * overlap; {@link #reconcile} is called on the loop's work scheduler and must not block.
 */
public interface Reconciler {

    /** Whether a committed change may give this reconciler work; other events do not wake it. */
    boolean concerns(StoreEvent event);

    /**
     * One pass over {@code view}.
     *
     * @return completes after the pass's commits, with the instant (on the loop's clock) at which
     *         the pass wants to run again even if nothing changes, or empty when only changes matter
     */
    Mono<Instant> reconcile(StoreView view);
}
