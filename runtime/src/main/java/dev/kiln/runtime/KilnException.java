package dev.kiln.runtime;

/**
 * A one-line, user-facing error: a bad model, a bad input, or a failure while running. The message names the file,
 * node and op where they are known; the CLI prints it as is.
 */
public class KilnException extends RuntimeException {
    public KilnException(String message) { super(message); }

    public KilnException(String message, Throwable cause) { super(message, cause); }
}
