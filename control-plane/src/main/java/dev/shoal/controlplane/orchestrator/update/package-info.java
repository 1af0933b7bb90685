/**
 * The updater: replaces the tasks of a service whose task template changed, one slot at a time.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.update.Updater}.
 */
package dev.shoal.controlplane.orchestrator.update;
