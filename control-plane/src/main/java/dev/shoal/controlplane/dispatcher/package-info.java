/**
 * The dispatcher: the leader's end of every node agent's session ({@code dispatcher.session}).
 * It registers the node on hello, streams the node's complete assignment set whenever it changes,
 * applies the agent's task status reports in batches, and marks nodes DOWN when they miss their
 * heartbeats.
 *
 * <p>Starting point: {@link dev.shoal.controlplane.dispatcher.Dispatcher}.
 */
package dev.shoal.controlplane.dispatcher;
