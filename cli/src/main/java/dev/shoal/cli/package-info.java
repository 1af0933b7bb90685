/**
 * The {@code shoal} command line and the runnable distribution.
 *
 * <p>Starting points: {@link dev.shoal.cli.ShoalMain} (the program),
 * {@link dev.shoal.cli.command.ShoalCommand} (the commands),
 * {@link dev.shoal.cli.daemon.ShoalDaemon} (one node, {@code shoal daemon}).
 */
package dev.shoal.cli;
