import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.Pipelines;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.passes.quant.QuantizationSettings;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.io.Npy;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-1 of a digits-rows model (models/lstm, models/gru) in float and with {@code --quantize int8-dynamic}, on the
 * reference interpreter (-O1), one sample per run (batch 1, as deployed: dynamic quantization picks its ranges per
 * run, so the batch a sample shares changes its numbers) and, for comparison, all samples in one batch. A second
 * model input (models/gru's initial state) is fed zeros. Data: tools/quantization/make_digits_data.py.
 *
 * <pre>java -cp 'cli/target/lib/*' --add-modules jdk.incubator.vector tools/quantization/RecurrentAccuracy.java \
 *     models/lstm/model.onnx target/quantization-data/test_rows.npy target/quantization-data/test_labels.npy</pre>
 */
public class RecurrentAccuracy {
    public static void main(String[] args) throws Exception {
        Graph model = Kiln.load(Path.of(args[0])).graph();
        Tensor rows = (Tensor) Npy.read(Path.of(args[1]));
        Tensor labels = (Tensor) Npy.read(Path.of(args[2]));
        Graph floatGraph = optimize(model, null);
        Graph int8 = optimize(model, QuantizationSettings.Mode.DYNAMIC);
        int n = (int) rows.dim(0), stride = (int) (rows.size() / n);
        int floatRight = 0, int8Right = 0, agree = 0;
        for (int i = 0; i < n; i++) {
            Tensor one = Tensor.zeros(DType.F32, 1, rows.dim(1), rows.dim(2));
            for (int k = 0; k < stride; k++) one.setDouble(k, rows.getDouble(i * stride + k));
            Map<String, RuntimeValue> inputs = inputs(model, one);
            long f = argmax(run(floatGraph, inputs), 0), q = argmax(run(int8, inputs), 0);
            floatRight += f == labels.getLong(i) ? 1 : 0;
            int8Right += q == labels.getLong(i) ? 1 : 0;
            agree += f == q ? 1 : 0;
        }
        System.out.printf("%s: %d samples, batch 1: float top-1 %.2f%%, int8-dynamic top-1 %.2f%%, same top-1 %.2f%%%n",
                args[0], n, 100.0 * floatRight / n, 100.0 * int8Right / n, 100.0 * agree / n);
        Map<String, RuntimeValue> all = inputs(model, rows);
        Tensor f = run(floatGraph, all), q = run(int8, all);
        int fb = 0, qb = 0;
        for (int i = 0; i < n; i++) {
            fb += argmax(f, i) == labels.getLong(i) ? 1 : 0;
            qb += argmax(q, i) == labels.getLong(i) ? 1 : 0;
        }
        System.out.printf("  one batch of %d: float top-1 %.2f%%, int8-dynamic top-1 %.2f%%%n", n, 100.0 * fb / n, 100.0 * qb / n);
    }

    private static Graph optimize(Graph model, QuantizationSettings.Mode mode) {
        QuantizationSettings settings = mode == null ? null : new QuantizationSettings(mode, DType.I8, List.of(), (g, tensors) -> Map.of());
        PassContext ctx = new PassContext(OptLevel.O1, Map.of(), TargetPreferences.reference(), settings);
        return new PassManager(Pipelines.passes(OptLevel.O1, mode), PassOptions.verifying(), new PrintWriter(Writer.nullWriter())).run(model, ctx).graph();
    }

    /** The rows as the first input; any other input (an initial state) zeros, its batch axis sized to the rows'. */
    private static Map<String, RuntimeValue> inputs(Graph model, Tensor rows) {
        Map<String, RuntimeValue> inputs = new HashMap<>();
        inputs.put(model.inputs().getFirst().name(), rows);
        for (Value v : model.inputs().subList(1, model.inputs().size())) {
            var shape = v.tensorType().shape();
            long[] dims = new long[shape.rank()];
            for (int d = 0; d < dims.length; d++) dims[d] = shape.dim(d).isStatic() ? shape.dim(d).size() : rows.dim(0);
            inputs.put(v.name(), Tensor.zeros(DType.F32, dims));
        }
        return inputs;
    }

    private static Tensor run(Graph g, Map<String, RuntimeValue> inputs) {
        return (Tensor) Interpreter.run(g, inputs).get(g.outputs().getFirst().name());
    }

    private static long argmax(Tensor logits, int row) {
        int classes = (int) logits.dim(logits.rank() - 1);
        int best = 0;
        for (int c = 1; c < classes; c++) if (logits.getDouble(row * classes + c) > logits.getDouble(row * classes + best)) best = c;
        return best;
    }
}
