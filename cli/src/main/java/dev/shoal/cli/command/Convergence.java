package dev.shoal.cli.command;

import dev.shoal.api.client.ShoalClient;
import dev.shoal.cli.console.ProgressDisplay;
import dev.shoal.cli.progress.ConvergenceMonitor;

/** Waits for a service to converge after create, update or scale, unless {@code --detach}. */
final class Convergence {
    private Convergence() {}

    /**
     * Shows progress (unless {@code quiet}) until the service converges.
     *
     * @throws CliException when it has not converged within the context's timeout
     */
    static void await(ShoalClient client, String serviceId, String serviceName, CliContext context, boolean quiet) {
        ProgressDisplay display = new ProgressDisplay(context.output());
        ConvergenceMonitor monitor = new ConvergenceMonitor(client,
                quiet ? lines -> {} : display::show,
                context.clock(), context.verifyWindow(), context.convergeTimeout());
        ConvergenceMonitor.Outcome outcome;
        try {
            outcome = monitor.await(serviceId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("Operation continuing in background.\nUse `shoal service ps " + serviceName + "` to check progress.");
        }
        if (!outcome.converged()) {
            throw new CliException(ConvergenceMonitor.timeoutMessage(serviceName, outcome, context.convergeTimeout()));
        }
    }

}
