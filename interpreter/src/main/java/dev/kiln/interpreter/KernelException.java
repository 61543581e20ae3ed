package dev.kiln.interpreter;

/** A kernel rejected its inputs at run time; the message names the node. */
public class KernelException extends RuntimeException {
    public KernelException(String message) { super(message); }
}
