/**
 * Support for Shoal's system tests: condition waits with deadlines ({@link dev.shoal.tests.Await}),
 * the host's Docker CLI ({@link dev.shoal.tests.DockerCli}) and daemons under test
 * ({@link dev.shoal.tests.TestDaemons}). The tests themselves are under src/test.
 */
package dev.shoal.tests;
