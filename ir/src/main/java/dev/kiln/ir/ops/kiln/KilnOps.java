package dev.kiln.ir.ops.kiln;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpRegistry;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.ValueType;

import java.util.List;

/**
 * Ops of domain {@code kiln} (opset 1) that graph passes introduce; every one has a reference kernel.
 * <ul>
 * <li>{@code kiln:Gelu(X)}, attribute {@code approximate} ("none" or "tanh"): ONNX Gelu (opset 20) for graphs whose
 * default opset is older.</li>
 * <li>{@code kiln:LayerNormalization(X, Scale, B?)}, attributes {@code axis}, {@code epsilon}: ONNX
 * LayerNormalization (opset 17) with one output, for graphs whose default opset is older.</li>
 * <li>{@code kiln:Attention(Q, Kt, V, Mask?)}: see {@link AttentionInference}.</li>
 * <li>{@code kiln:FusedElementwise(inputs...)}: see {@link FusedElementwiseInference}.</li>
 * </ul>
 */
public final class KilnOps implements OpFamily {
    public static final String DOMAIN = "kiln";
    public static final int OPSET = 1;

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op(DOMAIN, "Gelu").since(1).inputs(1).outputs(1)
                        .attr(AttrSpec.withDefault("approximate", Attribute.of("none")))
                        .infer(ctx -> asOnnx(ctx, "Gelu")),
                OpSchema.op(DOMAIN, "LayerNormalization").since(1).inputs(2, 3).outputs(1)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(-1L)))
                        .attr(AttrSpec.withDefault("epsilon", Attribute.of(1e-5f)))
                        .infer(ctx -> asOnnx(ctx, "LayerNormalization")),
                OpSchema.op(DOMAIN, "Attention").since(1).inputs(3, 4).outputs(1)
                        .attr(AttrSpec.required("scale", Attribute.Kind.FLOAT))
                        .infer(AttentionInference::infer),
                OpSchema.op(DOMAIN, "FusedElementwise").since(1).inputs(1, Integer.MAX_VALUE).outputs(1)
                        .attr(AttrSpec.required("body", Attribute.Kind.GRAPH))
                        .infer(FusedElementwiseInference::infer));
    }

    /** Types a mirror of a newer ONNX op by that op's own inference (looked up late: the registry is loading now). */
    private static List<ValueType> asOnnx(InferenceContext ctx, String op) {
        return OpRegistry.standard().find("", op).inference().infer(ctx);
    }
}
