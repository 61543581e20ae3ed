package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.text.IrParser;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.kiln.backend.cpu.plan.PlanChecks.random;
import static dev.kiln.backend.cpu.plan.PlanChecks.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU DynamicQuantizeLSTM (int8 input GEMM, int32 recurrent product, fused gates) against the reference kernel, at
 * the smallest and the largest species. The integer products and the quantization of X and h are the interpreter's
 * to the bit; the gate math is the float LSTM kernel's (float32, polynomial σ and tanh) where the interpreter computes
 * in double, so outputs agree to {@link #TOLERANCE}, the float LSTM kernel's own bound, as long as no h value lands
 * within that of a rounding boundary of its quantization (then one level, ~1/255 of h's range, would differ).
 */
class DynamicLstmStepTest {
    private static final int INPUT = 7, HIDDEN = 19, N = 4 * HIDDEN;
    private static final double TOLERANCE = 1e-5;

    private static String ints(int n, long seed, int lo, int hi) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append(r.nextInt(lo, hi + 1));
        return s.toString();
    }

    private static String scales(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append((float) r.nextDouble(0.002, 0.01));
        return s.toString();
    }

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
                """.replace("WS", scales(N, 4)).replace("WZ", ints(N, 5, -3, 3)).replace("RS", scales(N, 6)).replace("RZ", ints(N, 7, -3, 3))
                .replace("W", ints(INPUT * N, 1, -127, 127)).replace("R", ints(HIDDEN * N, 2, -127, 127)).replace("B", values(2 * N, 3)));
        check(graph, Map.of("x", random(4, 5, 2, INPUT), "h0", random(5, 1, 2, HIDDEN), "c0", random(6, 1, 2, HIDDEN)),
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
                """.replace("W", ints(INPUT * N, 11, 0, 255)).replace("R", ints(HIDDEN * N, 12, 0, 255)));
        check(graph, Map.of("x", random(13, 3, 2, INPUT)));
    }

    @SafeVarargs
    private static void check(Graph graph, Map<String, RuntimeValue>... runs) {
        for (VectorSpecies<Float> species : java.util.List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED)) {
            CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null, species));
            assertTrue(plan.steps().stream().map(Step::describe).anyMatch(d -> d.contains("int8 input GEMM")), "not bound: " + plan.steps());
            try (Frame frame = plan.newFrame()) {
                for (Map<String, RuntimeValue> inputs : runs) {
                    for (int repeat = 0; repeat < 2; repeat++) {
                        Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
                        Map<String, RuntimeValue> actual = plan.run(frame, inputs);
                        for (var e : expected.entrySet()) {
                            Tensor want = (Tensor) e.getValue(), got = (Tensor) actual.get(e.getKey());
                            assertArrayEquals(want.shape(), got.shape());
                            for (int i = 0; i < want.size(); i++) {
                                assertEquals(want.getDouble(i), got.getDouble(i), TOLERANCE, species + " " + e.getKey() + "[" + i + "]");
                            }
                        }
                    }
                }
            }
        }
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
