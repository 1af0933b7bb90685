/**
 * The restart supervisor: replaces tasks that ended (or whose node went down) under their restart
 * policy, and starts held tasks (desired READY) once their restart delay has passed and the task
 * they replace has stopped.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.restart.RestartSupervisor}.
 */
package dev.shoal.controlplane.orchestrator.restart;
