package dev.kiln.cli.quant;

import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.Value;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.OptLevel;
import dev.kiln.passes.PassContext;
import dev.kiln.passes.PassManager;
import dev.kiln.passes.PassOptions;
import dev.kiln.passes.Pipelines;
import dev.kiln.passes.TargetPreferences;
import dev.kiln.passes.quant.CalibrationMethod;
import dev.kiln.passes.quant.Calibrator;
import dev.kiln.passes.quant.QuantParams;
import dev.kiln.passes.quant.QuantizationSettings;
import dev.kiln.passes.quant.TensorStats;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The measurements behind {@code kiln quantize-report}, all on the reference interpreter: the float model and its
 * int8 versions (-O1 cleanup, quantize-int8, lower-qdq) run on the same evaluation batches. Calibration observes the
 * model once; each method then derives its ranges from the same statistics.
 */
public final class QuantizationEvaluation {
    /** One quantized tensor of the Q/DQ graph: its name, the op producing it, its parameters and its errors against float. */
    public record LayerError(String tensor, String op, QuantParams params, ErrorStats local, ErrorStats accumulated) {}

    /**
     * One calibration method's result: per-output errors, top-1 (NaN without labels), how often the int8 model's
     * top-1 agrees with the float model's (meaningful without labels too), and what stayed float.
     */
    public record MethodResult(CalibrationMethod method, Map<String, ErrorStats> outputs, double top1, double agreement, Map<String, String> keptFloat) {}

    private final Graph model;
    private final List<Map<String, RuntimeValue>> calibration;
    private final List<Map<String, RuntimeValue>> evaluation;
    private final DType activations;
    private final List<Pattern> keepFloat;
    private final double percentile;
    private final Graph floatGraph;
    private final List<Map<String, RuntimeValue>> floatOutputs = new ArrayList<>();
    private Map<String, TensorStats> stats;

    public QuantizationEvaluation(Graph model, List<Map<String, RuntimeValue>> calibration, List<Map<String, RuntimeValue>> evaluation,
                                  DType activations, List<Pattern> keepFloat, double percentile) {
        this.model = model;
        this.calibration = calibration;
        this.evaluation = evaluation;
        this.activations = activations;
        this.keepFloat = keepFloat;
        this.percentile = percentile;
        this.floatGraph = optimize(null, Set.of(), new PassContext(OptLevel.O1, Map.of(), TargetPreferences.reference()));
        for (Map<String, RuntimeValue> batch : evaluation) floatOutputs.add(Interpreter.run(floatGraph, batch));
    }

    private Graph optimize(QuantizationSettings.Mode mode, Set<String> disabled, PassContext ctx) {
        PassOptions options = new PassOptions(false, Set.of(), null, disabled, false, false);
        return new PassManager(Pipelines.passes(OptLevel.O1, mode), options, new PrintWriter(Writer.nullWriter())).run(model, ctx).graph();
    }

    private PassContext context(CalibrationMethod method) {
        QuantizationSettings settings = new QuantizationSettings(QuantizationSettings.Mode.STATIC, activations, keepFloat, (graph, tensors) -> {
            if (stats == null || !stats.keySet().containsAll(tensors)) stats = Calibrator.observe(graph, calibration, tensors);
            Map<String, double[]> ranges = new LinkedHashMap<>();
            for (String t : tensors) if (!stats.get(t).isEmpty()) ranges.put(t, method.range(stats.get(t), percentile));
            return ranges;
        });
        return new PassContext(OptLevel.O1, Map.of(), TargetPreferences.reference(), settings);
    }

    /** Top-1 of the float model on {@code labels} (NaN without). */
    public double floatTop1(Tensor labels) { return labels == null ? Double.NaN : top1(floatOutputs, labels); }

    /** The lowered int8 model with {@code method}'s ranges against the float one. */
    public MethodResult evaluate(CalibrationMethod method, Tensor labels) {
        PassContext ctx = context(method);
        Graph lowered = optimize(QuantizationSettings.Mode.STATIC, Set.of(), ctx);
        List<Map<String, RuntimeValue>> outputs = new ArrayList<>();
        for (Map<String, RuntimeValue> batch : evaluation) outputs.add(Interpreter.run(lowered, batch));
        Map<String, ErrorStats> errors = new LinkedHashMap<>();
        for (Value out : floatGraph.outputs()) {
            ErrorStats e = new ErrorStats();
            for (int b = 0; b < outputs.size(); b++) e.add((Tensor) floatOutputs.get(b).get(out.name()), (Tensor) outputs.get(b).get(out.name()));
            errors.put(out.name(), e);
        }
        Map<String, String> keptFloat = new LinkedHashMap<>();
        ctx.explanations().forEach((node, lines) -> lines.stream().filter(l -> l.startsWith("quantize-int8: kept in float: ")).findFirst()
                .ifPresent(l -> keptFloat.put(node, l.substring("quantize-int8: kept in float: ".length()))));
        return new MethodResult(method, errors, labels == null ? Double.NaN : top1(outputs, labels), top1(outputs, floatPredictions()), keptFloat);
    }

