package dev.kiln.passes.quant;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.runtime.KilnException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a float graph on calibration batches with the reference interpreter and records {@link TensorStats} of the
 * float tensors asked for. The interpreter is the numerical oracle the passes already fold constants with, so the
 * ranges do not depend on a backend; it is slow, which calibration sets of tens to hundreds of samples tolerate.
 */
public final class Calibrator {
    private Calibrator() {}

    /** Stats of every tensor in {@code names} (graph inputs or node outputs of {@code graph}) over all batches. */
    public static Map<String, TensorStats> observe(Graph graph, List<Map<String, RuntimeValue>> batches, Set<String> names) {
        Map<String, Value> values = graph.valuesByName();
        List<Value> outputs = new ArrayList<>();
        for (String name : names) {
            Value v = values.get(name);
            if (v == null) throw new IllegalArgumentException("calibration: graph has no tensor '" + name + "'");
            if (!graph.inputs().contains(v)) outputs.add(v);
        }
        Graph probe = graph.withOutputs(outputs);
        Map<String, TensorStats> stats = new LinkedHashMap<>();
        names.forEach(n -> stats.put(n, new TensorStats()));
        for (Map<String, RuntimeValue> batch : batches) {
            Map<String, RuntimeValue> seen = new LinkedHashMap<>(batch);
            try {
                seen.putAll(Interpreter.run(probe, batch));
            } catch (KilnException e) {
                throw new KilnException("calibration run failed: " + e.getMessage(), e);
            }
            for (String name : names) {
                if (seen.get(name) instanceof Tensor t && t.dtype().isFloat()) stats.get(name).add(t.toDoubles());
            }
        }
        return stats;
    }
}
