/**
 * The server side of the wire contract: {@link dev.shoal.api.server.RouteTable} turns typed handlers
 * into an RSocket that decodes routes and JSON, enforces the request size limit and maps every
 * failure to the API's error body. Used by the manager's API and by each node's control socket.
 */
package dev.shoal.api.server;
