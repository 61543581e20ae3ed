package dev.kiln.models;

import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.runtime.Backends;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.Session;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The digits CNN as ONNX QOperator ops ({@code examples/digits/digits_cnn_int8.onnx}, written by
 * {@code quantize_digits_qoperator.py}: QuantizeLinear, QLinearConv, uint8 MaxPool and Flatten, QLinearMatMul,
 * DequantizeLinear) on the OpenCL backend's int8 kernels against the reference backend, imported and optimized.
 * Skipped without an OpenCL platform, except under {@code CI=true}.
 */
class OpenClQuantizedModelTest {
    private static final Path DIR = RepoRoot.find().resolve("examples/digits");

    @ParameterizedTest
    @EnumSource(value = OptLevel.class, names = {"O0", "O2"})
    void quantizedDigitsMatchTheReferenceBackend(OptLevel level) throws Exception {
        boolean available = Backends.byName("opencl").devices().stream().anyMatch(d -> d.available());
        if (!available && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("no OpenCL device under CI=true: install pocl-opencl-icd (.ci/run does)");
        }
        Assumptions.assumeTrue(available, "no OpenCL device on this machine");
        Path file = DIR.resolve("digits_cnn_int8.onnx");
        Model imported = Kiln.load(file);
        Graph graph = imported.graph();
        Map<String, Tensor> feed = Map.of(graph.inputs().getFirst().name(), Npy.read(DIR.resolve("samples.npy")));
        Tensor expected = run(imported, "ref", feed);
        Graph compiled = level == OptLevel.O0 ? graph
                : PassManager.forLevel(level, PassOptions.none(), new PrintWriter(Writer.nullWriter()))
                        .run(graph, new PassContext(level, Map.of(), TargetPreferences.reference())).graph();
        Tensor actual = run(Kiln.fromGraph(compiled, file), "opencl", feed);
        System.out.println(Closeness.assertClose("digits int8 -" + level + " on opencl vs ref", expected, actual));
        // the quantized model still classifies all 16 held-out samples correctly (as the float model does)
        Tensor labels = Npy.read(DIR.resolve("labels.npy"));
        for (int row = 0; row < labels.size(); row++) assertEquals(labels.getLong(row), argmax(actual, row), "sample " + row);
    }

    private static long argmax(Tensor logits, int row) {
        int classes = (int) logits.shape()[1];
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (logits.getDouble(row * classes + c) > logits.getDouble(row * classes + best)) best = c;
        }
        return best;
    }

    private static Tensor run(Model model, String device, Map<String, Tensor> feed) {
        CompiledModel compiled = model.compile(CompileOptions.defaults().withDevice(device));
        assertEquals(device, compiled.device());
        if (device.equals("opencl")) {
            assertTrue(compiled.kernels().stream().anyMatch(k -> k.kernel().contains("quantized conv to u8")), compiled.kernels().toString());
        }
        try (Session session = compiled.newSession()) {
            return session.run(feed).get("logits");
        }
    }
}
