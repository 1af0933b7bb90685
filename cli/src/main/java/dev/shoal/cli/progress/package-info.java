/**
 * Waiting for a service to converge, with Docker's progress display:
 * {@link dev.shoal.cli.progress.ConvergenceMonitor} (events stream, polling, verify window,
 * timeout, the update status of an update or rollback) over
 * {@link dev.shoal.cli.progress.ConvergenceTracker} (pure: service, tasks and nodes to progress
 * lines, for every service mode).
 */
package dev.shoal.cli.progress;
