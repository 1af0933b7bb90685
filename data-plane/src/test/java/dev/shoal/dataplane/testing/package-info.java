/**
 * Test fixtures shared by the executor and agent suites: {@link dev.shoal.dataplane.testing.TestTasks}
 * (task factory), {@link dev.shoal.dataplane.testing.TestImage} (the local busybox image, built
 * without a registry), {@link dev.shoal.dataplane.testing.Await} (waits on a condition with a deadline)
 * and {@link dev.shoal.dataplane.testing.TestDocker} (clean-up by this test's labels).
 */
package dev.shoal.dataplane.testing;
