package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.runtime.Kiln;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * recognize-patterns and fuse-elementwise on real exported models: every step verified, the optimized graph's
 * reference outputs equal to the unoptimized graph's on random inputs, and the patterns actually found (op counts).
 */
class PatternModelsTest {
    private static final List<String> PASSES = List.of("recognize-patterns", "eliminate-dead-code", "fuse-elementwise");
    private static final Path LIGHT = BackendTestData.light();

    /** PyTorch 2-layer TransformerEncoder at opset 17: GELU as Erf (kiln:Gelu below opset 20) and attention with Q pre-scaled. */
    @Test
    void transformerGeluAndAttentionAreRecognized() {
        Graph before = Kiln.load(repoRoot().resolve("models/transformer/model.onnx")).graph();
        Graph after = optimize(before, List.of("recognize-patterns", "eliminate-dead-code"));
        Map<String, Integer> ops = opCounts(after);
        assertEquals(2, ops.getOrDefault("kiln:Gelu", 0), ops.toString());
        assertEquals(2, ops.getOrDefault("kiln:Attention", 0), ops.toString());
        assertEquals(0, ops.getOrDefault("Erf", 0) + ops.getOrDefault("Softmax", 0), ops.toString());
        NumericalTwin.assertSameOutputs(before, after, 7);
        Graph fused = optimize(after, List.of("fuse-elementwise"));
        assertEquals(9, opCounts(fused).getOrDefault("kiln:FusedElementwise", 0), opCounts(fused).toString());
        NumericalTwin.assertSameOutputs(before, fused, 7);
    }

    /** Hand-written LayerNorm, GELU (both forms), Softmax and masked attention exported at opset 13 (tools/models). */
    @Test
    void decomposedOpset13BlockIsRecognized() {
        Graph before = Kiln.load(repoRoot().resolve("tools/models/patterns_opset13.onnx")).graph();
        Graph after = optimize(before, List.of("recognize-patterns", "eliminate-dead-code"));
        Map<String, Integer> ops = opCounts(after);
        assertEquals(2, ops.getOrDefault("kiln:LayerNormalization", 0), ops.toString());
        assertEquals(2, ops.getOrDefault("kiln:Gelu", 0), ops.toString());
        assertEquals(1, ops.getOrDefault("kiln:Attention", 0), ops.toString());
        for (String gone : List.of("ReduceMean", "ReduceMax", "ReduceSum", "Exp", "Erf", "Tanh", "Pow", "Sqrt", "Softmax")) {
            assertEquals(0, ops.getOrDefault(gone, 0), gone + " left in " + ops);
        }
        NumericalTwin.assertSameOutputs(before, after, 11);
        Graph fused = optimize(after, List.of("fuse-elementwise"));
        assertEquals(3, opCounts(fused).getOrDefault("kiln:FusedElementwise", 0), opCounts(fused).toString());
        NumericalTwin.assertSameOutputs(before, fused, 11);
    }

    /** In the proposed -O2 order: cleanup (which folds the shape arithmetic), patterns, op fusion, elementwise fusion last. */
    @Test
    void proposedPipelineOrderKeepsBothModelsExact() {
        List<String> order = List.of("remove-identities", "fold-constants", "simplify-shapes", "eliminate-common-subexpressions",
                "fold-batch-norm", "eliminate-dead-code", "recognize-patterns", "fuse-conv-bias-activation",
                "fuse-gemm-bias-activation", "eliminate-dead-code", "fuse-elementwise");
        Map<String, Integer> attentions = Map.of("models/transformer/model.onnx", 2, "tools/models/patterns_opset13.onnx", 1);
        for (var model : attentions.entrySet()) {
            Graph before = Kiln.load(repoRoot().resolve(model.getKey())).graph();
            Graph after = optimize(before, order);
            assertEquals(model.getValue(), opCounts(after).getOrDefault("kiln:Attention", 0), model.getKey() + ": " + opCounts(after));
            NumericalTwin.assertSameOutputs(before, after, 5);
        }
    }

    /** The light CNNs: fuse-elementwise verified and numerically unchanged; what it fused is printed for the report. */
    @TestFactory
    List<DynamicTest> lightModelsFuseSafely() throws java.io.IOException {
        Assumptions.assumeTrue(Files.isDirectory(LIGHT), "no " + LIGHT);
        try (var files = Files.list(LIGHT)) {
            return files.filter(p -> p.toString().endsWith(".onnx")).sorted()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
                        Graph before = Kiln.load(p).graph();
                        PassContext ctx = PassContext.defaults();
                        Graph after = manager(PASSES).run(before, ctx).graph();
                        System.out.println(p.getFileName() + ": " + before.nodes().size() + " nodes → " + after.nodes().size()
                                + ", fused trees " + ctx.rewrites("fuse-elementwise") + ", patterns " + ctx.rewrites("recognize-patterns"));
                        NumericalTwin.assertSameOutputs(before, after, 3);
                    })).toList();
        }
    }

    private static Graph optimize(Graph g, List<String> passes) {
        PassContext ctx = PassContext.defaults();
        Graph out = manager(passes).run(g, ctx).graph();
        System.out.println(g.name() + " (" + g.nodes().size() + " nodes) after " + passes + ": " + out.nodes().size()
                + " nodes " + opCounts(out) + "; rewrites "
                + passes.stream().map(p -> p + "=" + ctx.rewrites(p)).toList());
        return out;
    }

    private static PassManager manager(List<String> passes) {
        return new PassManager(passes.stream().map(PassRegistry::byName).toList(), PassOptions.verifying(),
                new PrintWriter(Writer.nullWriter()));
    }

    private static Map<String, Integer> opCounts(Graph g) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Node n : g.nodes()) counts.merge(n.qualifiedOp(), 1, Integer::sum);
        return counts;
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("models"))) return dir;
        }
        throw new IllegalStateException("no folder with pom.xml and models/ above " + Path.of("").toAbsolutePath());
    }
}
