/**
 * The orchestrators under measurement, behind one interface so that both are measured by the same
 * code: {@link dev.shoal.perf.systems.SwarmTarget}, with {@link dev.shoal.perf.systems.ShoalTarget}
 * (a {@code shoal daemon} started by {@link dev.shoal.perf.systems.ShoalDaemonProcess}) and
 * {@link dev.shoal.perf.systems.DockerSwarmTarget} (Docker Swarm mode on the local dockerd, through
 * {@link dev.shoal.perf.systems.DockerEngine}).
 */
package dev.shoal.perf.systems;
