package dev.kiln.passes;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The numerical half of every pass test: the reference backend's outputs before and after a rewrite agree on random
 * inputs. Symbolic dims are bound to 2; floats are uniform in [-1, 1], integers in [0, 3], bools random.
 */
public final class NumericalTwin {
    private NumericalTwin() {}

    public static void assertSameOutputs(Graph before, Graph after, long seed) { assertSameOutputs(before, after, seed, 0); }

    /** As above, each output element also allowed to move by {@code tolerance} (a quantized graph's error). */
    public static void assertSameOutputs(Graph before, Graph after, long seed, double tolerance) {
        Map<String, RuntimeValue> inputs = randomInputs(before, new Random(seed));
        Map<String, RuntimeValue> expected = Interpreter.run(before, inputs);
        Map<String, RuntimeValue> actual = Interpreter.run(after, inputs);
        for (Value out : before.outputs()) {
            Tensor e = (Tensor) expected.get(out.name());
            Tensor a = (Tensor) actual.get(out.name());
            if (a == null) fail("output '" + out.name() + "' is missing after the pass");
            assertEquals(e.dtype(), a.dtype(), "dtype of output '" + out.name() + "'");
            assertArrayEquals(e.shape(), a.shape(), "shape of output '" + out.name() + "'");
            for (int i = 0; i < e.size(); i++) {
                double x = e.getDouble(i);
                double y = a.getDouble(i);
                boolean same = x == y || (Double.isNaN(x) && Double.isNaN(y)); // equal infinities differ by NaN
                if (!same && Math.abs(x - y) > tolerance + 1e-5 + 1e-4 * Math.abs(x)) {
                    fail("output '" + out.name() + "' element " + i + ": " + y + " after the pass, " + x + " before");
                }
            }
        }
    }

    static Map<String, RuntimeValue> randomInputs(Graph graph, Random random) {
        Map<String, RuntimeValue> inputs = new HashMap<>();
        for (Value in : graph.inputs()) {
            TensorType type = in.tensorType();
            long[] shape = type.shape().dims().stream().mapToLong(d -> d.isStatic() ? d.size() : 2).toArray();
            Tensor t = Tensor.zeros(type.dtype(), shape);
            for (int i = 0; i < t.size(); i++) {
                if (type.dtype().isFloat()) t.setDouble(i, random.nextDouble() * 2 - 1);
                else if (type.dtype() == DType.BOOL) t.setLong(i, random.nextBoolean() ? 1 : 0);
                else t.setLong(i, random.nextInt(4));
            }
            inputs.put(in.name(), t);
        }
        return inputs;
    }

}
