package dev.kiln.backend.opencl.fpga;

import dev.kiln.frontend.onnx.OnnxImporter;
import dev.kiln.ir.Graph;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ONNX backend tests' AlexNet ({@code light/light_bvlc_alexnet.onnx}), imported, optimized at -O2 and typed
 * for estimating. The data lies in the nearest {@code shared/onnx-backend-tests} above the working directory
 * (or {@code $KILN_CONFORMANCE_DIR}); null when it is absent.
 */
final class AlexNet {
    private AlexNet() {}

    static Path file() {
        String env = System.getenv("KILN_CONFORMANCE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env, "light", "light_bvlc_alexnet.onnx");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("onnx-backend-tests").resolve("light").resolve("light_bvlc_alexnet.onnx");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    static Graph typed() {
        Path file = file();
        if (file == null) return null;
        Graph imported = OnnxImporter.importFile(file);
        Graph optimized = PassManager.forLevel(OptLevel.O2, PassOptions.none(), new PrintWriter(Writer.nullWriter()))
                .run(imported, PassContext.defaults()).graph();
        return FpgaEstimator.typedForEstimate(optimized);
    }
}
