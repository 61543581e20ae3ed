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

/** NonMaxSuppression, ImageDecoder, and the ai.onnx.preview.training optimizers Momentum, Adagrad and Adam. */
public final class MiscOps implements OpFamily {
    static final String TRAINING = "ai.onnx.preview.training";

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("NonMaxSuppression").since(10).inputs(2, 5).outputs(1)
                        .attr(AttrSpec.withDefault("center_point_box", Attribute.of(0L)))
                        .infer(MiscOps::inferNms),
                OpSchema.op("ImageDecoder").since(20).inputs(1).outputs(1)
                        .attr(AttrSpec.withDefault("pixel_format", Attribute.of("RGB")))
                        .infer(ctx -> {
                            requireDType(ctx, 0, Set.of(DType.U8), "encoded_stream");
                            String format = ctx.stringAttr("pixel_format");
                            if (!Set.of("RGB", "BGR", "Grayscale").contains(format)) throw ctx.fail("pixel_format must be RGB, BGR or Grayscale, got " + format);
                            return InferenceContext.one(new TensorType(DType.U8, ControlFamilyDims.shape(Dim.UNKNOWN, Dim.UNKNOWN,
                                    Dim.of(format.equals("Grayscale") ? 1 : 3))));
                        }),
                optimizer("Momentum", 3).attr(AttrSpec.required("alpha", Attribute.Kind.FLOAT))
                        .attr(AttrSpec.required("beta", Attribute.Kind.FLOAT))
                        .attr(AttrSpec.required("mode", Attribute.Kind.STRING))
                        .attr(AttrSpec.required("norm_coefficient", Attribute.Kind.FLOAT))
                        .infer(ctx -> inferOptimizer(ctx, 3)),
                optimizer("Adagrad", 3).attr(AttrSpec.withDefault("decay_factor", Attribute.of(0f)))
                        .attr(AttrSpec.withDefault("epsilon", Attribute.of(0f)))
                        .attr(AttrSpec.withDefault("norm_coefficient", Attribute.of(0f)))
                        .infer(ctx -> inferOptimizer(ctx, 3)),
                optimizer("Adam", 4).attr(AttrSpec.withDefault("alpha", Attribute.of(0.9f)))
                        .attr(AttrSpec.withDefault("beta", Attribute.of(0.999f)))
                        .attr(AttrSpec.withDefault("epsilon", Attribute.of(0f)))
                        .attr(AttrSpec.withDefault("norm_coefficient", Attribute.of(0f)))
                        .attr(AttrSpec.withDefault("norm_coefficient_post", Attribute.of(0f)))
                        .infer(ctx -> inferOptimizer(ctx, 4)));
    }

    private static List<ValueType> inferNms(InferenceContext ctx) {
        requireDType(ctx, 0, Set.of(DType.F32), "boxes");
        requireDType(ctx, 1, Set.of(DType.F32), "scores");
        if (ctx.hasInput(2)) requireDType(ctx, 2, Set.of(DType.I64), "max_output_boxes_per_class");
        if (ctx.hasInput(3)) requireDType(ctx, 3, Set.of(DType.F32), "iou_threshold");
        if (ctx.hasInput(4)) requireDType(ctx, 4, Set.of(DType.F32), "score_threshold");
        Shape boxes = ControlFamilyDims.requireRank(ctx, 0, 3, 3, "boxes"), scores = ControlFamilyDims.requireRank(ctx, 1, 3, 3, "scores");
        if (boxes != null && boxes.dim(2).isStatic() && boxes.dim(2).size() != 4) throw ctx.fail("boxes must be [batch, boxes, 4], got " + boxes);
        if (boxes != null && scores != null && boxes.dim(1).isStatic() && scores.dim(2).isStatic() && boxes.dim(1).size() != scores.dim(2).size()) {
            throw ctx.fail("boxes " + boxes + " and scores " + scores + " disagree on the box count");
        }
        long center = ctx.intAttr("center_point_box");
        if (center != 0 && center != 1) throw ctx.fail("center_point_box must be 0 or 1, got " + center);
        return InferenceContext.one(new TensorType(DType.I64, ControlFamilyDims.shape(Dim.UNKNOWN, Dim.of(3))));
    }

    private static OpSchema.Builder optimizer(String name, int groups) {
        return OpSchema.op(TRAINING, name).since(1).inputs(2 + groups, Integer.MAX_VALUE).outputs(groups - 1, Integer.MAX_VALUE);
    }

    /** Inputs R, T, then {@code groups} equal-length lists (X, G, then the states); outputs X_new and the new states. */
    private static List<ValueType> inferOptimizer(InferenceContext ctx, int groups) {
        requireDType(ctx, 0, FLOATS, "R");
        requireDType(ctx, 1, Set.of(DType.I64), "T");
        int n = (ctx.inputCount() - 2) / groups;
        if (n < 1 || (ctx.inputCount() - 2) % groups != 0) throw ctx.fail("needs R, T and " + groups + " lists of equal length");
        if (ctx.node().outputs().size() != n * (groups - 1)) throw ctx.fail("needs " + n * (groups - 1) + " outputs, got " + ctx.node().outputs().size());
        List<ValueType> types = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            if (g == 1) continue;
            for (int i = 0; i < n; i++) types.add(ctx.input(2 + g * n + i));
        }
        for (int i = 0; i < n; i++) {
            for (int g = 1; g < groups; g++) {
                if (!ctx.input(2 + g * n + i).dtype().equals(ctx.input(2 + i).dtype())) throw ctx.fail("tensor group " + g + " entry " + i + " differs in type from X");
            }
        }
        return types;
    }
}
