package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.ConstantResolver;
import dev.kiln.ir.text.IrPrinter;
import dev.kiln.runtime.io.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@code --dump-dir}: {@code NNN_<pass>.ir} after each pass, and every constant too large to print inline as
 * {@code constants/<sha256>.npy}, so that each dump parses back ({@link #resolver}).
 */
public final class IrDump {
    private final Path dir;

    public IrDump(Path dir) { this.dir = dir; }

    public void write(int index, String passName, Graph graph) throws IOException {
        Path constants = Files.createDirectories(dir.resolve("constants"));
        for (Map.Entry<String, Tensor> e : ConstantResolver.tensorsByHash(graph).entrySet()) {
            if (e.getValue().size() <= IrPrinter.INLINE_LIMIT) continue;
            Path file = constants.resolve(e.getKey() + ".npy");
            if (!Files.exists(file)) Npy.write(file, e.getValue());
        }
        Files.writeString(dir.resolve(String.format("%03d_%s.ir", index, passName)), IrPrinter.print(graph));
    }

    /** Resolves the constants of a dump directory's IR files. */
    public static ConstantResolver resolver(Path dir) {
        return hash -> {
            Path file = dir.resolve("constants").resolve(hash + ".npy");
            try {
                return Files.exists(file) ? Npy.read(file) : null;
            } catch (IOException e) {
                return null;
            }
        };
    }
}
