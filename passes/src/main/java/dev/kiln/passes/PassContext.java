package dev.kiln.passes;

import dev.kiln.passes.quant.QuantizationSettings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pass sees besides the graph: the optimization level, free-form options ({@code name=value}), the target's
 * preferences, the quantization asked for, and where it records statistics and explanations. One context serves a whole pipeline run.
 */
public final class PassContext {
    private final OptLevel level;
    private final Map<String, String> options;
    private final TargetPreferences target;
    private final QuantizationSettings quantization;
    private final Map<String, Integer> rewrites = new LinkedHashMap<>();
    private final Map<String, List<String>> explanations = new LinkedHashMap<>();
    private String currentPass = "";

    public PassContext(OptLevel level, Map<String, String> options, TargetPreferences target) {
        this(level, options, target, null);
    }

    /** A context whose quantization passes quantize as {@code quantization} says (null: no quantization asked for). */
    public PassContext(OptLevel level, Map<String, String> options, TargetPreferences target, QuantizationSettings quantization) {
        this.level = level;
        this.options = Map.copyOf(options);
        this.target = target;
        this.quantization = quantization;
    }

    public static PassContext defaults() { return new PassContext(OptLevel.O2, Map.of(), TargetPreferences.reference()); }

    public OptLevel level() { return level; }

    public String option(String name, String fallback) { return options.getOrDefault(name, fallback); }

    public TargetPreferences target() { return target; }

    /** What {@code --quantize} asked for, or null. */
    public QuantizationSettings quantization() { return quantization; }

    void enter(String passName) { currentPass = passName; }

    /** Counts {@code n} rewrites for the running pass ({@code --pass-stats}). */
    public void rewrote(int n) { rewrites.merge(currentPass, n, Integer::sum); }

    /** Records why the running pass touched a node, or why a pattern almost matched and did not ({@code --explain}). */
    public void explain(String nodeName, String message) {
        String by = currentPass.isEmpty() ? "pass manager" : currentPass;
        explanations.computeIfAbsent(nodeName, k -> new ArrayList<>()).add(by + ": " + message);
    }

    public int rewrites(String passName) { return rewrites.getOrDefault(passName, 0); }

    /** Node name → what each pass said about it, in order. */
    public Map<String, List<String>> explanations() { return Collections.unmodifiableMap(explanations); }
}
