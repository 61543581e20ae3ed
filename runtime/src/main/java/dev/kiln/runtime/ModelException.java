package dev.kiln.runtime;

/** The model file cannot be read, imported or compiled. */
public class ModelException extends KilnException {
    public ModelException(String message) { super(message); }

    public ModelException(String message, Throwable cause) { super(message, cause); }
}