    /** Each activation the Q/DQ graph quantizes: its own quantization error and the error accumulated up to it. */
    public List<LayerError> layers(CalibrationMethod method) {
        Graph qdq = optimize(QuantizationSettings.Mode.STATIC, Set.of("lower-qdq"), context(method));
        Map<String, Node> producers = new HashMap<>();
        qdq.nodes().forEach(n -> n.outputs().forEach(v -> producers.put(v.name(), n)));
        Map<String, Value> floatValues = floatGraph.valuesByName();
        List<LayerError> layers = new ArrayList<>();
        List<Value> probes = new ArrayList<>();
        List<String> twins = new ArrayList<>();
        for (Node dq : qdq.nodes()) {
            Node q = producers.get(dq.input(0).name());
            if (!dq.op().equals("DequantizeLinear") || q == null || !q.op().equals("QuantizeLinear")) continue;
            String twin = qdq.inputs().contains(q.input(0)) ? q.input(0).name() : dq.output(0).name();
            if (!floatValues.containsKey(twin)) continue;
            Node producer = producers.get(q.input(0).name());
            Tensor scale = qdq.constants().get(q.input(1).name());
            Tensor zero = qdq.constants().get(q.input(2).name());
            QuantParams p = new QuantParams(scale.getDouble(0), (int) zero.getLong(0), zero.dtype());
            layers.add(new LayerError(twin, producer == null ? "input" : producer.op(), p, new ErrorStats(), new ErrorStats()));
            probes.add(dq.output(0));
            twins.add(twin);
        }
        Graph qdqProbe = qdq.withOutputs(probes);
        Graph floatProbe = floatGraph.withOutputs(twins.stream().map(floatValues::get).filter(v -> !floatGraph.inputs().contains(v)).toList());
        for (Map<String, RuntimeValue> batch : evaluation) {
            Map<String, RuntimeValue> quantized = Interpreter.run(qdqProbe, batch);
            Map<String, RuntimeValue> reference = new HashMap<>(batch);
            reference.putAll(Interpreter.run(floatProbe, batch));
            for (int i = 0; i < layers.size(); i++) {
                LayerError layer = layers.get(i);
                Tensor f = (Tensor) reference.get(twins.get(i));
                Tensor q = (Tensor) quantized.get(probes.get(i).name());
                layer.accumulated().add(f, q);
                for (int k = 0; k < f.size(); k++) layer.local().add(f.getDouble(k), layer.params().fakeQuantize(f.getDouble(k)));
            }
        }
        return layers;
    }

    /** The float model's top-1 class of every evaluation sample. */
    private Tensor floatPredictions() {
        List<Long> classes = new ArrayList<>();
        for (Map<String, RuntimeValue> batch : floatOutputs) {
            Tensor logits = (Tensor) batch.get(floatGraph.outputs().getFirst().name());
            int n = (int) logits.dim(logits.rank() - 1);
            for (int row = 0; row < logits.size() / n; row++) classes.add((long) argmax(logits, row, n));
        }
        return Tensor.ofLongs(DType.I64, new long[] {classes.size()}, classes.stream().mapToLong(Long::longValue).toArray());
    }

    private static int argmax(Tensor logits, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) if (logits.getDouble(row * classes + c) > logits.getDouble(row * classes + best)) best = c;
        return best;
    }

    /** The share of samples whose argmax over the last axis of the first output equals the label. */
    private double top1(List<Map<String, RuntimeValue>> outputs, Tensor labels) {
        String name = floatGraph.outputs().getFirst().name();
        long correct = 0;
        long seen = 0;
        for (Map<String, RuntimeValue> batch : outputs) {
            Tensor logits = (Tensor) batch.get(name);
            int classes = (int) logits.dim(logits.rank() - 1);
            for (int row = 0; row < logits.size() / classes; row++) {
                int best = argmax(logits, row, classes);
                if (seen >= labels.size()) throw new IllegalArgumentException("more samples than labels (" + labels.size() + ")");
                if (best == labels.getLong((int) seen)) correct++;
                seen++;
            }
        }
        if (seen != labels.size()) throw new IllegalArgumentException(seen + " samples but " + labels.size() + " labels");
        return (double) correct / seen;
    }
}
