/**
 * The node agent: one dispatcher session at a time (hello, heartbeats, batched status updates in;
 * complete assignment sets out) and the convergence of local tasks on the latest set.
 *
 * <p>Starting point: {@link dev.shoal.dataplane.agent.Agent}; the per-task state machine is in
 * {@code Worker#reconcile}, the wire side in {@code Session}.
 */
package dev.shoal.dataplane.agent;
