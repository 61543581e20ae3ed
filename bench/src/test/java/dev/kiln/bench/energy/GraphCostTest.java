package dev.kiln.bench.energy;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import dev.kiln.runtime.KilnException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operation and byte counts checked against counts worked out by hand (each test's comment shows the sum). */
class GraphCostTest {
    /** A dense constant of {@code n} zeros. */
    private static String zeros(int n) { return "dense<[" + "0.0, ".repeat(n - 1) + "0.0]>"; }

    private static GraphCost cost(String ir) { return GraphCost.of(IrParser.parse(ir), Map.of()); }

    @Test
    void convCountsTwoOpsPerMacPlusBias() {
        // out 1·4·8·8 = 256 elements, each 3·3·3 = 27 MACs: 2·256·27 + 256 (bias) = 14080.
        GraphCost c = cost("""
                graph @main(%x: f32[1,3,8,8]) -> (%y: f32[1,4,8,8]) {
                  opsets {"": 17}
                  const %w: f32[4,3,3,3] = $C0
                  const %b: f32[4] = $C1
                  %y: f32[1,4,8,8] = Conv(%x, %w, %b) {pads = [1, 1, 1, 1]} name "conv"
                }
                """.replace("$C0", zeros(108)).replace("$C1", zeros(4)));
        assertEquals(14080, c.flops());
        assertEquals(768 + 432 + 16, c.bytesRead());
        assertEquals(1024, c.bytesWritten());
        assertEquals(432 + 16, c.weightBytes());
        assertEquals(768 + 432 + 16 + 1024, c.footprintBytes());
    }

    @Test
    void gemmCountsMnkAndTheBiasAdd() {
        // Y [2,3] = A [2,5] · B [5,3] + C: 2·6·5 + 6 = 66.
        GraphCost c = cost("""
                graph @main(%a: f32[2,5]) -> (%y: f32[2,3]) {
                  opsets {"": 17}
                  const %b: f32[5,3] = $C0
                  const %c: f32[3] = $C1
                  %y: f32[2,3] = Gemm(%a, %b, %c) name "gemm"
                }
                """.replace("$C0", zeros(15)).replace("$C1", zeros(3)));
        assertEquals(66, c.flops());
        assertEquals(40 + 60 + 12, c.bytesRead());
        assertEquals(72, c.weightBytes());
    }

    @Test
    void batchedMatMulCountsEveryBatch() {
        // [2,4,6] · [6,5] = [2,4,5]: 40 outputs × 6 MACs × 2 = 480.
        GraphCost c = cost("""
                graph @main(%a: f32[2,4,6]) -> (%y: f32[2,4,5]) {
                  opsets {"": 17}
                  const %b: f32[6,5] = $C0
                  %y: f32[2,4,5] = MatMul(%a, %b) name "mm"
                }
                """.replace("$C0", zeros(30)));
        assertEquals(480, c.flops());
        assertEquals(160, c.bytesWritten());
    }

    @Test
    void broadcastAddIsOneOpPerOutputElement() {
        GraphCost c = cost("""
                graph @main(%x: f32[2,3], %y: f32[3]) -> (%z: f32[2,3]) {
                  opsets {"": 17}
                  %z: f32[2,3] = Add(%x, %y) name "add"
                }
                """);
        assertEquals(6, c.flops());
        assertEquals(24 + 12, c.bytesRead());
        assertEquals(24, c.bytesWritten());
        assertEquals(0, c.weightBytes());
    }

    @Test
    void fusedConvAddsResidualAndActivationPerElement() {
        // out 32 elements × 2 MACs (W [2,2,1,1]) × 2 = 128, residual 32, Relu 32: 192.
        GraphCost c = cost("""
                graph @main(%x: f32[1,2,4,4], %z: f32[1,2,4,4]) -> (%y: f32[1,2,4,4]) {
                  opsets {"": 17, "kiln": 1}
                  const %w: f32[2,2,1,1] = $C0
                  %y: f32[1,2,4,4] = kiln:FusedConv(%x, %w, _, %z) {activation = "Relu", residual = "before_activation"} name "conv"
                }
                """.replace("$C0", zeros(4)));
        assertEquals(192, c.flops());
        assertEquals(128 + 16 + 128, c.bytesRead());
        assertEquals(16, c.weightBytes());
    }

    @Test
    void fusedElementwiseCountsEveryBodyOpPerElement() {
        // Mul, Add, Relu over 6 elements: 18.
        GraphCost c = cost("""
                graph @main(%x: f32[2,3], %y: f32[2,3]) -> (%z: f32[2,3]) {
                  opsets {"": 17, "kiln": 1}
                  %z: f32[2,3] = kiln:FusedElementwise(%x, %y) {
                    body = graph @f.body(%f.in0: f32[2,3], %f.in1: f32[2,3]) -> (%f.out: f32[2,3]) {
                      %m: f32[2,3] = Mul(%f.in0, %f.in1) name "mul"
                      %a: f32[2,3] = Add(%m, %f.in0) name "add"
                      %f.out: f32[2,3] = Relu(%a) name "relu"
                    }
                  } name "f"
                }
                """);
        assertEquals(18, c.flops());
        assertEquals(48, c.bytesRead());
        assertEquals(24, c.bytesWritten());
    }

    @Test
    void viewsCostNothing() {
        GraphCost c = cost("""
                graph @main(%x: f32[2,3]) -> (%y: f32[6]) {
                  opsets {"": 17}
                  const %s: i64[1] = dense<[6]>
                  %y: f32[6] = Reshape(%x, %s) name "reshape"
                }
                """);
        assertEquals(0, c.flops());
        assertEquals(0, c.bytesRead() + c.bytesWritten());
    }

    @Test
    void symbolicDimsAreBoundByTheGivenInputShapes() {
        Graph g = IrParser.parse("""
                graph @main(%x: f32[N,3]) -> (%y: f32[N,3]) {
                  opsets {"": 17}
                  %y: f32[N,3] = Relu(%x) name "relu"
                }
                """);
        GraphCost c = GraphCost.of(g, Map.of("x", new long[] {4, 3}));
        assertEquals(12, c.flops());
        assertEquals(1, c.nodes().size());
        assertEquals("relu", c.nodes().getFirst().node());
        assertFalse(c.nodes().getFirst().int8());

        KilnException unbound = assertThrows(KilnException.class, () -> GraphCost.of(g, Map.of()));
        assertTrue(unbound.getMessage().contains("input 'x'"), unbound.getMessage());
        KilnException unknown = assertThrows(KilnException.class, () -> GraphCost.of(g, Map.of("image", new long[] {1, 3})));
        assertTrue(unknown.getMessage().contains("no input 'image'"), unknown.getMessage());
        KilnException rank = assertThrows(KilnException.class, () -> GraphCost.of(g, Map.of("x", new long[] {4})));
        assertTrue(rank.getMessage().contains("rank 2"), rank.getMessage());
    }
}
