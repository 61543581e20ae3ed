package dev.kiln.ir.ops;

/** A node's inputs or attributes are invalid for its op; the message names the node. */
public class InferenceException extends RuntimeException {
    public InferenceException(String message) { super(message); }
}
