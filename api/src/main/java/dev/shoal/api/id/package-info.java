/** Typed identifiers of swarm objects ({@link dev.shoal.api.id.NodeId}, {@link dev.shoal.api.id.ServiceId}, {@link dev.shoal.api.id.TaskId}). */
package dev.shoal.api.id;
