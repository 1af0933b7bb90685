package dev.shoal.controlplane.testing;

import dev.shoal.controlplane.reconcile.ReconcileLoop;
import dev.shoal.controlplane.reconcile.Reconciler;
import dev.shoal.controlplane.store.ClusterStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs chosen reconcilers against a store, as a leader would, with their deadlines on a virtual
 * clock: a test of one reconciler runs that one alone and plays the others' part itself.
 */
public final class Loops implements AutoCloseable {
    private final Scheduler work = Schedulers.newSingle("test-leader", true);
    private final List<ReconcileLoop> loops = new ArrayList<>();
    private final ClusterStore store;
    private final VirtualClock clock;

    public Loops(ClusterStore store, VirtualClock clock) {
        this.store = store;
        this.clock = clock;
    }

    public ReconcileLoop.Runtime runtime() {
        return new ReconcileLoop.Runtime(clock, work, clock.scheduler(), Duration.ofMillis(1));
    }

    public Loops run(Reconciler r) {
        loops.add(ReconcileLoop.start(r.getClass().getSimpleName(), store, r, runtime()));
        return this;
    }

    @Override
    public void close() {
        loops.forEach(ReconcileLoop::dispose);
        work.dispose();
    }
}
