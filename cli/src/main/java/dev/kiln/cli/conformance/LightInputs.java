package dev.kiln.cli.conformance;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inputs of the ONNX light-model tests, made the way the ONNX backend test runner makes them (its
 * {@code generate_dummy_data} without randomness): for each graph input, a float tensor of the declared shape with
 * every dim that has no fixed size taken as 1, holding {@code arange(n) / n} computed in double and rounded to float.
 */
public final class LightInputs {
    private LightInputs() {}

    public static Map<String, RuntimeValue> generate(Graph graph) {
        Map<String, RuntimeValue> inputs = new LinkedHashMap<>();
        for (Value input : graph.inputs()) {
            if (!(input.type() instanceof TensorType type) || type.dtype() != DType.F32) {
                throw new KilnException("light-model input '" + input.name() + "' is " + input.type()
                        + "; the ONNX runner only generates f32 tensor inputs");
            }
            if (!type.shape().hasRank()) {
                throw new KilnException("light-model input '" + input.name() + "' has no declared rank to generate data for");
            }
            long[] shape = type.shape().dims().stream().mapToLong(d -> d.isStatic() ? d.size() : 1).toArray();
            inputs.put(input.name(), ramp(shape));
        }
        return inputs;
    }

    /** {@code (float) (i / n)} for i in 0..n-1, laid out in {@code shape}. */
    static Tensor ramp(long[] shape) {
        Tensor t = Tensor.zeros(DType.F32, shape);
        int n = t.size();
        for (int i = 0; i < n; i++) t.setDouble(i, (double) i / n);
        return t;
    }
}
