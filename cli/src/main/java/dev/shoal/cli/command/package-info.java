/**
 * The {@code shoal} commands, on picocli, with Docker's names, flags and output:
 * {@code daemon}, {@code swarm ca|init|inspect|join|join-token|leave|update},
 * {@code node demote|inspect|ls|promote|ps|rm|update},
 * {@code service create|inspect|ls|ps|rm|scale|update}, {@code info}, {@code version}.
 *
 * <p>Starting points: {@link dev.shoal.cli.command.ShoalCommand} (the root and its subcommands),
 * {@link dev.shoal.cli.command.ServiceCreateCommand}, {@link dev.shoal.cli.command.ErrorHandlers}
 * (what an error prints and its exit code). Commands reach the daemon through the
 * {@link dev.shoal.cli.command.DaemonConnection} mixin and print only through
 * {@link dev.shoal.cli.console.Output}.
 */
package dev.shoal.cli.command;
