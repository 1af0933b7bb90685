/**
 * Waiting for a service to converge, with Docker's progress display:
 * {@link dev.shoal.cli.progress.ConvergenceMonitor} (events stream, polling, verify window,
 * timeout) over {@link dev.shoal.cli.progress.ConvergenceTracker} (pure: service and tasks to
 * progress lines).
 */
package dev.shoal.cli.progress;
