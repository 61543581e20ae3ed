package dev.kiln.runtime.spi;

import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.RuntimeValue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes a tensor file format other than {@code .npy} (which the runtime reads itself), e.g. ONNX's
 * serialized TensorProto {@code .pb}. Found with {@link java.util.ServiceLoader}.
 */
public interface TensorCodec {
    /** File name suffix handled, e.g. {@code .pb}. */
    String suffix();

    /** Reads a value; {@code expected} (may be null) tells sequence and optional files from tensor files. */
    RuntimeValue read(Path file, ValueType expected) throws IOException;

    void write(Path file, RuntimeValue value) throws IOException;
}
