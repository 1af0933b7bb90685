package dev.shoal.controlplane.store;

import dev.shoal.api.model.Version;

/**
 * One write of a transaction.
 *
 * <ul>
 *   <li>CREATE: the id must not exist (ALREADY_EXISTS otherwise).</li>
 *   <li>UPDATE: the object must exist at exactly {@code value}'s version (CONFLICT otherwise).</li>
 *   <li>DELETE: the object must exist at {@code expected} (CONFLICT otherwise, NOT_FOUND if gone).</li>
 * </ul>
 * The store stamps every written object with the commit's index as its new version.
 */
public record Change(Op op, Kind kind, String id, Version expected, Object value) {
    public enum Op { CREATE, UPDATE, DELETE }

    public static Change create(Object value) {
        return new Change(Op.CREATE, Kind.of(value), Kind.idOf(value), null, value);
    }

    /** Update to {@code value}; the expected version is the one {@code value} carries. */
    public static Change update(Object value) {
        return new Change(Op.UPDATE, Kind.of(value), Kind.idOf(value), Kind.versionOf(value), value);
    }

    /** Delete the object as it was read ({@code value}'s id and version). */
    public static Change delete(Object value) {
        return new Change(Op.DELETE, Kind.of(value), Kind.idOf(value), Kind.versionOf(value), null);
    }
}
