package dev.shoal.cli.command;

/**
 * A failure found on the client side (a template that names no field, a service that did not
 * converge in time). Printed as is, without the "Error response from daemon" prefix, and the
 * command exits with 1.
 */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message, null, false, false);
    }
}
