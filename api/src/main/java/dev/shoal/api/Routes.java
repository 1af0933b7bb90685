package dev.shoal.api;

import java.util.List;
import java.util.Set;

/**
 * Every route of the Shoal API. This list is the contract: an RSocket client in any language can
 * use the API from it alone.
 *
 * <h2>Wire format</h2>
 * <ul>
 *   <li>SETUP: metadata MIME type {@value #METADATA_MIME_TYPE}, data MIME type
 *       {@value #DATA_MIME_TYPE}.</li>
 *   <li>Each request carries composite metadata with one {@code message/x.rsocket.routing.v0}
 *       entry holding the route name (as Spring's RSocket support writes it).</li>
 *   <li>Data is UTF-8 JSON with the Docker Engine API's PascalCase field names; durations are
 *       nanoseconds, timestamps RFC 3339. Unknown fields are refused.</li>
 *   <li>A failed request ends with an APPLICATION_ERROR frame whose message is
 *       {@code {"Code":"<ErrorCode>","Message":"<what was wrong>"}}.</li>
 *   <li>Request data larger than {@value #MAX_REQUEST_BYTES} bytes is refused with
 *       RESOURCE_EXHAUSTED.</li>
 * </ul>
 *
 * <p>The table of routes, with request and response types, is {@link #ALL}; {@code api/README.md}
 * prints it with examples.
 */
public final class Routes {
    public static final String METADATA_MIME_TYPE = "message/x.rsocket.composite-metadata.v0";
    public static final String DATA_MIME_TYPE = "application/json";
    public static final int MAX_REQUEST_BYTES = 1 << 20;

    public static final String SYSTEM_INFO = "system.info";
    public static final String SWARM_INIT = "swarm.init";
    public static final String SWARM_INSPECT = "swarm.inspect";
    public static final String SWARM_LEAVE = "swarm.leave";
    public static final String SWARM_JOIN = "swarm.join";
    public static final String SWARM_UPDATE = "swarm.update";
    public static final String NODE_UPDATE = "node.update";
    public static final String NODE_REMOVE = "node.remove";
    /** The CA: the one route a caller without a certificate may use. */
    public static final String NODE_JOIN = "node.join";
    /** The CA: a node's new certificate, for its certificate's node id. */
    public static final String NODE_RENEW = "node.renew";
    /** Internal: a manager asks the leader to add it to the Raft group. */
    public static final String RAFT_JOIN = "raft.join";
    public static final String NODE_LIST = "node.list";
    public static final String NODE_INSPECT = "node.inspect";
    public static final String SERVICE_CREATE = "service.create";
    public static final String SERVICE_INSPECT = "service.inspect";
    public static final String SERVICE_UPDATE = "service.update";
    public static final String SERVICE_REMOVE = "service.remove";
    public static final String SERVICE_ROLLBACK = "service.rollback";
    public static final String SERVICE_LIST = "service.list";
    public static final String TASK_LIST = "task.list";
    public static final String TASK_INSPECT = "task.inspect";
    public static final String EVENTS = "events";
    /** Internal: an agent's session with the dispatcher (request-channel). */
    public static final String DISPATCHER_SESSION = "dispatcher.session";

    /** How a route is called. */
    public enum Interaction { REQUEST_RESPONSE, REQUEST_STREAM, REQUEST_CHANNEL }

    /** One row of the route table. */
    public record Route(String name, Interaction interaction, String request, String response, String doc) {}

