package dev.kiln.runtime.spi;

import dev.kiln.ir.Graph;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a model file into IR. Found with {@link java.util.ServiceLoader}, so the runtime never depends on an
 * importer: the ONNX frontend provides one, saved artifacts another.
 */
public interface ModelLoader {
    /** A short name for messages, e.g. {@code onnx}. */
    String format();

    /** Whether this loader reads the file; decided from its name and first bytes. */
    boolean accepts(Path file, byte[] head);

    /** Reads the model; throws {@link dev.kiln.runtime.ModelException} with a one-line message on bad input. */
    Graph load(Path file) throws IOException;
}
