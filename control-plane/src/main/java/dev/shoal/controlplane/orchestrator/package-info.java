/**
 * Orchestration: turning services into tasks, one reconciler per package, as in swarmkit —
 * {@link dev.shoal.controlplane.orchestrator.replicated} (one task per slot, scaling),
 * {@link dev.shoal.controlplane.orchestrator.restart} (restart policy, delayed starts),
 * {@link dev.shoal.controlplane.orchestrator.update} (replacing tasks whose template changed) and
 * {@link dev.shoal.controlplane.orchestrator.taskreaper} (task history and removal). They hand off
 * through the store only.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.Tasks}, the rules about tasks that
 * all of them share (what occupies a slot, when a task has ended, what a new task looks like).
 */
package dev.shoal.controlplane.orchestrator;
