package dev.kiln.cli.matrix;

import dev.kiln.interpreter.RefKernels;
import dev.kiln.ir.ops.OpRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the reference backend implements an op: it needs both a schema (for type inference) and a kernel. Ops
 * left out on purpose carry their reason, from the {@code unsupported-op-reasons.txt} resource.
 */
public final class OpSupport {
    private static final String REASONS = "/dev/kiln/cli/unsupported-op-reasons.txt";

    private OpSupport() {}

    /** Null when implemented; otherwise why not. */
    public static String missing(String qualifiedOp) {
        boolean schema = OpRegistry.standard().find(OnnxOperators.domain(qualifiedOp), OnnxOperators.name(qualifiedOp)) != null;
        boolean kernel = RefKernels.find(qualifiedOp) != null;
        if (schema && kernel) return null;
        String reason = reasons().get(qualifiedOp);
        if (reason != null) return "not implemented: " + reason;
        if (!schema && !kernel) return "not implemented";
        return schema ? "not implemented (schema only, no reference kernel)" : "not implemented (kernel but no schema)";
    }

    /** Qualified op → why Kiln does not implement it, for the ops with a reason on record. */
    public static Map<String, String> reasons() { return parseReasons(OnnxOperators.lines(REASONS)); }

    /** Parses reason lines: a qualified op, whitespace, then the reason (the rest of the line). */
    static Map<String, String> parseReasons(List<String> lines) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            if (parts.length != 2) throw new IllegalStateException(REASONS + ": no reason on line '" + line + "'");
            if (reasons.put(parts[0], parts[1]) != null) throw new IllegalStateException(REASONS + ": " + parts[0] + " is listed twice");
        }
        return reasons;
    }
}
