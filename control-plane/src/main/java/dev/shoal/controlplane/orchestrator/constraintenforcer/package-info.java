/**
 * The constraint enforcer: tasks leave a node that no longer satisfies their placement.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.constraintenforcer.ConstraintEnforcer}.
 */
package dev.shoal.controlplane.orchestrator.constraintenforcer;
