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

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.ir.ops.onnx.NnInference.floatAttr;
import static dev.kiln.ir.ops.onnx.NnInference.intAttr;

/** Normalizations: batch, instance, layer, group, RMS, Lp, mean-variance and local response. */
public final class NormalizationOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("BatchNormalization").since(1).inputs(5).outputs(1, 5)
                        .attr(floatAttr("epsilon", 1e-5f)).attr(floatAttr("momentum", 0.9f)).attr(intAttr("training_mode", 0))
                        .attr(AttrSpec.optional("spatial", Attribute.Kind.INT)).attr(AttrSpec.optional("is_test", Attribute.Kind.INT))
                        .attr(AttrSpec.optional("consumed_inputs", Attribute.Kind.INTS))
                        .infer(NormalizationOps::batchNorm),
                OpSchema.op("InstanceNormalization").since(1).inputs(3).outputs(1).attr(floatAttr("epsilon", 1e-5f))
                        .infer(NormalizationOps::sameFloat),
                OpSchema.op("LayerNormalization").since(17).inputs(2, 3).outputs(1, 3)
                        .attr(intAttr("axis", -1)).attr(floatAttr("epsilon", 1e-5f)).attr(intAttr("stash_type", 1))
                        .infer(NormalizationOps::layerNorm),
                OpSchema.op("GroupNormalization").since(18).inputs(3).outputs(1)
                        .attr(floatAttr("epsilon", 1e-5f)).attr(AttrSpec.required("num_groups", Attribute.Kind.INT))
                        .attr(intAttr("stash_type", 1))
                        .infer(NormalizationOps::sameFloat),
                OpSchema.op("RMSNormalization").since(23).inputs(2).outputs(1)
                        .attr(intAttr("axis", -1)).attr(floatAttr("epsilon", 1e-5f)).attr(intAttr("stash_type", 1))
                        .infer(NormalizationOps::sameFloat),
                OpSchema.op("LpNormalization").since(1).inputs(1).outputs(1).attr(intAttr("axis", -1)).attr(intAttr("p", 2))
                        .infer(NormalizationOps::sameFloat),
                OpSchema.op("MeanVarianceNormalization").since(9).inputs(1).outputs(1)
                        .attr(AttrSpec.withDefault("axes", Attribute.ints(0, 2, 3)))
                        .infer(NormalizationOps::sameFloat),
                OpSchema.op("LRN").since(1).inputs(1).outputs(1)
                        .attr(floatAttr("alpha", 1e-4f)).attr(floatAttr("beta", 0.75f)).attr(floatAttr("bias", 1f))
                        .attr(AttrSpec.required("size", Attribute.Kind.INT))
                        .infer(NormalizationOps::sameFloat));
    }

    private static List<ValueType> sameFloat(InferenceContext ctx) {
        return List.of(NnInference.requireFloat(ctx, 0));
    }

    /**
     * Y is X's type. Training mode (opset 14+) adds running mean and variance of shape [C]; before opset 14 the
     * optional outputs were mean, var, saved_mean and saved_var, all [C].
     */
    private static List<ValueType> batchNorm(InferenceContext ctx) {
        TensorType x = NnInference.requireFloat(ctx, 0);
        NnInference.requireRankAtLeast(ctx, 0, 2);
        Dim c = x.shape().hasRank() ? x.shape().dim(1) : Dim.UNKNOWN;
        DType statType = ctx.inputDType(3);
        TensorType stat = new TensorType(statType, Shape.of(List.of(c)));
        return NnInference.forOutputs(ctx, List.of(x, stat, stat, stat, stat));
    }

    private static List<ValueType> layerNorm(InferenceContext ctx) {
        TensorType x = NnInference.requireFloat(ctx, 0);
        DType stash = DType.fromOnnxCode((int) ctx.intAttr("stash_type", 1));
        if (!x.shape().hasRank()) {
            TensorType stat = new TensorType(stash, Shape.UNKNOWN_RANK);
            return NnInference.forOutputs(ctx, List.of(x, stat, stat));
        }
        int rank = x.shape().rank();
        int axis = NnInference.axis(ctx, ctx.intAttr("axis", -1), rank);
        List<Dim> statDims = new ArrayList<>(x.shape().dims());
        for (int i = axis; i < rank; i++) statDims.set(i, Dim.of(1));
        TensorType stat = new TensorType(stash, Shape.of(statDims));
        return NnInference.forOutputs(ctx, List.of(x, stat, stat));
    }
}
