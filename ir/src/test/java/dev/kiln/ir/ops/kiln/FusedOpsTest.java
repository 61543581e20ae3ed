package dev.kiln.ir.ops.kiln;

import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.ops.InferenceException;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusedOpsTest {
    private static Graph typed(String node, String inputs) {
        String text = "graph @g(" + inputs + ") -> (%y: f32[1,2,3,3]) {\n  opsets {\"\": 17, \"kiln\": 1}\n"
                + "  const %w: f32[2,2,1,1] = dense<[1.0, 2.0, 3.0, 4.0]>\n  %y: f32[1,2,3,3] = " + node + " name \"n\"\n}\n";
        return GraphTyping.type(IrParser.parse(text), name -> null);
    }

    @Test
    void fusedConvHasTheConvsOutputType() {
        Graph g = typed("kiln:FusedConv(%x, %w, _, %z) {strides = [2, 2], activation = \"Relu\", residual = \"before_activation\"}",
                "%x: f32[1,2,5,5], %z: f32[1,2,3,3]");
        assertEquals(TensorType.of(dev.kiln.ir.DType.F32, 1, 2, 3, 3), g.nodes().getFirst().output(0).type());
    }

    @Test
    void residualOfAnotherShapeIsRejected() {
        InferenceException e = assertThrows(InferenceException.class, () -> typed(
                "kiln:FusedConv(%x, %w, _, %z) {residual = \"after_activation\"}", "%x: f32[1,2,3,3], %z: f32[1,2,1,1]"));
        assertTrue(e.getMessage().contains("residual"), e.getMessage());
    }

    @Test
    void residualPlacementNeedsTheResidualInput() {
        assertThrows(InferenceException.class, () -> typed("kiln:FusedConv(%x, %w) {residual = \"before_activation\"}", "%x: f32[1,2,3,3]"));
        assertThrows(InferenceException.class, () -> typed("kiln:FusedConv(%x, %w, _, %x)", "%x: f32[1,2,3,3]"));
    }

    @Test
    void unknownActivationAndWrongParameterCountAreRejected() {
        InferenceException unknown = assertThrows(InferenceException.class,
                () -> typed("kiln:FusedConv(%x, %w) {activation = \"Softsign\"}", "%x: f32[1,2,3,3]"));
        assertTrue(unknown.getMessage().contains("Softsign"), unknown.getMessage());
        InferenceException params = assertThrows(InferenceException.class,
                () -> typed("kiln:FusedConv(%x, %w) {activation = \"Clip\", activation_params = [0.0]}", "%x: f32[1,2,3,3]"));
        assertTrue(params.getMessage().contains("activation_params"), params.getMessage());
    }

    @Test
    void fusedGemmHasTheGemmsOutputType() {
        String text = "graph @g(%a: f32[4,3]) -> (%y: f32[4,2]) {\n  opsets {\"\": 17, \"kiln\": 1}\n"
                + "  const %b: f32[2,3] = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>\n"
                + "  %y: f32[4,2] = kiln:FusedGemm(%a, %b) {transB = 1, activation = \"LeakyRelu\", activation_params = [0.1]} name \"n\"\n}\n";
        Graph g = GraphTyping.type(IrParser.parse(text), name -> null);
        assertEquals(TensorType.of(dev.kiln.ir.DType.F32, 4, 2), g.nodes().getFirst().output(0).type());
    }
}
