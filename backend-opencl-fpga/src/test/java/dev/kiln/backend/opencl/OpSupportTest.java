package dev.kiln.backend.opencl;

import dev.kiln.ir.Graph;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.CompileOptions;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.ModelException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the backend claims, and the message for what it refuses: no node silently falls back elsewhere. */
class OpSupportTest {
    private final OpenClBackend backend = new OpenClBackend();

    private static Graph graph(String inputs, String nodes) {
        return GraphTyping.type(IrParser.parse("graph @g(" + inputs + ") -> (%y: f32[*]) {\n  opsets {\"\": 17}\n" + nodes + "}\n"),
                name -> null);
    }

    @Test
    void claimsFloatKernelsAndRefusesOtherTypesAndOps() {
        Graph g = graph("%x: f32[2,3], %i: i32[2,3]", "  %a: f32[*] = Relu(%x) name \"relu\"\n"
                + "  %b: i32[*] = Relu(%i) name \"int_relu\"\n  %y: f32[*] = Erf(%a) name \"erf\"\n"
                + "  %t: i64[*] = Shape(%x) name \"shape\"\n");
        assertTrue(backend.supports(g.nodes().get(0), g).supported());
        assertEquals("input 0 is i32, only float32 runs", backend.supports(g.nodes().get(1), g).reason());
        assertTrue(backend.supports(g.nodes().get(2), g).supported());
        assertEquals("no OpenCL kernel for Shape", backend.supports(g.nodes().get(3), g).reason());
    }

    @Test
    void dynamicallyQuantizedRecurrentLayersAreRefusedByName() {
        Graph g = GraphTyping.type(IrParser.parse("""
                graph @g(%x: f32[2,1,2]) -> (%y: f32[*], %z: f32[*]) {
                  opsets {"": 17, "com.microsoft": 1, "kiln": 1}
                  const %w: i8[1,2,4] = dense<[1, 2, 3, 4, 5, 6, 7, 8]>
                  const %r: i8[1,1,4] = dense<[1, 2, 3, 4]>
                  const %gw: i8[1,2,3] = dense<[1, 2, 3, 4, 5, 6]>
                  const %gr: i8[1,1,3] = dense<[1, 2, 3]>
                  const %s: f32[1] = dense<[0.01]>
                  const %zp: i8[1] = dense<[0]>
                  %y: f32[*] = com.microsoft:DynamicQuantizeLSTM(%x, %w, %r, _, _, _, _, _, %s, %zp, %s, %zp) {hidden_size = 1} name "lstm"
                  %z: f32[*] = kiln:DynamicQuantizeGRU(%x, %gw, %gr, _, _, _, %s, %zp, %s, %zp) {hidden_size = 1} name "gru"
                }
                """), name -> null);
        assertEquals("no OpenCL kernel for com.microsoft:DynamicQuantizeLSTM", backend.supports(g.nodes().get(0), g).reason());
        assertEquals("no OpenCL kernel for kiln:DynamicQuantizeGRU", backend.supports(g.nodes().get(1), g).reason());
    }

    @Test
    void shapeOperandsMustBeFixedBeforeARun() {
        Graph g = graph("%x: f32[2,3], %s: i64[2]", "  %t: i64[*] = Shape(%x) name \"shape\"\n"
                + "  %r: f32[*] = Reshape(%x, %t) name \"computed\"\n  %y: f32[*] = Reshape(%x, %s) name \"fed\"\n");
        assertTrue(backend.supports(g.nodes().get(1), g).reason().contains("kernels need it constant"));
        assertNull(backend.supports(g.nodes().get(2), g).reason());
    }

    @Test
    void aModelWithUnsupportedOpsIsRefusedNamingThem() {
        OpenClDevice.require();
        Graph g = graph("%x: f32[2,3]", "  %t: i64[*] = Shape(%x) name \"shape\"\n  %y: f32[*] = Relu(%x) name \"relu\"\n");
        ModelException e = assertThrows(ModelException.class,
                () -> Kiln.fromGraph(g).compile(CompileOptions.defaults().withDevice("opencl")));
        assertTrue(e.getMessage().contains("node 'shape' (Shape): no OpenCL kernel for Shape"), e.getMessage());
    }

    @Test
    void automaticChoiceRanksBelowTheCpuBackend() {
        assertTrue(backend.speedRank() < 10 && backend.speedRank() > 0);
    }
}