    /** The route table. */
    public static final List<Route> ALL = List.of(
            new Route(SYSTEM_INFO, Interaction.REQUEST_RESPONSE, "{}", "SystemInfo", "what this daemon is and whether it is in a swarm"),
            new Route(SWARM_INIT, Interaction.REQUEST_RESPONSE, "SwarmInitRequest", "Swarm", "make this node a one-manager swarm"),
            new Route(SWARM_INSPECT, Interaction.REQUEST_RESPONSE, "{}", "Swarm", "the swarm's id and spec"),
            new Route(SWARM_LEAVE, Interaction.REQUEST_RESPONSE, "SwarmLeaveRequest", "{}", "leave the swarm (a manager needs Force)"),
            new Route(SWARM_JOIN, Interaction.REQUEST_RESPONSE, "SwarmJoinRequest", "{}", "join a swarm with a token (daemon-local)"),
            new Route(SWARM_UPDATE, Interaction.REQUEST_RESPONSE, "SwarmUpdateRequest", "Swarm", "change the spec; rotate join tokens or the root CA"),
            new Route(NODE_LIST, Interaction.REQUEST_STREAM, "{}", "Node...", "every node"),
            new Route(NODE_INSPECT, Interaction.REQUEST_RESPONSE, "ObjectRef", "Node", "one node by id, id prefix or hostname; \"self\" for this node"),
            new Route(NODE_UPDATE, Interaction.REQUEST_RESPONSE, "NodeUpdateRequest", "Node", "role, availability, labels (version checked)"),
            new Route(NODE_REMOVE, Interaction.REQUEST_RESPONSE, "NodeRemoveRequest", "{}", "remove a node; its certificate is refused from then on"),
            new Route(NODE_JOIN, Interaction.REQUEST_RESPONSE, "NodeJoinRequest", "NodeJoinResponse", "CA: a certificate for a join token (no client certificate needed)"),
            new Route(NODE_RENEW, Interaction.REQUEST_RESPONSE, "NodeRenewRequest", "NodeRenewResponse", "CA: renew the caller's certificate"),
            new Route(RAFT_JOIN, Interaction.REQUEST_RESPONSE, "RaftJoinRequest", "{}", "internal: add the calling manager to the Raft group"),
            new Route(SERVICE_CREATE, Interaction.REQUEST_RESPONSE, "ServiceSpec", "ServiceCreateResponse", "validate and store a new service"),
            new Route(SERVICE_INSPECT, Interaction.REQUEST_RESPONSE, "ObjectRef", "Service", "one service by id, id prefix or name"),
            new Route(SERVICE_UPDATE, Interaction.REQUEST_RESPONSE, "ServiceUpdateRequest", "Service", "replace a service's spec (version checked)"),
            new Route(SERVICE_ROLLBACK, Interaction.REQUEST_RESPONSE, "ServiceRollbackRequest", "Service", "return a service to its previous spec, with the rollback config"),
            new Route(SERVICE_REMOVE, Interaction.REQUEST_RESPONSE, "ObjectRef", "{}", "remove a service and shut down its tasks"),
            new Route(SERVICE_LIST, Interaction.REQUEST_STREAM, "{}", "Service...", "every service"),
            new Route(TASK_LIST, Interaction.REQUEST_STREAM, "TaskFilter", "Task...", "tasks, filtered by service, node, desired state"),
            new Route(TASK_INSPECT, Interaction.REQUEST_RESPONSE, "ObjectRef", "Task", "one task by id or id prefix"),
            new Route(EVENTS, Interaction.REQUEST_STREAM, "EventFilter", "Event...", "committed changes from now on, until cancelled"),
            new Route(DISPATCHER_SESSION, Interaction.REQUEST_CHANNEL, "AgentMessage...", "Assignments...", "internal: a node agent's session"));

    /** Routes a caller with no client certificate may use (TCP 2377). */
    public static final Set<String> ANONYMOUS_ROUTES = Set.of(NODE_JOIN);
    /** Routes a worker's certificate may use (TCP 2377); a manager's may use every route but the daemon-local ones. */
    public static final Set<String> WORKER_ROUTES = Set.of(NODE_JOIN, NODE_RENEW, DISPATCHER_SESSION);
    /** Routes only the daemon's own control socket serves. */
    public static final Set<String> DAEMON_ROUTES = Set.of(SYSTEM_INFO, SWARM_INIT, SWARM_JOIN, SWARM_LEAVE);

    private Routes() {}
}
