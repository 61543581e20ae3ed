package dev.kiln.runtime.io;

import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.spi.TensorCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** Reads and writes tensor files by suffix: {@code .npy} here, others ({@code .pb}) through {@link TensorCodec}s. */
public final class TensorFiles {
    private TensorFiles() {}

    public static RuntimeValue read(Path file, ValueType expected) {
        if (!Files.isRegularFile(file)) throw new KilnException(file + ": no such file");
        try {
            if (file.getFileName().toString().endsWith(".npy")) return Npy.read(file);
            return codecFor(file).read(file, expected);
        } catch (IOException e) {
            throw new KilnException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static void write(Path file, RuntimeValue value) {
        try {
            if (file.getFileName().toString().endsWith(".npy")) {
                if (!(value instanceof Tensor t)) throw new KilnException(file + ": .npy holds tensors only, not " + value.type());
                Npy.write(file, t);
                return;
            }
            codecFor(file).write(file, value);
        } catch (IOException e) {
            throw new KilnException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static TensorCodec codecFor(Path file) {
        String name = file.getFileName().toString();
        for (TensorCodec codec : ServiceLoader.load(TensorCodec.class, TensorFiles.class.getClassLoader())) {
            if (name.endsWith(codec.suffix())) return codec;
        }
        throw new KilnException(file + ": unknown tensor file type (expected .npy or .pb)");
    }
}
