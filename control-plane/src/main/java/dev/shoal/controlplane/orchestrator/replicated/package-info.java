/**
 * The replicated orchestrator: for every replicated service, slots 1..replicas, each held by
 * exactly one task; creates tasks for free slots and removes the extra slots on scale-down.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.replicated.ReplicatedOrchestrator}.
 */
package dev.shoal.controlplane.orchestrator.replicated;
