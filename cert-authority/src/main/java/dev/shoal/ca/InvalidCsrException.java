package dev.shoal.ca;

import java.io.Serial;

/**
 * A certificate signing request the CA refuses: not PKCS#10, a signature that does not verify, or
 * a key that is not ECDSA P-256. The message names the problem; nothing is issued.
 */
public final class InvalidCsrException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A refusal with the given reason. */
    public InvalidCsrException(String message) {
        super(message);
    }

    /** A refusal with the given reason and the error that revealed it. */
    public InvalidCsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
