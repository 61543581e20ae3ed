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
import java.util.Set;

import static dev.kiln.ir.ops.onnx.ControlFamilyDims.FLOATS;
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireDType;

/** NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: per-element losses over a class axis, then a reduction. */
public final class LossOps implements OpFamily {
    static final Set<String> REDUCTIONS = Set.of("none", "sum", "mean");

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("NegativeLogLikelihoodLoss").since(12).inputs(2, 3).outputs(1)
                        .attr(AttrSpec.withDefault("reduction", Attribute.of("mean")))
                        .attr(AttrSpec.optional("ignore_index", Attribute.Kind.INT))
                        .infer(ctx -> infer(ctx, 1)),
                OpSchema.op("SoftmaxCrossEntropyLoss").since(12).inputs(2, 3).outputs(1, 2)
                        .attr(AttrSpec.withDefault("reduction", Attribute.of("mean")))
                        .attr(AttrSpec.optional("ignore_index", Attribute.Kind.INT))
                        .infer(ctx -> infer(ctx, 2)));
    }

    private static List<ValueType> infer(InferenceContext ctx, int maxOutputs) {
        DType t = requireDType(ctx, 0, FLOATS, "input");
        requireDType(ctx, 1, Set.of(DType.I32, DType.I64), "target");
        if (ctx.hasInput(2) && ctx.inputDType(2) != t) throw ctx.fail("weight must have the input's type " + t);
        String reduction = ctx.stringAttr("reduction");
        if (!REDUCTIONS.contains(reduction)) throw ctx.fail("reduction must be none, sum or mean, got '" + reduction + "'");
        Shape in = ctx.inputShape(0), target = ctx.inputShape(1);
        if (in.hasRank() && in.rank() < 2) throw ctx.fail("input must have rank >= 2 (N, C, ...), got " + in);
        if (in.hasRank() && target.hasRank() && target.rank() != in.rank() - 1) {
            throw ctx.fail("target must have rank " + (in.rank() - 1) + ", got " + target);
        }
        if (ctx.hasInput(2) && ctx.inputShape(2).hasRank() && ctx.inputShape(2).rank() != 1) {
            throw ctx.fail("weight must be 1D, got " + ctx.inputShape(2));
        }
        Shape loss;
        if (!reduction.equals("none")) {
            loss = Shape.SCALAR;
        } else if (in.hasRank()) {
            List<Dim> dims = new ArrayList<>(in.dims());
            dims.remove(1);
            if (target.hasRank()) {
                for (int i = 0; i < dims.size(); i++) dims.set(i, ControlFamilyDims.merge(dims.get(i), target.dim(i)));
            }
            loss = Shape.of(dims);
        } else {
            loss = target;
        }
        List<ValueType> types = new ArrayList<>(List.of(new TensorType(t, loss)));
        if (maxOutputs == 2) types.add(new TensorType(t, in));
        return ControlFamilyDims.forOutputs(ctx, types);
    }
}
