/**
 * The job orchestrator: replicated and global jobs run to completion, one iteration per spec.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.jobs.JobOrchestrator}.
 */
package dev.shoal.controlplane.orchestrator.jobs;
