package dev.kiln.backend.cpu.products;

import dev.kiln.backend.cpu.plan.CpuContext;
import dev.kiln.backend.cpu.plan.CpuPlan;
import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a graph on the CPU backend and on the reference interpreter and compares every output. */
public final class ReferenceCheck {
    /** The smallest and the largest species the machine has: the kernels are checked at both. */
    public static final List<VectorSpecies<Float>> SPECIES = List.of(FloatVector.SPECIES_128, FloatVector.SPECIES_PREFERRED);

    private ReferenceCheck() {}

    /** Checks every step's description contains {@code kind}, then each input set at 1 and 2 threads and at each species. */
    @SafeVarargs
    public static void check(Graph graph, String kind, Map<String, RuntimeValue>... runs) {
        for (VectorSpecies<Float> species : SPECIES) {
            for (int threads : new int[] {1, 2}) {
                CpuPlan plan = new CpuPlan(graph, new CpuContext(threads, null, species));
                for (var step : plan.steps()) assertTrue(step.describe().contains(kind), step.describe());
                try (Frame frame = plan.newFrame()) {
                    for (Map<String, RuntimeValue> inputs : runs) {
                        Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
                        for (int again = 0; again < 2; again++) {
                            Map<String, RuntimeValue> actual = plan.run(frame, inputs);
                            for (var e : expected.entrySet()) assertClose(e.getKey() + " at " + species + ", " + threads + " threads", (Tensor) e.getValue(), (Tensor) actual.get(e.getKey()));
                        }
                    }
                }
            }
        }
    }

    public static String values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : ", ").append((float) r.nextDouble(-1, 1));
        return s.toString();
    }

    public static Tensor random(long seed, long... shape) {
        Tensor t = Tensor.zeros(DType.F32, shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.setDouble(i, r.nextDouble(-1, 1));
        return t;
    }

    public static void assertClose(String name, Tensor e, Tensor a) {
        assertEquals(Arrays.toString(e.shape()), Arrays.toString(a.shape()), name);
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.getDouble(i), a.getDouble(i), 1e-5 + 1e-4 * Math.abs(e.getDouble(i)), name + " element " + i);
        }
    }
}
