package dev.kiln.ir.text;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.IrVerifier;
import dev.kiln.ir.Node;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SampleGraphs;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.ir.SampleGraphs.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IrParserTest {
    @Test
    void readsHandWrittenTextWithCommentsAndLooseSpacing() {
        Graph g = IrParser.parse("""
                // a pooled image, reshaped by a constant
                graph @main(%x:f32[batch,3,8,8]) -> (%flat: f32[2,48]) {
                  opsets { "test.kiln" : 2 }
                  const %shape: i64[2] = dense<[2, 48]>   // target shape
                  const %scale: f32[3] = dense<[1, 0.5, 2e-3]>
                  %p: f32[batch,3,4,4] = test.kiln:Pool(%x) {kernel=[2,2], stride=2}
                  %c: f32[batch,6,4,4] = test.kiln:Concat(%p, %p) {axis = 1}
                  %flat: f32[2,48] = test.kiln:Reshape(%c, %shape) name "r"
                  "test.kiln":Sink(%flat)
                }""");
        assertEquals("main", g.name());
        assertEquals(List.of(new Value("x", t(DType.F32, "batch", 3, 8, 8))), g.inputs());
        assertArrayEquals(new float[] {1f, 0.5f, 2e-3f}, g.constants().get("scale").toFloats());
        Node pool = g.nodes().getFirst();
        assertEquals("test.kiln", pool.domain());
        assertEquals("", pool.name());
        assertArrayEquals(new long[] {2, 2}, pool.attribute("kernel").asInts());
        assertEquals(Attribute.of(2L), pool.attribute("stride"));
        assertEquals(List.of(), g.nodes().getLast().outputs());
        assertEquals("r", g.nodes().get(2).name());
    }

    @Test
    void parsesWhatTheVerifierAccepts() {
        Graph parsed = IrParser.parse(IrPrinter.print(SampleGraphs.valid()));
        assertEquals(List.of(), IrVerifier.standard().verify(parsed));
    }

    @Test
    void subgraphsInheritTheOpsetsOfTheirParent() {
        Graph g = IrParser.parse("""
                graph @g(%c: bool[]) -> () {
                  opsets {"": 19}
                  If(%c) {then_branch = graph @t() -> () {
                  }, else_branch = graph @e() -> () {
                    opsets {}
                  }}
                }""");
        assertEquals(java.util.Map.of("", 19), g.nodes().getFirst().attribute("then_branch").asGraph().opsets());
        assertEquals(java.util.Map.of(), g.nodes().getFirst().attribute("else_branch").asGraph().opsets());
    }

    @Test
    void largeConstantsComeFromTheResolver() {
        Tensor weights = Tensor.ofDoubles(DType.F32, new long[] {4, 5}, new double[20]);
        Graph source = new Graph("g", List.of(), List.of(), List.of(), java.util.Map.of("w", weights), java.util.Map.of());
        Graph parsed = IrParser.parse(IrPrinter.print(source), ConstantResolver.of(source));
        assertTrue(parsed.constants().get("w").contentEquals(weights));
    }

    @Test
    void parsesTypes() {
        assertEquals(t(DType.F32, "batch", 3, "?"), IrParser.parseType("f32[batch,3,?]"));
        assertEquals(new TensorType(DType.I64, Shape.UNKNOWN_RANK), IrParser.parseType("i64[*]"));
        assertEquals(new SequenceType(new OptionalType(t(DType.BOOL))), IrParser.parseType("seq<opt<bool[]>>"));
        assertEquals(t(DType.F16, "a b"), IrParser.parseType("f16[\"a b\"]"));
    }
}
