package dev.kiln.backend.opencl;

import dev.kiln.ir.Graph;
import dev.kiln.ir.ops.GraphTyping;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which quantized variants the backend claims, and the reason it gives for each one it refuses. */
class QuantizedOpSupportTest {
    private final OpenClBackend backend = new OpenClBackend();

    private String reason(String inputs, String node) {
        Graph g = GraphTyping.type(IrParser.parse("graph @g(" + inputs + ") -> (%y: f32[*]) {\n  opsets {\"\": 21}\n  " + node
                + " name \"n\"\n}\n"), name -> null);
        return backend.supports(g.nodes().getFirst(), g).reason();
    }

    @Test
    void claimsTheComMicrosoftQuantizedOpsAsTheirQdqExpansion() {
        String ints = "%a: i8[1,2,2,2], %s: f32[], %z: i8[]";
        Graph g = GraphTyping.type(IrParser.parse("graph @g(" + ints + ") -> (%y: i8[*], %m: i8[*], %c: i8[*], %p: i8[*], %q: i8[*]) {\n"
                + "  opsets {\"\": 21, \"com.microsoft\": 1}\n"
                + "  %y: i8[*] = com.microsoft:QLinearAdd(%a, %s, %z, %a, %s, %z, %s, %z) name \"add\"\n"
                + "  %m: i8[*] = com.microsoft:QLinearMul(%a, %s, _, %a, %s, _, %s) name \"mul\"\n"
                + "  %c: i8[*] = com.microsoft:QLinearConcat(%s, %z, %a, %s, %z, %a, %s, %z) {axis = 1} name \"concat\"\n"
                + "  %p: i8[*] = com.microsoft:QLinearAveragePool(%a, %s, %z, %s, %z) {kernel_shape = [2, 2]} name \"pool\"\n"
                + "  %q: i8[*] = com.microsoft:QLinearGlobalAveragePool(%a, %s, %z, %s, %z) name \"gap\"\n}\n"), name -> null);
        for (var n : g.nodes()) assertNull(backend.supports(n, g).reason(), n.describe());
    }

    @Test
    void refusesTheContribVariantsItsExpansionCannotRun() {
        // channels_last = 1 does not even type, so the node is checked as parsed
        Graph nhwc = IrParser.parse("graph @g(%a: i8[1,2,2,2], %s: f32[], %z: i8[]) -> (%y: i8[*]) {\n"
                + "  opsets {\"\": 21, \"com.microsoft\": 1}\n"
                + "  %y: i8[*] = com.microsoft:QLinearGlobalAveragePool(%a, %s, %z, %s, %z) {channels_last = 1} name \"gap\"\n}\n");
        assertEquals("channels_last = 1 (NHWC) has no OpenCL kernel; only NCHW runs (as DequantizeLinear → GlobalAveragePool → QuantizeLinear)",
                backend.supports(nhwc.nodes().getFirst(), nhwc).reason());
        Graph unranked = GraphTyping.type(IrParser.parse("graph @g(%a: i8[*], %s: f32[], %z: i8[]) -> (%y: i8[*]) {\n"
                + "  opsets {\"\": 21, \"com.microsoft\": 1}\n"
                + "  %y: i8[*] = com.microsoft:QLinearAdd(%a, %s, %z, %a, %s, %z, %s, %z) name \"add\"\n}\n"), name -> null);
        assertEquals("its Q/DQ expansion cannot run: DequantizeLinear input 0 has unknown rank",
                backend.supports(unranked.nodes().getFirst(), unranked).reason());
    }

    @Test
    void claimsEightBitPerTensorAndPerAxisQuantization() {
        assertNull(reason("%x: f32[2,3], %s: f32[], %z: i8[]", "%y: i8[*] = QuantizeLinear(%x, %s, %z)"));
        assertNull(reason("%x: u8[2,3], %s: f32[3], %z: u8[3]", "%y: f32[*] = DequantizeLinear(%x, %s, %z) {axis = 1}"));
        assertNull(reason("%x: f32[2,3]", "%y: u8[*], %s: f32[*], %z: u8[*] = DynamicQuantizeLinear(%x)"));
        assertNull(reason("%x: u8[1,2,4,4], %s: f32[], %z: u8[], %w: i8[3,2,3,3], %ws: f32[3], %wz: i8[3], %b: i32[3]",
                "%y: u8[*] = QLinearConv(%x, %s, %z, %w, %ws, %wz, %s, %z, %b)"));
        assertNull(reason("%x: i8[1,4,4], %y8: i8[1,4,4]", "%y: i8[*] = Concat(%x, %y8) {axis = 1}"));
    }

    @Test
    void refusesOtherTypesAndGranularitiesByName() {
        assertEquals("input 1 is f16, only float32 runs",
                reason("%x: f32[2,3], %s: f16[], %z: u8[]", "%y: u8[*] = QuantizeLinear(%x, %s, %z)"));
        assertEquals("input 2 is i4, only i8/u8 runs", reason("%x: f32[2,3], %s: f32[], %z: i4[]", "%y: i4[*] = QuantizeLinear(%x, %s, %z)"));
        assertEquals("blocked quantization (block_size 2) is not rendered",
                reason("%x: i8[2,4], %s: f32[2,2], %z: i8[2,2]", "%y: f32[*] = DequantizeLinear(%x, %s, %z) {axis = 1, block_size = 2}"));
        assertEquals("input 1 (s) must be per tensor (one value), has 2; per-row/per-column quantization is not rendered",
                reason("%a: u8[2,3], %s: f32[2], %z: u8[], %b: u8[3,4], %t: f32[]",
                        "%y: u8[*] = QLinearMatMul(%a, %s, %z, %b, %t, %z, %t, %z)"));
        assertEquals("input 4 (ws) must hold 1 or 3 values, has 2",
                reason("%x: u8[1,2,4,4], %s: f32[], %z: u8[], %w: i8[3,2,3,3], %ws: f32[2]",
                        "%y: u8[*] = QLinearConv(%x, %s, %z, %w, %ws, %z, %s, %z)"));
        assertEquals("input 0 is i8, only float32 runs", reason("%x: i8[2,3]", "%y: i8[*] = Relu(%x)"));
        assertEquals("output is i32, only float32 runs", reason("%x: f32[2,3]", "%y: i32[*] = Cast(%x) {to = 6}"));
        assertEquals("input 0 is f16, only f32/i8/u8 runs", reason("%x: f16[1,1,4,4]", "%y: f16[*] = MaxPool(%x) {kernel_shape = [2, 2]}"));
    }
}
