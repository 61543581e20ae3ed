package dev.kiln.passes.layout;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.passes.NumericalTwin;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.PassRegistry;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.runtime.Kiln;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real convolutional models of {@code models/}, moved to NHWC and to blocked NCHW8c: the graph verifies,
 * computes the same outputs, every Conv runs as its twin, and conversions appear only where the layouts meet.
 */
class TransformLayoutModelsTest {
    /**
     * Model → the Transposes expected: one per 4-D graph input and one before each op that needs NCHW (Flatten at
     * the head; in cnn_bn also a Pad between the last conv block and its AveragePool, which then goes back in).
     */
    private static final Map<String, Integer> TRANSPOSES = Map.of("cnn_bn", 4, "resnet", 2, "mobilenet", 2);

    /**
     * Model → the kiln:ToBlocked/FromBlocked expected for NCHW8c: one at the input and one before Flatten (cnn_bn's
     * Pad has no blocked form either, as in NHWC).
     */
    private static final Map<String, Integer> BLOCK_CONVERSIONS = Map.of("cnn_bn", 4, "resnet", 2, "mobilenet", 2);

    @TestFactory
    List<DynamicTest> convolutionalModelsRunChannelsLast() {
        return TRANSPOSES.keySet().stream().sorted().map(name -> DynamicTest.dynamicTest(name,
                () -> check(name, TargetPreferences.Layout.NHWC, "kiln:NhwcConv", Set.of("Transpose"), TRANSPOSES))).toList();
    }

    @TestFactory
    List<DynamicTest> convolutionalModelsRunBlocked() {
        return BLOCK_CONVERSIONS.keySet().stream().sorted().map(name -> DynamicTest.dynamicTest(name,
                () -> check(name, TargetPreferences.Layout.NCHW_BLOCKED, "kiln:NchwcConv",
                        Set.of("kiln:ToBlocked", "kiln:FromBlocked"), BLOCK_CONVERSIONS))).toList();
    }

    private static void check(String name, TargetPreferences.Layout layout, String twinOp, Set<String> conversionOps,
                              Map<String, Integer> expectedConversions) {
        Graph graph = Kiln.load(Path.of("..", "models", name, "model.onnx")).graph();
        PassContext ctx = new PassContext(OptLevel.O3, Map.of(), new TargetPreferences(layout, Set.of("*")));
        Graph moved = new PassManager(List.of(PassRegistry.byName("transform-layout")), PassOptions.verifying(),
                new PrintWriter(Writer.nullWriter())).run(graph, ctx).graph();
        long convs = moved.nodes().stream().filter(n -> n.op().equals("Conv")).count();
        long twins = moved.nodes().stream().filter(n -> n.qualifiedOp().equals(twinOp)).count();
        long added = count(moved, conversionOps) - count(graph, conversionOps);
        System.out.printf("%s %s: %d convs as %s, %d left NCHW, %d conversions added%n", name, layout, twins, twinOp,
                convs, added);
        assertTrue(twins > 0, name + ": no Conv moved to " + layout);
        assertEquals(0, convs, name + ": a Conv stayed NCHW");
        assertEquals((long) expectedConversions.get(name), added, name + ": conversions added");
        NumericalTwin.assertSameOutputs(graph, moved, 11);
    }

    private static long count(Graph g, Set<String> ops) {
        return g.nodes().stream().map(Node::qualifiedOp).filter(ops::contains).count();
    }
}
