package dev.shoal.controlplane;

import dev.shoal.controlplane.allocator.Allocator;
import dev.shoal.controlplane.dispatcher.Dispatcher;
import dev.shoal.controlplane.orchestrator.constraintenforcer.ConstraintEnforcer;
import dev.shoal.controlplane.orchestrator.global.GlobalOrchestrator;
import dev.shoal.controlplane.orchestrator.jobs.JobOrchestrator;
import dev.shoal.controlplane.orchestrator.rebalance.Rebalancer;
import dev.shoal.controlplane.orchestrator.replicated.ReplicatedOrchestrator;
import dev.shoal.controlplane.orchestrator.restart.RestartSupervisor;
import dev.shoal.controlplane.orchestrator.taskreaper.TaskReaper;
import dev.shoal.controlplane.orchestrator.update.Updater;
import dev.shoal.controlplane.reconcile.ReconcileLoop;
import dev.shoal.controlplane.scheduler.Scheduler;
import dev.shoal.controlplane.store.ClusterStore;
import java.time.Clock;
import java.util.List;

/**
 * The services of one leadership term: the reconcilers, each in its own loop, and the dispatcher.
 * They never call each other; each reads the store and writes back, and the next one picks the
 * change up from the watch stream (orchestrator → allocator → scheduler → dispatcher → agent →
 * dispatcher → restart supervisor / updater / task reaper).
 */
final class LeaderServices implements AutoCloseable {
    private final List<ReconcileLoop> loops;
    private final Dispatcher dispatcher;

    private LeaderServices(List<ReconcileLoop> loops, Dispatcher dispatcher) {
        this.loops = loops;
        this.dispatcher = dispatcher;
    }

    /** Starts every leader service; each begins with a full pass over the store. */
    static LeaderServices start(ClusterStore store, ReconcileLoop.Runtime runtime) {
        Clock clock = runtime.clock();
        Dispatcher dispatcher = Dispatcher.start(store, runtime);
        List<ReconcileLoop> loops = List.of(
                ReconcileLoop.start("replicated-orchestrator", store, new ReplicatedOrchestrator(store, clock), runtime),
                ReconcileLoop.start("global-orchestrator", store, new GlobalOrchestrator(store, clock), runtime),
                ReconcileLoop.start("job-orchestrator", store, new JobOrchestrator(store, clock), runtime),
                ReconcileLoop.start("constraint-enforcer", store, new ConstraintEnforcer(store, clock), runtime),
                ReconcileLoop.start("rebalancer", store, new Rebalancer(store, clock), runtime),
                ReconcileLoop.start("restart-supervisor", store, new RestartSupervisor(store, clock), runtime),
                ReconcileLoop.start("updater", store, new Updater(store, clock), runtime),
                ReconcileLoop.start("task-reaper", store, new TaskReaper(store, clock), runtime),
                ReconcileLoop.start("allocator", store, new Allocator(store, clock), runtime),
                ReconcileLoop.start("scheduler", store, new Scheduler(store, clock), runtime));
        return new LeaderServices(loops, dispatcher);
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() {
        loops.forEach(ReconcileLoop::dispose);
        dispatcher.close();
    }
}
