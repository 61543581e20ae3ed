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

import static dev.kiln.ir.ops.onnx.ControlFamilyDims.FLOATS;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.add;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.div;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.mul;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireDType;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.shape;

/**
 * Scaled dot-product attention (opset 23/24): MHA, GQA and MQA, masks, causal masking, KV cache, softcap; and
 * ai.onnx.preview FlexAttention, whose score and probability tensors pass through optional subgraphs.
 */
public final class AttentionOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(OpSchema.op("Attention").since(23).inputs(3, 7).outputs(1, 4)
                .attr(AttrSpec.withDefault("is_causal", Attribute.of(0L)))
                .attr(AttrSpec.optional("q_num_heads", Attribute.Kind.INT))
                .attr(AttrSpec.optional("kv_num_heads", Attribute.Kind.INT))
                .attr(AttrSpec.withDefault("qk_matmul_output_mode", Attribute.of(0L)))
                .attr(AttrSpec.optional("scale", Attribute.Kind.FLOAT))
                .attr(AttrSpec.withDefault("softcap", Attribute.of(0f)))
                .attr(AttrSpec.optional("softmax_precision", Attribute.Kind.INT))
                .infer(AttentionOps::inferAttention),
                OpSchema.op("ai.onnx.preview", "FlexAttention").since(1).inputs(3).outputs(1)
                        .attr(AttrSpec.optional("scale", Attribute.Kind.FLOAT))
                        .attr(AttrSpec.optional("score_mod", Attribute.Kind.GRAPH))
                        .attr(AttrSpec.optional("prob_mod", Attribute.Kind.GRAPH))
                        .attr(AttrSpec.optional("softmax_precision", Attribute.Kind.INT))
                        .infer(AttentionOps::inferFlex));
    }

    private static List<ValueType> inferFlex(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, FLOATS, "Q");
        requireDType(ctx, 1, java.util.Set.of(t), "K");
        requireDType(ctx, 2, java.util.Set.of(t), "V");
        Shape q = ControlFamilyDims.requireRank(ctx, 0, 4, 4, "Q"), k = ControlFamilyDims.requireRank(ctx, 1, 4, 4, "K");
        Shape v = ControlFamilyDims.requireRank(ctx, 2, 4, 4, "V");
        if (q != null && k != null && q.dim(1).isStatic() && k.dim(1).isStatic() && (k.dim(1).size() == 0 || q.dim(1).size() % k.dim(1).size() != 0)) {
            throw ctx.fail("Q heads " + q.dim(1) + " must be a multiple of K heads " + k.dim(1));
        }
        for (String mod : List.of("score_mod", "prob_mod")) {
            if (ctx.hasAttr(mod) && (ctx.graphAttr(mod).inputs().size() != 1 || ctx.graphAttr(mod).outputs().size() != 1)) {
                throw ctx.fail(mod + " must take one tensor and return one");
            }
        }
        Shape y = q == null ? Shape.UNKNOWN_RANK
                : shape(q.dim(0), q.dim(1), q.dim(2), v == null ? Dim.UNKNOWN : v.dim(3));
        return InferenceContext.one(new TensorType(t, y));
    }

    private static List<ValueType> inferAttention(InferenceContext ctx) {
        DType qType = requireDType(ctx, 0, FLOATS, "Q");
        requireDType(ctx, 1, FLOATS, "K");
        DType vType = requireDType(ctx, 2, FLOATS, "V");
        if (ctx.hasInput(3)) {
            DType m = ctx.inputDType(3);
            if (m != DType.BOOL && !FLOATS.contains(m)) throw ctx.fail("attn_mask must be bool or float, got " + m);
        }
        if (ctx.hasInput(6) && ctx.inputDType(6) != DType.I64) throw ctx.fail("nonpad_kv_seqlen must be int64");
        if (ctx.hasInput(6) && ctx.opset() < 24) throw ctx.fail("nonpad_kv_seqlen needs opset 24");
        if (ctx.hasInput(4) != ctx.hasInput(5)) throw ctx.fail("past_key and past_value must be given together");
        long mode = ctx.intAttr("qk_matmul_output_mode");
        if (mode < 0 || mode > 3) throw ctx.fail("qk_matmul_output_mode must be 0 to 3, got " + mode);

        Shape q = ctx.inputShape(0), k = ctx.inputShape(1), v = ctx.inputShape(2);
        if (!q.hasRank() || !k.hasRank() || !v.hasRank()) {
            TensorType unknown = new TensorType(qType, Shape.UNKNOWN_RANK);
            return ControlFamilyDims.forOutputs(ctx, List.of(unknown, unknown, new TensorType(vType, Shape.UNKNOWN_RANK), unknown));
        }
        int rank = q.rank();
        if ((rank != 3 && rank != 4) || k.rank() != rank || v.rank() != rank) {
            throw ctx.fail("Q, K and V must all be 3D or all 4D, got " + q + ", " + k + ", " + v);
        }
        Dim batch = q.dim(0), qSeq, qHeads, kvHeads, kvSeq, headSize, vHeadSize;
        if (rank == 3) {
            if (!ctx.hasAttr("q_num_heads") || !ctx.hasAttr("kv_num_heads")) {
                throw ctx.fail("3D inputs need the q_num_heads and kv_num_heads attributes");
            }
            long qh = ctx.intAttr("q_num_heads"), kvh = ctx.intAttr("kv_num_heads");
            if (qh <= 0 || kvh <= 0) throw ctx.fail("q_num_heads and kv_num_heads must be positive");
            qSeq = q.dim(1);
            qHeads = Dim.of(qh);
            kvHeads = Dim.of(kvh);
            kvSeq = k.dim(1);
            headSize = div(k.dim(2), kvh);
            vHeadSize = div(v.dim(2), kvh);
        } else {
            qHeads = q.dim(1);
            qSeq = q.dim(2);
            kvHeads = k.dim(1);
            kvSeq = k.dim(2);
            headSize = q.dim(3);
            vHeadSize = v.dim(3);
        }
        if (qHeads.isStatic() && kvHeads.isStatic() && qHeads.size() % Math.max(1, kvHeads.size()) != 0) {
            throw ctx.fail("q_num_heads " + qHeads + " is not a multiple of kv_num_heads " + kvHeads);
        }
        Dim total = kvSeq;
        if (ctx.hasInput(4)) {
            Shape past = ctx.inputShape(4);
            if (past.hasRank() && past.rank() != 4) throw ctx.fail("past_key must be 4D, got " + past);
            total = past.hasRank() ? add(past.dim(2), kvSeq) : Dim.UNKNOWN;
        }
        Shape y = rank == 3 ? shape(batch, qSeq, mul(qHeads, vHeadSize)) : shape(batch, qHeads, qSeq, vHeadSize);
        return ControlFamilyDims.forOutputs(ctx, List.of(
                new TensorType(qType, y),
                new TensorType(qType, shape(batch, kvHeads, total, headSize)),
                new TensorType(vType, shape(batch, kvHeads, total, vHeadSize)),
                new TensorType(qType, shape(batch, qHeads, qSeq, total))));
    }
}
