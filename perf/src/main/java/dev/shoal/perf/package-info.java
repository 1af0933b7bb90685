/**
 * Side-by-side measurements of Shoal and Docker Swarm mode on one machine.
 *
 * <p>Starting points: {@link dev.shoal.perf.SwarmComparison} (the main class that
 * {@code perf/run.sh} runs), {@link dev.shoal.perf.systems.SwarmTarget} (one orchestrator under
 * measurement), {@link dev.shoal.perf.ResultsTable} (perf/RESULTS.md).
 */
package dev.shoal.perf;
