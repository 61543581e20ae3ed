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
 * The real convolutional models of {@code models/}, moved to NHWC: the graph verifies, computes the same outputs,
 * every Conv runs channels-last, and Transposes appear only where the layouts meet.
 */
class TransformLayoutModelsTest {
    /**
     * Model → the Transposes expected: one per 4-D graph input and one before each op that needs NCHW (Flatten at
     * the head; in cnn_bn also a Pad between the last conv block and its AveragePool, which then goes back in).
     */
    private static final Map<String, Integer> TRANSPOSES = Map.of("cnn_bn", 4, "resnet", 2, "mobilenet", 2);

    @TestFactory
    List<DynamicTest> convolutionalModelsRunChannelsLast() {
        return TRANSPOSES.keySet().stream().sorted().map(name -> DynamicTest.dynamicTest(name, () -> check(name))).toList();
    }

    private static void check(String name) {
        Graph graph = Kiln.load(Path.of("..", "models", name, "model.onnx")).graph();
        PassContext ctx = new PassContext(OptLevel.O3, Map.of(),
                new TargetPreferences(TargetPreferences.Layout.NHWC, Set.of("*")));
        Graph nhwc = new PassManager(List.of(PassRegistry.byName("transform-layout")), PassOptions.verifying(),
                new PrintWriter(Writer.nullWriter())).run(graph, ctx).graph();
        long convs = nhwc.nodes().stream().filter(n -> n.op().equals("Conv")).count();
        long twins = nhwc.nodes().stream().filter(n -> n.qualifiedOp().equals("kiln:NhwcConv")).count();
        long added = transposes(nhwc) - transposes(graph);
        System.out.printf("%s: %d convs channels-last, %d left NCHW, %d transposes added%n", name, twins, convs, added);
        assertTrue(twins > 0, name + ": no Conv moved to NHWC");
        assertEquals(0, convs, name + ": a Conv stayed NCHW");
        assertEquals((long) TRANSPOSES.get(name), added, name + ": transposes added");
        NumericalTwin.assertSameOutputs(graph, nhwc, 11);
    }

    private static long transposes(Graph g) { return g.nodes().stream().map(Node::op).filter("Transpose"::equals).count(); }
}
