package dev.kiln.backend.cpu.recurrent;

import dev.kiln.ir.Graph;
import dev.kiln.ir.text.IrParser;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.kiln.backend.cpu.plan.PlanChecks.random;
import static dev.kiln.backend.cpu.plan.PlanChecks.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The CPU DynamicQuantizeLSTM (int8 input GEMM, int32 recurrent product, fused gates) against the reference kernel. */
class DynamicLstmStepTest {
    private static final int INPUT = 7, HIDDEN = 19, N = 4 * HIDDEN;

    @Test
    void perColumnInt8WeightsWithBiasAndStatesMatchTheInterpreterAtBothSpecies() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[seq,batch,7], %h0: f32[1,batch,19], %c0: f32[1,batch,19])
                    -> (%y: f32[seq,1,batch,19], %yh: f32[1,batch,19], %yc: f32[1,batch,19]) {
                  opsets {"": 14, "com.microsoft": 1}
                  const %w: i8[1,7,76] = dense<[W]>
                  const %r: i8[1,19,76] = dense<[R]>
                  const %b: f32[1,152] = dense<[B]>
                  const %ws: f32[1,76] = dense<[WS]>
                  const %wz: i8[1,76] = dense<[WZ]>
                  const %rs: f32[1,76] = dense<[RS]>
                  const %rz: i8[1,76] = dense<[RZ]>
                  %y: f32[seq,1,batch,19], %yh: f32[1,batch,19], %yc: f32[1,batch,19] = com.microsoft:DynamicQuantizeLSTM(%x, %w, %r, %b, _, %h0, %c0, _, %ws, %wz, %rs, %rz) {hidden_size = 19} name "lstm"
                }
                """.replace("WS", DynamicRecurrentChecks.scales(N, 4)).replace("WZ", DynamicRecurrentChecks.ints(N, 5, -3, 3)).replace("RS", DynamicRecurrentChecks.scales(N, 6)).replace("RZ", DynamicRecurrentChecks.ints(N, 7, -3, 3))
                .replace("W", DynamicRecurrentChecks.ints(INPUT * N, 1, -127, 127)).replace("R", DynamicRecurrentChecks.ints(HIDDEN * N, 2, -127, 127)).replace("B", values(2 * N, 3)));
        DynamicRecurrentChecks.check(graph, "int8 input GEMM", Map.of("x", random(4, 5, 2, INPUT), "h0", random(5, 1, 2, HIDDEN), "c0", random(6, 1, 2, HIDDEN)),
                Map.of("x", random(7, 9, 1, INPUT), "h0", random(8, 1, 1, HIDDEN), "c0", random(9, 1, 1, HIDDEN)));
    }

    @Test
    void uint8PerTensorWeightsWithoutBiasOrStates() {
        Graph graph = IrParser.parse("""
                graph @main(%x: f32[3,2,7]) -> (%yh: f32[1,2,19]) {
                  opsets {"": 14, "com.microsoft": 1}
                  const %w: u8[1,7,76] = dense<[W]>
                  const %r: u8[1,19,76] = dense<[R]>
                  const %ws: f32[1] = dense<[0.004]>
                  const %wz: u8[1] = dense<[128]>
                  const %rs: f32[1] = dense<[0.003]>
                  const %rz: u8[1] = dense<[120]>
                  _, %yh: f32[1,2,19] = com.microsoft:DynamicQuantizeLSTM(%x, %w, %r, _, _, _, _, _, %ws, %wz, %rs, %rz) {hidden_size = 19} name "lstm"
                }
                """.replace("W", DynamicRecurrentChecks.ints(INPUT * N, 11, 0, 255)).replace("R", DynamicRecurrentChecks.ints(HIDDEN * N, 12, 0, 255)));
        DynamicRecurrentChecks.check(graph, "int8 input GEMM", Map.of("x", random(13, 3, 2, INPUT)));
    }

    @Test
    void theRecurrentProductMatchesItsScalarTwinToTheBit() {
        SplittableRandom random = new SplittableRandom(21);
        for (int n : new int[] {1, 15, 76, 133}) {
            int hidden = 9;
            int[] hq = random.ints(hidden + 3, -255, 256).toArray(), r = random.ints(hidden * n, -254, 255).toArray();
            float[] scale = new float[n];
            for (int j = 0; j < n; j++) scale[j] = (float) random.nextDouble(1e-3, 1e-2);
            MemorySegment vector = MemorySegment.ofArray(new float[n + 2]), scalar = MemorySegment.ofArray(new float[n + 2]);
            for (int j = 0; j < n + 2; j++) {
                float v = (float) random.nextDouble(-1, 1);
                vector.setAtIndex(ValueLayout.JAVA_FLOAT, j, v);
                scalar.setAtIndex(ValueLayout.JAVA_FLOAT, j, v);
            }
            QuantRecurrentProduct.multiplyAdd(hq, 3, hidden, r, vector, 8, 0.0123f, scale);
            QuantRecurrentProduct.scalar(hq, 3, hidden, r, scalar, 8, 0.0123f, scale);
            assertArrayEquals(scalar.toArray(ValueLayout.JAVA_FLOAT), vector.toArray(ValueLayout.JAVA_FLOAT), "n = " + n);
        }
    }
}
