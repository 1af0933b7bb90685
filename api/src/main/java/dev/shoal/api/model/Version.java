package dev.shoal.api.model;

/**
 * The store index at which an object was last written. An update must quote the version it read;
 * a stale version is refused with {@link dev.shoal.api.error.ErrorCode#CONFLICT}.
 */
public record Version(long index) {
    public static final Version ZERO = new Version(0);
}
