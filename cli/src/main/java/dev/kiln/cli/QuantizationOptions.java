package dev.kiln.cli;

import dev.kiln.cli.quant.CalibrationInputs;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.passes.quant.CalibrationMethod;
import dev.kiln.passes.quant.QuantizationSettings;
import dev.kiln.runtime.KilnException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The quantization flags of the commands that optimize a model ({@code compile}, {@code run}, {@code bench}, …):
 * {@code --quantize int8|int8-dynamic}, the calibration data and method, the activation type and the nodes to keep
 * in float.
 */
final class QuantizationOptions {
    @Option(names = "--quantize", paramLabel = "MODE", description = "Quantize: int8 (static, needs --calibration) or int8-dynamic "
            + "(MatMul/Gemm weights int8, activations quantized per run).")
    String mode;

    @Option(names = "--calibration", paramLabel = "FILE.npy|DIR", description = "Calibration inputs for --quantize int8: one .npy "
            + "(samples on the first axis) or a directory of them.")
    Path calibration;

    @Option(names = "--calibration-method", paramLabel = "METHOD", description = "minmax, percentile or entropy (default: minmax).")
    String method = "minmax";

    @Option(names = "--percentile", paramLabel = "P", description = "The percentile of |x| kept by --calibration-method percentile (default: 99.99).")
    double percentile = 99.99;

    @Option(names = "--activations", paramLabel = "TYPE", description = "int8 (symmetric, default) or uint8 (asymmetric).")
    String activations = "int8";

    @Option(names = "--keep-float", paramLabel = "PATTERN", description = "Keep nodes whose name matches in float: a glob (* and ?) "
            + "or /regex/ (repeatable).")
    List<String> keepFloat = new ArrayList<>();

    /** The settings the flags ask for, or null without {@code --quantize}; calibration reads its files here. */
    QuantizationSettings settings(Graph graph) {
        if (mode == null) {
            if (calibration != null) throw new KilnException("--calibration needs --quantize int8");
            return null;
        }
        CalibrationMethod calibrationMethod = method();
        DType type = activationType();
        var patterns = keepFloatPatterns();
        return switch (mode) {
            case "int8" -> {
                if (calibration == null) throw new KilnException("--quantize int8 needs --calibration FILE.npy|DIR");
                var batches = CalibrationInputs.batches(CalibrationInputs.read(calibration, graph), graph);
                yield new QuantizationSettings(QuantizationSettings.Mode.STATIC, type, patterns,
                        QuantizationSettings.calibrated(batches, calibrationMethod, percentile()));
            }
            case "int8-dynamic" -> new QuantizationSettings(QuantizationSettings.Mode.DYNAMIC, DType.U8, patterns, (g, t) -> java.util.Map.of());
            default -> throw new KilnException("--quantize must be int8 or int8-dynamic, got '" + mode + "'");
        };
    }

    DType activationType() {
        return switch (activations) {
            case "int8" -> DType.I8;
            case "uint8" -> DType.U8;
            default -> throw new KilnException("--activations must be int8 or uint8, got '" + activations + "'");
        };
    }

    List<java.util.regex.Pattern> keepFloatPatterns() {
        return keepFloat.stream().map(QuantizationSettings::nodePattern).toList();
    }

    double percentile() {
        if (percentile <= 0 || percentile > 100) throw new KilnException("--percentile must be in (0, 100], got " + percentile);
        return percentile;
    }

    CalibrationMethod method() {
        try {
            return CalibrationMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new KilnException(e.getMessage());
        }
    }
}
