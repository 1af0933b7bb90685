package dev.shoal.cli.command;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.model.Service;
import dev.shoal.api.model.UpdateStatus;
import dev.shoal.cli.console.ProgressDisplay;
import dev.shoal.cli.progress.ConvergenceMonitor;

/** Waits for a service to converge after create, update, scale or rollback, unless {@code --detach}. */
final class Convergence {
    private Convergence() {}

    /** What was written, for the progress shown. */
    enum Operation { CREATE, UPDATE, ROLLBACK }

    /**
     * Shows progress (unless {@code quiet}) until the service converges; its update status is not
     * followed (create, scale).
     *
     * @throws CliException when it has not converged within the context's timeout
     */
    static void await(ShoalClient client, String serviceId, String serviceName, CliContext context, boolean quiet) {
        run(client, serviceId, null, serviceName, context, quiet);
    }

    /**
     * As {@link #await(ShoalClient, String, String, CliContext, boolean)} after an update or a
     * rollback: {@code written} is the service the write returned, and its update status, when a
     * rollout started, is followed to its end.
     *
     * @throws CliException when the rollout paused, was rolled back, or did not end in time
     */
    static void await(ShoalClient client, Service written, String serviceName, CliContext context, boolean quiet, Operation operation) {
        UpdateStatus status = written.updateStatus();
        if (operation == Operation.ROLLBACK && (status == null || !status.state().isRollback())) {
            status = null;
        }
        run(client, written.id().value(), status, serviceName, context, quiet);
    }

    private static void run(ShoalClient client, String serviceId, UpdateStatus written, String serviceName, CliContext context, boolean quiet) {
        ProgressDisplay display = new ProgressDisplay(context.output());
        ConvergenceMonitor monitor = new ConvergenceMonitor(client,
                quiet ? lines -> {} : display::show,
                context.clock(), context.verifyWindow(), context.convergeTimeout());
        ConvergenceMonitor.Outcome outcome;
        try {
            outcome = monitor.await(serviceId, written);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Operation continuing in background.\nUse `shoal service ps " + serviceName + "` to check progress.");
        }
        if (outcome.failure() != null) {
            throw new CliException(outcome.failure());
        }
        if (!outcome.converged()) {
            throw new CliException(ConvergenceMonitor.timeoutMessage(serviceName, outcome, context.convergeTimeout()));
        }
    }
}
