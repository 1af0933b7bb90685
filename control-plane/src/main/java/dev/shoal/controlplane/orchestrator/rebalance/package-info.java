/**
 * The rebalancer: {@code service update --rebalance} spreads a service's tasks again.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.orchestrator.rebalance.Rebalancer}.
 */
package dev.shoal.controlplane.orchestrator.rebalance;
