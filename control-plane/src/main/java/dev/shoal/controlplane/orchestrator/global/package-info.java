/**
 * The global orchestrator: one task of every global service on every node that fits it.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.global.GlobalOrchestrator}.
 */
package dev.shoal.controlplane.orchestrator.global;
