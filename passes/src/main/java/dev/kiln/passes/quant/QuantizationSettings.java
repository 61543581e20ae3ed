package dev.kiln.passes.quant;

import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code --quantize} asks of the quantization passes: static int8 (activations quantized with calibrated
 * ranges) or dynamic (activations quantized per run), the activation type, the nodes to keep in float, and where
 * the ranges come from. The ranges are a function of the graph the pass sees, because calibration must observe
 * the tensors of the graph being quantized (after cleanup renamed and folded some).
 */
public record QuantizationSettings(Mode mode, DType activations, List<Pattern> keepFloat, RangeSource ranges) {
    public enum Mode { STATIC, DYNAMIC }

    /** Tensor name → observed [lo, hi], for the tensors asked for that calibration saw. */
    @FunctionalInterface
    public interface RangeSource {
        Map<String, double[]> ranges(Graph graph, Set<String> tensors);
    }

    public QuantizationSettings {
        if (activations != DType.I8 && activations != DType.U8) {
            throw new IllegalArgumentException("activations must be int8 or uint8, not " + activations);
        }
        keepFloat = List.copyOf(keepFloat);
    }

    /** Whether {@code --keep-float} names this node. */
    public boolean keepsFloat(String nodeName) {
        return keepFloat.stream().anyMatch(p -> p.matcher(nodeName).matches());
    }

    /** A {@code --keep-float} pattern: {@code /regex/}, or a glob where {@code *} and {@code ?} are wildcards. */
    public static Pattern nodePattern(String text) {
        if (text.length() > 1 && text.startsWith("/") && text.endsWith("/")) return Pattern.compile(text.substring(1, text.length() - 1));
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*') regex.append(".*");
            else if (c == '?') regex.append('.');
            else regex.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    /** Ranges calibrated on {@code batches} with {@code method}. */
    public static RangeSource calibrated(List<Map<String, dev.kiln.ir.tensor.RuntimeValue>> batches, CalibrationMethod method, double percentile) {
        return (graph, tensors) -> {
            Map<String, double[]> out = new java.util.LinkedHashMap<>();
            Calibrator.observe(graph, batches, tensors).forEach((name, stats) -> {
                if (!stats.isEmpty()) out.put(name, method.range(stats, percentile));
            });
            return out;
        };
    }
}
