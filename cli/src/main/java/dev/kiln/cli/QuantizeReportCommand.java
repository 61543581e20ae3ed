package dev.kiln.cli;

import dev.kiln.cli.quant.CalibrationInputs;
import dev.kiln.cli.quant.DynamicQuantizationEvaluation;
import dev.kiln.cli.quant.ErrorStats;
import dev.kiln.cli.quant.QuantizationEvaluation;
import dev.kiln.ir.Graph;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.passes.quant.CalibrationMethod;
import dev.kiln.runtime.Kiln;
import dev.kiln.runtime.Model;
import dev.kiln.runtime.io.TensorFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kiln quantize-report}: how much int8 quantization costs a model, so the layer to keep in float is obvious:
 * the three calibration methods side by side (output error, top-1 with labels), the error of each output, and a
 * per-layer table of each quantized activation's own quantization error (local SNR) and the error the int8 model
 * has accumulated by then (accumulated SNR). Everything runs on the reference interpreter.
 */
@Command(name = "quantize-report", description = "Compare a model's int8 quantization with the float model: per-output and per-layer error, accuracy, calibration methods.")
final class QuantizeReportCommand extends CommandBase implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.onnx).")
    Path model;

    @Option(names = "--inputs", paramLabel = "FILE.npy|DIR", required = true, description = "Evaluation inputs (samples on the first axis).")
    Path inputs;

    @Option(names = "--labels", paramLabel = "FILE.npy", description = "Integer class labels of the evaluation inputs, for top-1 accuracy.")
    Path labels;

    @Mixin
    QuantizationOptions quantization;

    @Override
    public Integer call() {
        requireFile(model, "model");
        boolean dynamic = "int8-dynamic".equals(quantization.mode);
        if (quantization.calibration == null && !dynamic) throw usage("quantize-report needs --calibration FILE.npy|DIR");
        if (quantization.mode != null && !quantization.mode.equals("int8") && !dynamic) throw usage("quantize-report measures --quantize int8 or int8-dynamic");
        Model loaded = Kiln.load(model);
        if (loaded.artifact() != null) throw usage("model " + model + " is a compiled artifact; the report needs the float model");
        Graph graph = loaded.graph();
        if (dynamic) return dynamicReport(graph);
        List<Map<String, Tensor>> calibration = CalibrationInputs.read(quantization.calibration, graph);
        List<Map<String, Tensor>> evaluation = CalibrationInputs.read(inputs, graph);
        Tensor labelTensor = labels == null ? null : (Tensor) TensorFiles.read(labels, TensorType.of(dev.kiln.ir.DType.I64));
        CalibrationMethod chosen = quantization.method();
        QuantizationEvaluation eval = new QuantizationEvaluation(graph, CalibrationInputs.batches(calibration, graph),
                CalibrationInputs.batches(evaluation, graph), quantization.activationType(), quantization.keepFloatPatterns(), quantization.percentile());
        PrintWriter out = out();
        long samples = CalibrationInputs.sampleCount(evaluation, graph);
        out.printf("model %s: calibration %d samples, evaluation %d samples, activations %s, reference interpreter at -O1%n", model.getFileName(),
                CalibrationInputs.sampleCount(calibration, graph), samples, quantization.activationType());
        double floatTop1 = eval.floatTop1(labelTensor);
        if (labelTensor != null) out.printf("float top-1: %.2f%%%n", 100 * floatTop1);
        out.println();
        out.printf("%-18s %9s %10s %16s %14s %12s %12s%n", "method", "top-1", "drop (pt)", "agrees w/ float", "output SNR dB", "max abs", "mean abs");
        QuantizationEvaluation.MethodResult chosenResult = null;
        for (CalibrationMethod method : CalibrationMethod.values()) {
            QuantizationEvaluation.MethodResult r = eval.evaluate(method, labelTensor);
            if (method == chosen) chosenResult = r;
            ErrorStats first = r.outputs().values().iterator().next();
            out.printf("%-18s %9s %10s %15.2f%% %14.2f %12.5g %12.5g%s%n", method.label() + (method == CalibrationMethod.PERCENTILE ? " " + quantization.percentile() : ""),
                    labelTensor == null ? "-" : String.format("%.2f%%", 100 * r.top1()),
                    labelTensor == null ? "-" : String.format("%.2f", 100 * (floatTop1 - r.top1())),
                    100 * r.agreement(), first.snrDb(), first.maxAbs(), first.meanAbs(), method == chosen ? "   (--calibration-method)" : "");
        }
        out.println();
        out.println("per-output error (" + chosen.label() + "):");
        out.printf("  %-32s %12s %12s %10s%n", "output", "max abs", "mean abs", "SNR dB");
        for (Map.Entry<String, ErrorStats> e : chosenResult.outputs().entrySet()) {
            out.printf("  %-32s %12.5g %12.5g %10.2f%n", e.getKey(), e.getValue().maxAbs(), e.getValue().meanAbs(), e.getValue().snrDb());
        }
        out.println();
        out.println("per-layer error (" + chosen.label() + "), in graph order: local = this tensor's own rounding and clipping,"
                + " accumulated = the int8 model against float at this tensor:");
        out.printf("  %-44s %-18s %-4s %11s %5s %14s %19s%n", "tensor", "op", "type", "scale", "zp", "local SNR dB", "accumulated SNR dB");
        List<QuantizationEvaluation.LayerError> layers = eval.layers(chosen);
        double previous = Double.POSITIVE_INFINITY;
        String worst = null;
        double worstDrop = 0;
        for (QuantizationEvaluation.LayerError l : layers) {
            double acc = l.accumulated().snrDb();
            double drop = Double.isInfinite(previous) ? 0 : previous - acc;
            if (drop > worstDrop) {
                worstDrop = drop;
                worst = l.tensor();
            }
            previous = acc;
            out.printf("  %-44s %-18s %-4s %11.5g %5d %14.2f %19.2f%n", abbreviate(l.tensor()), l.op(), l.params().type(), l.params().scale(),
                    l.params().zeroPoint(), l.local().snrDb(), acc);
        }
        if (worst != null) out.printf("largest drop in accumulated SNR: %.2f dB at %s (try --keep-float on its producer)%n", worstDrop, worst);
        out.println();
        List<String> floating = new ArrayList<>();
        chosenResult.keptFloat().forEach((node, why) -> floating.add("  " + node + ": " + why));
        out.println(floating.isEmpty() ? "kept in float: none" : "kept in float:");
        floating.forEach(out::println);
        out.flush();
        return 0;
    }

    /** int8-dynamic against float, one sample per run: top-1, agreement and per-output error (no calibration, no layer table). */
    private int dynamicReport(Graph graph) {
        List<Map<String, Tensor>> evaluation = CalibrationInputs.read(inputs, graph);
        Tensor labelTensor = labels == null ? null : (Tensor) TensorFiles.read(labels, TensorType.of(dev.kiln.ir.DType.I64));
        DynamicQuantizationEvaluation.Result r = DynamicQuantizationEvaluation.evaluate(graph, CalibrationInputs.batches(evaluation, graph, 1),
                labelTensor, quantization.keepFloatPatterns());
        PrintWriter out = out();
        out.printf("model %s: int8-dynamic, evaluation %d samples one per run, reference interpreter at -O1%n", model.getFileName(),
                CalibrationInputs.sampleCount(evaluation, graph));
        if (labelTensor != null) out.printf("top-1: float %.2f%%, int8-dynamic %.2f%% (drop %.2f pt)%n", 100 * r.floatTop1(), 100 * r.top1(), 100 * (r.floatTop1() - r.top1()));
        out.printf("int8-dynamic top-1 agrees with float: %.2f%%%n", 100 * r.agreement());
        out.printf("  %-32s %12s %12s %10s%n", "output", "max abs", "mean abs", "SNR dB");
        r.outputs().forEach((name, e) -> out.printf("  %-32s %12.5g %12.5g %10.2f%n", name, e.maxAbs(), e.meanAbs(), e.snrDb()));
        out.println(r.keptFloat().isEmpty() ? "kept in float: none" : "kept in float:");
        r.keptFloat().forEach((node, why) -> out.println("  " + node + ": " + why));
        out.flush();
        return 0;
    }

    private static String abbreviate(String name) { return name.length() <= 44 ? name : "…" + name.substring(name.length() - 43); }

}
