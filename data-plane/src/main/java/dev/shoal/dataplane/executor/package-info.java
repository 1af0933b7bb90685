/**
 * Task executors: run a task's container (Docker) or process (the embedded default), observe its
 * exit, stop it with its grace period and find its instances again after a restart.
 *
 * <p>Starting points: {@link dev.shoal.dataplane.executor.Executor} and
 * {@link dev.shoal.dataplane.executor.Controller} (the contract), then
 * {@link dev.shoal.dataplane.executor.DockerExecutor} and
 * {@link dev.shoal.dataplane.executor.ProcessExecutor}. Every executor passes the same behaviour
 * suite ({@code ExecutorSuite} in the tests).
 */
package dev.shoal.dataplane.executor;
