package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Gradient op on whole graphs: which nodes it differentiates, what it treats as constant, and its errors. */
class GradientKernelTest {
    private static final String OPSETS = "opsets {\"\": 17, \"ai.onnx.preview.training\": 1}";

    private static Map<String, RuntimeValue> run(String text, Map<String, RuntimeValue> feed) {
        Graph g = GraphTyping.type(IrParser.parse(text.replace("OPSETS", OPSETS)), name -> null);
        return Interpreter.run(g, feed);
    }

    private static Tensor f32(long[] shape, double... values) { return Tensor.ofDoubles(DType.F32, shape, values); }

    private static double[] values(Map<String, RuntimeValue> out, String name) { return ((Tensor) out.get(name)).toDoubles(); }

    @Test
    void aValueUsedTwiceSumsItsGradients() {
        // d = (a + b) * a: dd/da = 2a + b, dd/db = a
        Map<String, RuntimeValue> out = run("""
                graph @g(%a: f32[2], %b: f32[2]) -> (%da: f32[2], %db: f32[2]) {
                  OPSETS
                  %c: f32[2] = Add(%a, %b)
                  %d: f32[2] = Mul(%c, %a)
                  %da: f32[2], %db: f32[2] = ai.onnx.preview.training:Gradient(%a, %b) {xs = ["a", "b"], y = "d"}
                }""", Map.of("a", f32(new long[] {2}, 1, -3), "b", f32(new long[] {2}, 2, 5)));
        assertArrayEquals(new double[] {4, -1}, values(out, "da"));
        assertArrayEquals(new double[] {1, -3}, values(out, "db"));
        assertEquals(DType.F32, ((Tensor) out.get("da")).dtype());
    }

    @Test
    void anIntermediateInXsIsALeafAtTheValueGiven() {
        // y = exp(h) with h = a * a in the graph, but Gradient is given h1 for h: dy/dh = exp(h1), a plays no part
        Map<String, RuntimeValue> out = run("""
                graph @g(%a: f32[], %h1: f32[]) -> (%dh: f32[]) {
                  OPSETS
                  %dh: f32[] = ai.onnx.preview.training:Gradient(%h1) {xs = ["h"], y = "y"}
                  %h: f32[] = Mul(%a, %a)
                  %y: f32[] = Exp(%h)
                }""", Map.of("a", f32(new long[0], 3), "h1", f32(new long[0], 0.5)));
        assertEquals(Math.exp(0.5), values(out, "dh")[0], 1e-6);
    }

    @Test
    void zsAreConstantsAndAnUnusedXGetsZeros() {
        Map<String, RuntimeValue> out = run("""
                graph @g(%x: f32[2], %z: f32[2], %u: f32[3]) -> (%dx: f32[2], %du: f32[3]) {
                  OPSETS
                  %y: f32[2] = Mul(%x, %z)
                  %dx: f32[2], %du: f32[3] = ai.onnx.preview.training:Gradient(%x, %u, %z) {xs = ["x", "u"], zs = ["z"], y = "y"}
                }""", Map.of("x", f32(new long[] {2}, 1, 2), "z", f32(new long[] {2}, 7, -4),
                "u", f32(new long[] {3}, 1, 1, 1)));
        assertArrayEquals(new double[] {7, -4}, values(out, "dx"));
        assertArrayEquals(new double[] {0, 0, 0}, values(out, "du"));
    }

    @Test
    void integerValuesCarryNoGradientSoTheirOpsNeedNoRule() {
        // the shape comes from x through Shape, which has no derivative rule and needs none
        Map<String, RuntimeValue> out = run("""
                graph @g(%x: f32[2,2]) -> (%dx: f32[2,2]) {
                  OPSETS
                  %r: f32[2,2] = Relu(%x)
                  %shape: i64[2] = Shape(%x)
                  %y: f32[2,2] = Reshape(%r, %shape)
                  %dx: f32[2,2] = ai.onnx.preview.training:Gradient(%x) {xs = ["x"], y = "y"}
                }""", Map.of("x", f32(new long[] {2, 2}, 1, -1, 2, -2)));
        assertArrayEquals(new double[] {1, 0, 1, 0}, values(out, "dx"));
    }

    @Test
    void yAmongXsHasAGradientOfOnes() {
        Map<String, RuntimeValue> out = run("""
                graph @g(%x: f32[3]) -> (%dx: f32[3]) {
                  OPSETS
                  %dx: f32[3] = ai.onnx.preview.training:Gradient(%x) {xs = ["x"], y = "x"}
                }""", Map.of("x", f32(new long[] {3}, 5, 6, 7)));
        assertArrayEquals(new double[] {1, 1, 1}, values(out, "dx"));
    }

    @Test
    void anOpWithoutARuleOnThePathIsAnErrorNamingIt() {
        KilnException e = assertThrows(KilnException.class, () -> run("""
                graph @g(%x: f32[3]) -> (%dx: f32[3]) {
                  OPSETS
                  %sm: f32[3] = Softmax(%x) name "sm"
                  %y: f32[3] = Exp(%sm)
                  %dx: f32[3] = ai.onnx.preview.training:Gradient(%x) {xs = ["x"], y = "y"} name "grad"
                }""", Map.of("x", f32(new long[] {3}, 1, 2, 3))));
        assertEquals("node 'grad' (ai.onnx.preview.training:Gradient): no derivative rule for Softmax (node 'sm')", e.getMessage());
    }

    @Test
    void anOpWithoutARuleOnAConstantBranchIsFine() {
        Map<String, RuntimeValue> out = run("""
                graph @g(%x: f32[3], %z: f32[3]) -> (%dx: f32[3], %sm: f32[3]) {
                  OPSETS
                  %sm: f32[3] = Softmax(%z) name "sm"
                  %y: f32[3] = Mul(%x, %sm)
                  %dx: f32[3] = ai.onnx.preview.training:Gradient(%x, %z) {xs = ["x"], zs = ["z"], y = "y"}
                }""", Map.of("x", f32(new long[] {3}, 1, 2, 3), "z", f32(new long[] {3}, 0, 0, 0)));
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, values(out, "dx"), 1e-6);
    }
}
