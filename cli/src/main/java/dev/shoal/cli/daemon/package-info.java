/**
 * {@code shoal daemon}: one node. {@link dev.shoal.cli.daemon.ShoalDaemon} owns the data directory,
 * the node id, the executor and the control socket, and starts a
 * {@link dev.shoal.cli.daemon.SwarmMember} (Raft store, manager, agent) on {@code swarm init} or
 * when it finds {@code swarm/state.json} at start. Configured by
 * {@link dev.shoal.cli.daemon.DaemonConfig}; several daemons can run in one JVM.
 *
 * <p>Starting points: {@link dev.shoal.cli.daemon.ShoalDaemon},
 * {@link dev.shoal.cli.daemon.SwarmMember}, {@link dev.shoal.cli.daemon.ControlSocket}.
 */
package dev.shoal.cli.daemon;
