package dev.kiln.backend.cpu.quant;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.backend.cpu.plan.Step;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a graph on the CPU backend and on the reference interpreter and requires the same outputs, exactly. */
final class InterpreterCheck {
    private InterpreterCheck() {}

    /**
     * At the smallest and the largest species and each thread count, every step must describe itself with
     * {@code kind}; each run twice on one frame (a warm run reuses its buffers).
     */
    @SafeVarargs
    static void check(Graph graph, String kind, int[] threadCounts, Map<String, RuntimeValue>... runs) {
        for (var species : new VectorSpecies<?>[] {FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED}) {
            for (int threads : threadCounts) {
                @SuppressWarnings("unchecked")
                CpuPlan plan = new CpuPlan(graph, new CpuContext(threads, null, (VectorSpecies<Float>) species));
                for (Step step : plan.steps()) assertTrue(step.describe().contains(kind), step.describe());
                try (Frame frame = plan.newFrame()) {
                    for (Map<String, RuntimeValue> inputs : runs) {
                        Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
                        for (int again = 0; again < 2; again++) {
                            Map<String, RuntimeValue> actual = plan.run(frame, inputs);
                            for (var e : expected.entrySet()) {
                                Tensor want = (Tensor) e.getValue(), got = (Tensor) actual.get(e.getKey());
                                String at = species + ", " + threads + " threads";
                                assertEquals(Arrays.toString(want.shape()), Arrays.toString(got.shape()), at);
                                assertEquals(want.dtype(), got.dtype(), at);
                                assertEquals(Arrays.toString(want.toDoubles()), Arrays.toString(got.toDoubles()), at);
                            }
                        }
                    }
                }
            }
        }
    }

    /** A zero point near the middle of the type's range. */
    static int zero(SplittableRandom r, String type) { return type.equals("u8") ? r.nextInt(100, 156) : r.nextInt(-10, 10); }

    /** A tensor of random bytes of type {@code u8} or {@code i8}. */
    static Tensor image(SplittableRandom r, String type, long... shape) {
        Tensor t = Tensor.zeros(type.equals("u8") ? DType.U8 : DType.I8, shape);
        for (int i = 0; i < t.size(); i++) t.setLong(i, type.equals("u8") ? r.nextInt(256) : r.nextInt(256) - 128);
        return t;
    }
}
