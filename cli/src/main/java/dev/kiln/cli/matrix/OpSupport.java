package dev.kiln.cli.matrix;

import dev.kiln.backend.ref.RefKernels;
import dev.kiln.ir.ops.OpRegistry;

/** Whether the reference backend implements an op: it needs both a schema (for type inference) and a kernel. */
public final class OpSupport {
    private OpSupport() {}

    /** Null when implemented; otherwise why not. */
    public static String missing(String qualifiedOp) {
        boolean schema = OpRegistry.standard().find(OnnxOperators.domain(qualifiedOp), OnnxOperators.name(qualifiedOp)) != null;
        boolean kernel = RefKernels.find(qualifiedOp) != null;
        if (schema && kernel) return null;
        if (!schema && !kernel) return "not implemented";
        return schema ? "not implemented (schema only, no reference kernel)" : "not implemented (kernel but no schema)";
    }
}
