package dev.kiln.backend.cpu.plan;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a graph on a CPU plan and on the reference interpreter and compares: shared by the step families' tests. */
public final class PlanChecks {
    private PlanChecks() {}

    /**
     * Checks that every step whose description names {@code node} mentions {@code kind} and that each run (in order,
     * on one frame, so that buffers are reused across shapes) matches the interpreter.
     */
    @SafeVarargs
    public static void matchesInterpreter(Graph graph, int threads, String node, String kind, Map<String, RuntimeValue>... runs) {
        CpuPlan plan = new CpuPlan(graph, new CpuContext(threads, null));
        for (Step step : plan.steps()) {
            if (step.describe().contains("'" + node + "'")) assertTrue(step.describe().contains(kind), step.describe());
        }
        try (Frame frame = plan.newFrame()) {
            for (Map<String, RuntimeValue> inputs : runs) {
                for (int repeat = 0; repeat < 2; repeat++) {
                    Map<String, RuntimeValue> expected = Interpreter.run(graph, inputs);
                    Map<String, RuntimeValue> actual = plan.run(frame, inputs);
                    for (var e : expected.entrySet()) assertClose(e.getKey(), (Tensor) e.getValue(), (Tensor) actual.get(e.getKey()));
                }
            }
        }
    }

    /** {@code n} floats in [-1, 1) as IR text ({@code dense<[…]>} contents). */
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
        for (int i = 0; i < e.size(); i++) assertEquals(e.getDouble(i), a.getDouble(i), 1e-5 + 1e-4 * Math.abs(e.getDouble(i)), name + " element " + i);
    }
}
