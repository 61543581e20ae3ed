package dev.kiln.interpreter.kernels;

import java.util.HashMap;
import java.util.Map;

/** The derivative rules the Gradient op knows, by qualified op name. */
final class GradientRules {
    private static final Map<String, GradientRule> RULES = collect();

    private GradientRules() {}

    /** The rule for an op, or null when there is none. */
    static GradientRule find(String qualifiedOp) { return RULES.get(qualifiedOp); }

    private static Map<String, GradientRule> collect() {
        Map<String, GradientRule> all = new HashMap<>();
        all.putAll(GradientElementwiseRules.rules());
        all.putAll(GradientLinearRules.rules());
        all.putAll(GradientShapeRules.rules());
        return Map.copyOf(all);
    }
}
