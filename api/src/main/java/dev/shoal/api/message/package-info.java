/**
 * Request and response bodies of the API routes (see {@link dev.shoal.api.Routes}) and the
 * dispatcher's session messages ({@link dev.shoal.api.message.AgentMessage},
 * {@link dev.shoal.api.message.Assignments}).
 */
package dev.shoal.api.message;
