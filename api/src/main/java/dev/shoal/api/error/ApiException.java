package dev.shoal.api.error;

/**
 * A failed API request. The message names what was wrong, e.g. {@code invalid Mode.Replicated.Replicas:
 * -1: must be >= 0}. The server maps it to an RSocket application error and {@code ShoalClient} maps
 * it back, so callers on both sides see the same type.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException invalid(String field, Object value, String rule) {
        return new ApiException(ErrorCode.INVALID_ARGUMENT, "invalid " + field + ": " + value + ": " + rule);
    }

    public static ApiException notFound(String kind, String ref) {
        return new ApiException(ErrorCode.NOT_FOUND, kind + " " + ref + " not found");
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
