package dev.kiln.passes;

import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassManagerTest {
    private static final Graph GRAPH = IrParser.parse("""
            graph @main(%x: f32[2]) -> (%y: f32[2]) {
              opsets {"": 17}
              %dead: f32[2] = Neg(%x) name "dead"
              %y: f32[2] = Relu(%x) name "relu"
            }
            """);

    /** A broken pass: renames the node's output so the graph output is left undefined. */
    private static final Pass BREAKS_OUTPUTS = new Pass() {
        @Override
        public String name() { return "break-outputs"; }

        @Override
        public String summary() { return "test only"; }

        @Override
        public Graph run(Graph graph, PassContext ctx) {
            Node relu = graph.nodes().getLast();
            Node renamed = new Node(relu.name(), relu.domain(), relu.op(), relu.inputs(),
                    List.of(new Value("renamed", relu.output(0).type())), relu.attributes());
            return graph.withNodes(List.of(graph.nodes().getFirst(), renamed));
        }
    };

    @Test
    void verifyEachNamesThePassThatBrokeTheGraph() {
        PassManager manager = new PassManager(List.of(BREAKS_OUTPUTS), PassOptions.verifying(), new PrintWriter(new StringWriter()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> manager.run(GRAPH, PassContext.defaults()));
        assertTrue(e.getMessage().startsWith("pass break-outputs produced an invalid graph: "), e.getMessage());
    }

    @Test
    void disabledPassesDoNotRunAndStatsCountRewrites() {
        StringWriter out = new StringWriter();
        PassOptions stats = new PassOptions(false, Set.of(), null, Set.of(), true, true);
        PassManager.Result result = new PassManager(List.of(new EliminateDeadCode()), stats, new PrintWriter(out))
                .run(GRAPH, PassContext.defaults());
        assertEquals(1, result.graph().nodes().size());
        assertEquals(1, result.runs().getFirst().rewrites());
        assertTrue(out.toString().contains("eliminate-dead-code"), out.toString());

        PassOptions disabled = new PassOptions(false, Set.of(), null, Set.of("eliminate-dead-code"), true, false);
        PassManager.Result skipped = new PassManager(List.of(new EliminateDeadCode()), disabled, new PrintWriter(new StringWriter()))
                .run(GRAPH, PassContext.defaults());
        assertEquals(2, skipped.graph().nodes().size());
        assertTrue(skipped.runs().isEmpty());
    }

    @Test
    void explanationsNameThePassAndNode() {
        PassContext ctx = PassContext.defaults();
        new PassManager(List.of(new EliminateDeadCode()), PassOptions.none(), new PrintWriter(new StringWriter())).run(GRAPH, ctx);
        assertEquals(List.of("eliminate-dead-code: removed: no output is read"), ctx.explanations().get("dead"));
    }

    @Test
    void unknownPassNamesAreRejected() {
        PassOptions options = new PassOptions(false, Set.of("no-such-pass"), null, Set.of(), false, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PassManager(List.of(), options, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().startsWith("unknown pass 'no-such-pass'"), e.getMessage());
    }

    @Test
    void graphsDifferentiatedByGradientAreLeftAsWritten() {
        Graph withGradient = IrParser.parse("""
                graph @g(%a: f32[], %b: f32[]) -> (%c: f32[], %da: f32[], %db: f32[]) {
                  opsets {"": 12, "ai.onnx.preview.training": 1}
                  %unused: f32[] = Neg(%a) name "dead"
                  %c: f32[] = Add(%a, %b) name "add"
                  %da: f32[], %db: f32[] = ai.onnx.preview.training:Gradient(%a, %b) {xs = ["a", "b"], y = "c"} name "grad"
                }
                """);
        PassContext ctx = PassContext.defaults();
        PassManager.Result result = new PassManager(List.of(new EliminateDeadCode()), PassOptions.verifying(),
                new PrintWriter(new StringWriter())).run(withGradient, ctx);
        assertEquals(withGradient, result.graph());
        assertTrue(ctx.explanations().get("@g").getFirst().startsWith("pass manager: no pass run: node 'grad'"),
                ctx.explanations().toString());
    }
}
