/**
 * The data plane of a Shoal node: the agent that keeps a session with the manager's dispatcher and
 * the executors that run the node's tasks.
 *
 * <p>Starting points: {@link dev.shoal.dataplane.agent.Agent} (the session and task convergence),
 * {@link dev.shoal.dataplane.executor.Executor} (the seam to a container runtime), then
 * {@link dev.shoal.dataplane.executor.DockerExecutor} and
 * {@link dev.shoal.dataplane.executor.ProcessExecutor}.
 */
package dev.shoal.dataplane;
