package dev.kiln.backend.cpu.recurrent;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks of the CPU's dynamically quantized recurrent steps against the reference kernels, at the smallest and the
 * largest species. The integer products and the quantization of X and h are the interpreter's to the bit; the gate
 * math is the float kernels' (float32, polynomial σ and tanh) where the interpreter computes in double, so outputs
 * agree to {@link #TOLERANCE}, the float LSTM kernel's own bound, as long as no h value lands within that of a
 * rounding boundary of its quantization (then one level, ~1/255 of h's range, would differ).
 */
final class DynamicRecurrentChecks {
    static final double TOLERANCE = 1e-5;

    private DynamicRecurrentChecks() {}

    static String ints(int n, long seed, int lo, int hi) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append(r.nextInt(lo, hi + 1));
        return s.toString();
    }

    static String scales(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append((float) r.nextDouble(0.002, 0.01));
        return s.toString();
    }

    @SafeVarargs
    static void check(Graph graph, String kind, Map<String, RuntimeValue>... runs) {
        for (VectorSpecies<Float> species : java.util.List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED)) {
            CpuPlan plan = new CpuPlan(graph, new CpuContext(1, null, species));
            assertTrue(plan.steps().stream().map(Step::describe).anyMatch(d -> d.contains(kind)), "not bound: " + plan.steps());
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
}
