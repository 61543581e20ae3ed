package dev.kiln.passes;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.io.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * fold-batch-norm, the conv and gemm fusions and dead-code elimination on real exported CNNs: no BatchNormalization
 * is left, no activation or residual Add still follows a convolution, and the outputs match both PyTorch's and the
 * unoptimized graph's on the reference backend. The committed models always run; the torchvision exports exist only
 * after {@code tools/models/export_torchvision.py} has written them to {@code target/torchvision/} ({@code bin/test} runs it;
 * under {@code CI=true} their absence fails).
 */
class FusionRealModelsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final List<String> PIPELINE = List.of("fold-batch-norm", "fuse-conv-bias-activation",
            "fuse-gemm-bias-activation", "eliminate-dead-code");
    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid",
            "HardSwish", "Gelu");
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"cnn_bn", "resnet", "mobilenet", "unet"})
    void committedModels(String name) throws IOException {
        check(ROOT.resolve("models").resolve(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet18_bn", "mobilenet_v2", "mobilenet_v2_bn"})
    void torchvisionModels(String name) throws IOException {
        Path dir = ROOT.resolve("target/torchvision").resolve(name);
        if (!Files.isRegularFile(dir.resolve("model.onnx")) && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(dir + " is absent under CI=true: bin/test exports it with tools/models/export_torchvision.py");
        }
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("model.onnx")),
                dir + " is absent: run /usr/bin/python3 tools/models/export_torchvision.py to export it");
        check(dir);
    }

    private static void check(Path dir) throws IOException {
        Graph before = Kiln.load(dir.resolve("model.onnx")).graph();
        PassManager manager = new PassManager(PIPELINE.stream().map(PassRegistry::byName).toList(), PassOptions.verifying(),
                new PrintWriter(Writer.nullWriter()));
        Graph after = manager.run(before, PassContext.defaults()).graph();
        System.out.println(dir.getFileName() + ": " + before.nodes().size() + " nodes → " + after.nodes().size()
                + "\n  before " + histogram(before) + "\n  after  " + histogram(after));
        assertStructure(before, after);

        Map<String, RuntimeValue> inputs = new HashMap<>();
        for (int i = 0; i < before.inputs().size(); i++) {
            inputs.put(before.inputs().get(i).name(), Npy.read(dir.resolve("input_" + i + ".npy")));
        }
        Map<String, RuntimeValue> reference = Interpreter.run(before, inputs);
        Map<String, RuntimeValue> optimized = Interpreter.run(after, inputs);
        for (int i = 0; i < before.outputs().size(); i++) {
            String out = before.outputs().get(i).name();
            Tensor fused = (Tensor) optimized.get(out);
            assertClose(Npy.read(dir.resolve("output_" + i + ".npy")), fused, out + " vs PyTorch");
            assertClose((Tensor) reference.get(out), fused, out + " vs the unoptimized graph");
        }
    }

    /** No BatchNormalization; no activation or two-operand Add reads a Conv's or ConvTranspose's output directly. */
    private static void assertStructure(Graph before, Graph after) {
        Map<String, Node> producers = new HashMap<>();
        after.nodes().forEach(n -> n.outputs().forEach(v -> producers.put(v.name(), n)));
        for (Node n : after.nodes()) {
            assertTrue(!n.op().equals("BatchNormalization"), "BatchNormalization left: " + n.describe());
            boolean activation = n.domain().isEmpty() && ACTIVATIONS.contains(n.op());
            boolean residual = n.domain().isEmpty() && n.op().equals("Add") && n.inputs().stream().noneMatch(v -> after.constants().containsKey(v.name()));
            if (!activation && !residual) continue;
            for (Value in : n.inputs()) {
                Node p = in.isAbsent() ? null : producers.get(in.name());
                if (p != null && p.domain().isEmpty() && (p.op().equals("Conv") || p.op().equals("ConvTranspose"))) {
                    fail(n.describe() + " still follows " + p.describe());
                }
            }
            if (residual) fail("residual " + n.describe() + " not fused");
        }
        assertEquals(before.outputs().stream().map(Value::name).toList(), after.outputs().stream().map(Value::name).toList());
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(i);
            double diff = Math.abs(actual.getDouble(i) - e);
            worst = Math.max(worst, diff);
            if (diff > TOLERANCE * (1 + Math.abs(e))) fail(what + ": element " + i + " is " + actual.getDouble(i) + ", expected " + e);
        }
        System.out.println("  " + what + ": max abs difference " + worst);
    }

    private static Map<String, Integer> histogram(Graph g) {
        Map<String, Integer> counts = new TreeMap<>();
        g.nodes().forEach(n -> counts.merge(n.qualifiedOp(), 1, Integer::sum));
        return counts;
    }
}
