package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.List;
import java.util.Set;

import static dev.kiln.ir.ops.onnx.ControlFamilyDims.FLOATS;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.div;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.mul;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireDType;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireRank;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.shape;

/** Building blocks of recent sequence models: RotaryEmbedding, LinearAttention, CausalConvWithState, SwiGLU. */
public final class SequenceModelOps implements OpFamily {
    static final Set<String> UPDATE_RULES = Set.of("linear", "gated", "delta", "gated_delta");
    static final Set<String> CONV_ACTIVATIONS = Set.of("none", "silu", "swish");

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("RotaryEmbedding").since(23).inputs(3, 4).outputs(1)
                        .attr(AttrSpec.withDefault("interleaved", Attribute.of(0L)))
                        .attr(AttrSpec.withDefault("rotary_embedding_dim", Attribute.of(0L)))
                        .attr(AttrSpec.withDefault("num_heads", Attribute.of(0L)))
                        .infer(SequenceModelOps::inferRotary),
                OpSchema.op("LinearAttention").since(27).inputs(3, 6).outputs(1, 2)
                        .attr(AttrSpec.required("q_num_heads", Attribute.Kind.INT))
                        .attr(AttrSpec.required("kv_num_heads", Attribute.Kind.INT))
                        .attr(AttrSpec.withDefault("update_rule", Attribute.of("gated_delta")))
                        .attr(AttrSpec.optional("scale", Attribute.Kind.FLOAT))
                        .infer(SequenceModelOps::inferLinearAttention),
                OpSchema.op("CausalConvWithState").since(27).inputs(2, 4).outputs(1, 2)
                        .attr(AttrSpec.withDefault("activation", Attribute.of("none")))
                        .infer(SequenceModelOps::inferCausalConv),
                OpSchema.op("SwiGLU").since(28).inputs(2).outputs(1)
                        .attr(AttrSpec.withDefault("alpha", Attribute.of(1f)))
                        .infer(SequenceModelOps::inferSwiGlu));
    }

    private static List<ValueType> inferRotary(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, FLOATS, "input");
        requireDType(ctx, 1, Set.of(t), "cos_cache");
        requireDType(ctx, 2, Set.of(t), "sin_cache");
        if (ctx.hasInput(3)) requireDType(ctx, 3, Set.of(DType.I64), "position_ids");
        Shape x = requireRank(ctx, 0, 3, 4, "input");
        if (x != null && x.rank() == 3 && ctx.intAttr("num_heads") <= 0) {
            throw ctx.fail("3D input needs a positive num_heads attribute");
        }
        requireRank(ctx, 1, ctx.hasInput(3) ? 2 : 3, ctx.hasInput(3) ? 2 : 3, "cos_cache");
        return InferenceContext.one(ctx.input(0));
    }

    private static List<ValueType> inferLinearAttention(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, FLOATS, "query");
        requireDType(ctx, 1, Set.of(t), "key");
        requireDType(ctx, 2, Set.of(t), "value");
        String rule = ctx.stringAttr("update_rule");
        if (!UPDATE_RULES.contains(rule)) throw ctx.fail("update_rule must be one of " + UPDATE_RULES + ", got '" + rule + "'");
        if (rule.startsWith("gated") && !ctx.hasInput(4)) throw ctx.fail("update_rule '" + rule + "' needs the decay input");
        if (rule.endsWith("delta") && !ctx.hasInput(5)) throw ctx.fail("update_rule '" + rule + "' needs the beta input");
        long qHeads = ctx.intAttr("q_num_heads"), kvHeads = ctx.intAttr("kv_num_heads");
        if (qHeads <= 0 || kvHeads <= 0 || qHeads % kvHeads != 0) {
            throw ctx.fail("q_num_heads (" + qHeads + ") must be a positive multiple of kv_num_heads (" + kvHeads + ")");
        }
        Shape q = requireRank(ctx, 0, 3, 3, "query"), v = requireRank(ctx, 2, 3, 3, "value");
        requireRank(ctx, 1, 3, 3, "key");
        DType stateType = ctx.hasInput(3) ? ctx.inputDType(3) : t;
        if (ctx.hasInput(3)) requireRank(ctx, 3, 4, 4, "past_state");
        Dim batch = q == null ? Dim.UNKNOWN : q.dim(0), seq = q == null ? Dim.UNKNOWN : q.dim(1);
        Dim keySize = q == null ? Dim.UNKNOWN : div(q.dim(2), qHeads);
        Dim valueSize = v == null ? Dim.UNKNOWN : div(v.dim(2), kvHeads);
        return ControlFamilyDims.forOutputs(ctx, List.of(
                new TensorType(t, shape(batch, seq, mul(Dim.of(qHeads), valueSize))),
                new TensorType(stateType, shape(batch, Dim.of(kvHeads), keySize, valueSize))));
    }

    private static List<ValueType> inferCausalConv(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, FLOATS, "input");
        requireDType(ctx, 1, Set.of(t), "weight");
        String activation = ctx.stringAttr("activation");
        if (!CONV_ACTIVATIONS.contains(activation)) throw ctx.fail("activation must be one of " + CONV_ACTIVATIONS + ", got '" + activation + "'");
        Shape x = requireRank(ctx, 0, 3, 3, "input"), w = requireRank(ctx, 1, 3, 3, "weight");
        if (ctx.hasInput(2)) requireRank(ctx, 2, 1, 1, "bias");
        if (ctx.hasInput(3)) requireRank(ctx, 3, 3, 3, "past_state");
        Dim kernel = w == null ? Dim.UNKNOWN : w.dim(2);
        Dim state = kernel.isStatic() ? Dim.of(Math.max(0, kernel.size() - 1)) : Dim.UNKNOWN;
        Shape present = x == null ? Shape.unknownDims(3) : shape(x.dim(0), x.dim(1), state);
        return ControlFamilyDims.forOutputs(ctx, List.of(ctx.input(0), new TensorType(t, present)));
    }

    private static List<ValueType> inferSwiGlu(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, FLOATS, "A");
        requireDType(ctx, 1, Set.of(t), "B");
        Shape a = ctx.inputShape(0), b = ctx.inputShape(1);
        if (a.isStatic() && b.isStatic() && !a.equals(b)) throw ctx.fail("A " + a + " and B " + b + " must have the same shape");
        return InferenceContext.one(new TensorType(t, a.hasRank() ? a : b));
    }
}
