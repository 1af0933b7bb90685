/**
 * The scheduler: places PENDING tasks on nodes through a pipeline of
 * {@link dev.shoal.controlplane.scheduler.NodeFilter}s, ranks the nodes that pass, assigns in
 * batches, and writes on every task it cannot place why not.
 *
 * <p>Starting points: {@link dev.shoal.controlplane.scheduler.Scheduler},
 * {@link dev.shoal.controlplane.scheduler.NodeFilter}, {@link dev.shoal.controlplane.scheduler.FilterPipeline}.
 */
package dev.shoal.controlplane.scheduler;
