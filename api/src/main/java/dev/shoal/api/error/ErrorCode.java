package dev.shoal.api.error;

/**
 * Why a request failed; the codes of gRPC, which swarmkit's control API uses. Clients decide
 * from the code whether a retry may help ({@link #isRetryable()}).
 */
public enum ErrorCode {
    /** A field of the request breaks a rule; the message names the field and the rule. */
    INVALID_ARGUMENT,
    /** The object named does not exist. */
    NOT_FOUND,
    /** An object with that name exists already. */
    ALREADY_EXISTS,
    /** The version quoted is not the object's current version. */
    CONFLICT,
    /** The node is not in the state the request needs (not in a swarm, already in one). */
    FAILED_PRECONDITION,
    /** The caller's certificate (or its absence) does not allow the request: a worker calling a manager route, a bad join token. */
    PERMISSION_DENIED,
    /** The route is not known. */
    UNIMPLEMENTED,
    /** The payload is larger than the limit. */
    RESOURCE_EXHAUSTED,
    /** No leader, or the node is shutting down; retry later. */
    UNAVAILABLE,
    /** A bug or an unexpected failure. */
    INTERNAL;

    public boolean isRetryable() {
        return this == UNAVAILABLE;
    }
}
