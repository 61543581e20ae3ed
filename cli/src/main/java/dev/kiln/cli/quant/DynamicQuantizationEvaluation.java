package dev.kiln.cli.quant;

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

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The measurements behind {@code kiln quantize-report --quantize int8-dynamic}: the float model and its
 * {@code quantize-dynamic} version (-O1, reference interpreter) on the same evaluation batches — one sample each, as
 * deployed, since dynamic quantization takes its ranges from the batch it runs.
 */
public final class DynamicQuantizationEvaluation {
    /** Per-output errors, top-1 of both models (NaN without labels), top-1 agreement, and what stayed float. */
    public record Result(Map<String, ErrorStats> outputs, double floatTop1, double top1, double agreement, Map<String, String> keptFloat) {}

    private DynamicQuantizationEvaluation() {}

    public static Result evaluate(Graph model, List<Map<String, RuntimeValue>> batches, Tensor labels, List<Pattern> keepFloat) {
        Graph floatGraph = optimize(model, null, new PassContext(OptLevel.O1, Map.of(), TargetPreferences.reference()));
        QuantizationSettings settings = new QuantizationSettings(QuantizationSettings.Mode.DYNAMIC, DType.I8, keepFloat, (g, tensors) -> Map.of());
        PassContext ctx = new PassContext(OptLevel.O1, Map.of(), TargetPreferences.reference(), settings);
        Graph quantized = optimize(model, QuantizationSettings.Mode.DYNAMIC, ctx);
        Map<String, ErrorStats> outputs = new LinkedHashMap<>();
        for (Value out : floatGraph.outputs()) outputs.put(out.name(), new ErrorStats());
        String first = floatGraph.outputs().getFirst().name();
        List<Long> floatClasses = new ArrayList<>(), classes = new ArrayList<>();
        for (Map<String, RuntimeValue> batch : batches) {
            Map<String, RuntimeValue> f = Interpreter.run(floatGraph, batch), q = Interpreter.run(quantized, batch);
            outputs.forEach((name, e) -> e.add((Tensor) f.get(name), (Tensor) q.get(name)));
            argmaxRows((Tensor) f.get(first), floatClasses);
            argmaxRows((Tensor) q.get(first), classes);
        }
        Map<String, String> keptFloat = new LinkedHashMap<>();
        String prefix = "quantize-dynamic: kept in float: ";
        ctx.explanations().forEach((node, lines) -> lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .ifPresent(l -> keptFloat.put(node, l.substring(prefix.length()))));
        return new Result(outputs, share(floatClasses, labels), share(classes, labels), agreement(floatClasses, classes), keptFloat);
    }

    private static Graph optimize(Graph model, QuantizationSettings.Mode mode, PassContext ctx) {
        PassOptions options = new PassOptions(false, Set.of(), null, Set.of(), false, false);
        return new PassManager(Pipelines.passes(OptLevel.O1, mode), options, new PrintWriter(Writer.nullWriter())).run(model, ctx).graph();
    }

    /** The argmax over the last axis of every row of {@code logits}, appended to {@code into}. */
    private static void argmaxRows(Tensor logits, List<Long> into) {
        int classes = (int) logits.dim(logits.rank() - 1);
        for (int row = 0; row < logits.size() / classes; row++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (logits.getDouble(row * classes + c) > logits.getDouble(row * classes + best)) best = c;
            into.add((long) best);
        }
    }

    private static double share(List<Long> classes, Tensor labels) {
        if (labels == null) return Double.NaN;
        if (labels.size() != classes.size()) throw new IllegalArgumentException(classes.size() + " samples but " + labels.size() + " labels");
        long right = 0;
        for (int i = 0; i < classes.size(); i++) right += classes.get(i) == labels.getLong(i) ? 1 : 0;
        return (double) right / classes.size();
    }

    private static double agreement(List<Long> a, List<Long> b) {
        long same = 0;
        for (int i = 0; i < a.size(); i++) same += a.get(i).equals(b.get(i)) ? 1 : 0;
        return (double) same / a.size();
    }
}
