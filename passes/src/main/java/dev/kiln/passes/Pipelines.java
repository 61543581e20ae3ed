package dev.kiln.passes;

import dev.kiln.passes.quant.QuantizationSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * The standard pipelines, in order. Each level adds to the one below: -O1 cleans up and folds, -O2 fuses, -O3
 * changes layouts; from -O2 on, memory planning runs last, because a rewrite after it would leave stale offsets.
 * Cleanup runs again after rewrites that leave dead or duplicate nodes behind; elementwise fusion comes after the
 * conv and gemm fusions so it does not take the activations their epilogues absorb.
 */
public final class Pipelines {
    private static final List<String> CLEANUP = List.of(
            "remove-identities", "fold-constants", "simplify-shapes", "eliminate-common-subexpressions",
            "fold-batch-norm", "lower-qdq", "eliminate-dead-code");
    private static final List<String> FUSION = List.of(
            "recognize-patterns", "fuse-conv-bias-activation", "fuse-gemm-bias-activation", "eliminate-dead-code",
            "fuse-elementwise");
    private static final List<String> LAYOUT = List.of("transform-layout");
    private static final List<String> MEMORY = List.of("plan-memory");

    private Pipelines() {}

    /** The pass names of a level's pipeline, in the order they run. */
    public static List<String> names(OptLevel level) {
        List<String> names = new ArrayList<>();
        if (level.compareTo(OptLevel.O1) >= 0) names.addAll(CLEANUP);
        if (level.compareTo(OptLevel.O2) >= 0) names.addAll(FUSION);
        if (level.compareTo(OptLevel.O3) >= 0) names.addAll(LAYOUT);
        if (level.compareTo(OptLevel.O2) >= 0) names.addAll(MEMORY);
        return names;
    }

    /**
     * The level's pipeline with the quantization pass of {@code mode} (null: none) after batch-norm folding, so it
     * sees the folded weights, and before lower-qdq, which folds the Q/DQ it inserts (and any a QDQ model brought)
     * into integer ops ahead of fusion. Quantization needs cleanup, so it starts at -O1.
     */
    public static List<String> names(OptLevel level, QuantizationSettings.Mode mode) {
        List<String> names = names(level);
        if (mode == null) return names;
        if (level.compareTo(OptLevel.O1) < 0) throw new IllegalArgumentException("--quantize needs -O1 or higher");
        names.add(names.indexOf("lower-qdq"), mode == QuantizationSettings.Mode.STATIC ? "quantize-int8" : "quantize-dynamic");
        return names;
    }

    /** The passes of a level's pipeline, in order; every name must be registered. */
    public static List<Pass> passes(OptLevel level) { return passes(level, null); }

    /** The passes of a level's pipeline with the quantization of {@code mode} (null: none). */
    public static List<Pass> passes(OptLevel level, QuantizationSettings.Mode mode) {
        return names(level, mode).stream().map(PassRegistry::byName).toList();
    }
}
