package dev.shoal.ca;

import java.io.Serial;

/**
 * A join token that is not of the form {@code SWMTKN-1-<ca digest>-<secret>}. The message says
 * which part is wrong and never contains the secret.
 */
public final class InvalidJoinTokenException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A refusal with the given reason. */
    public InvalidJoinTokenException(String message) {
        super(message);
    }
}
