package dev.kiln.runtime;

/** The inputs given to a session do not match the model: unknown or missing name, wrong dtype or shape. */
public class InputException extends KilnException {
    public InputException(String message) { super(message); }
}
