package dev.kiln.frontend.onnx;

/**
 * A defect in the model's content found by one of the converters, which do not know the file's name;
 * {@link OnnxImporter} turns it into an {@link ImportException} that names the file.
 */
final class InvalidModelException extends RuntimeException {
    InvalidModelException(String message) { super(message); }

    InvalidModelException(String message, Throwable cause) { super(message, cause); }
}
