/**
 * The task reaper: deletes tasks that are done with — removed tasks once stopped, and history
 * beyond the swarm's task history retention limit.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.taskreaper.TaskReaper}.
 */
package dev.shoal.controlplane.orchestrator.taskreaper;
