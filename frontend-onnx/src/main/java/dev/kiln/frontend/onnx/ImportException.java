package dev.kiln.frontend.onnx;

import dev.kiln.runtime.ModelException;

/** An ONNX file cannot be imported; the one-line message starts with the file and says what is wrong where. */
public class ImportException extends ModelException {
    public ImportException(String message) { super(message); }

    public ImportException(String message, Throwable cause) { super(message, cause); }
}
