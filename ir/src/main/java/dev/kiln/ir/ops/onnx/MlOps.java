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

import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireDType;

/** ai.onnx.ml ops: LabelEncoder, ArrayFeatureExtractor and TreeEnsemble. */
public final class MlOps implements OpFamily {
    static final String ML = "ai.onnx.ml";

    @Override
    public List<OpSchema> schemas() {
        OpSchema.Builder encoder = OpSchema.op(ML, "LabelEncoder").since(1).inputs(1).outputs(1);
        for (String kind : List.of("floats", "int64s", "strings")) {
            encoder.attr(AttrSpec.optional("keys_" + kind, kind.equals("floats") ? Attribute.Kind.FLOATS
                    : kind.equals("int64s") ? Attribute.Kind.INTS : Attribute.Kind.STRINGS));
            encoder.attr(AttrSpec.optional("values_" + kind, kind.equals("floats") ? Attribute.Kind.FLOATS
                    : kind.equals("int64s") ? Attribute.Kind.INTS : Attribute.Kind.STRINGS));
        }
        encoder.attr(AttrSpec.optional("keys_tensor", Attribute.Kind.TENSOR))
                .attr(AttrSpec.optional("values_tensor", Attribute.Kind.TENSOR))
                .attr(AttrSpec.optional("default_tensor", Attribute.Kind.TENSOR))
                .attr(AttrSpec.withDefault("default_float", Attribute.of(-0f)))
                .attr(AttrSpec.withDefault("default_int64", Attribute.of(-1L)))
                .attr(AttrSpec.withDefault("default_string", Attribute.of("_Unused")))
                .attr(AttrSpec.optional("classes_strings", Attribute.Kind.STRINGS));
        OpSchema.Builder trees = OpSchema.op(ML, "TreeEnsemble").since(5).inputs(1).outputs(1)
                .attr(AttrSpec.withDefault("aggregate_function", Attribute.of(1L)))
                .attr(AttrSpec.withDefault("post_transform", Attribute.of(0L)))
                .attr(AttrSpec.required("n_targets", Attribute.Kind.INT))
                .attr(AttrSpec.required("leaf_weights", Attribute.Kind.TENSOR))
                .attr(AttrSpec.required("nodes_splits", Attribute.Kind.TENSOR))
                .attr(AttrSpec.required("nodes_modes", Attribute.Kind.TENSOR))
                .attr(AttrSpec.optional("membership_values", Attribute.Kind.TENSOR))
                .attr(AttrSpec.optional("nodes_hitrates", Attribute.Kind.TENSOR));
        for (String ints : List.of("leaf_targetids", "nodes_falseleafs", "nodes_falsenodeids", "nodes_featureids",
                "nodes_trueleafs", "nodes_truenodeids", "tree_roots")) {
            trees.attr(AttrSpec.required(ints, Attribute.Kind.INTS));
        }
        trees.attr(AttrSpec.optional("nodes_missing_value_tracks_true", Attribute.Kind.INTS));
        return List.of(encoder.infer(MlOps::inferEncoder),
                OpSchema.op(ML, "ArrayFeatureExtractor").since(1).inputs(2).outputs(1).infer(MlOps::inferExtractor),
                trees.infer(MlOps::inferTrees));
    }

    /** The output element type of a LabelEncoder: that of its values (opset 1: the opposite of its input). */
    static DType encoderOutput(InferenceContext ctx) {
        if (ctx.hasAttr("values_tensor")) return ctx.attr("values_tensor").asTensor().dtype();
        if (ctx.hasAttr("values_strings")) return DType.STRING;
        if (ctx.hasAttr("values_int64s")) return DType.I64;
        if (ctx.hasAttr("values_floats")) return DType.F32;
        if (ctx.hasAttr("classes_strings")) return ctx.inputDType(0) == DType.STRING ? DType.I64 : DType.STRING;
        throw ctx.fail("one of values_tensor, values_strings, values_int64s, values_floats is required");
    }

    private static List<ValueType> inferEncoder(InferenceContext ctx) {
        DType in = ctx.inputDType(0);
        DType keys = ctx.hasAttr("keys_tensor") ? ctx.attr("keys_tensor").asTensor().dtype()
                : ctx.hasAttr("keys_strings") ? DType.STRING : ctx.hasAttr("keys_int64s") ? DType.I64
                : ctx.hasAttr("keys_floats") ? DType.F32 : null;
        boolean compatible = keys == null ? ctx.hasAttr("classes_strings") : keys == in || (keys.isFloat() && in.isFloat());
        if (!compatible) throw ctx.fail("input " + in + " does not match the keys (" + (keys == null ? "none" : keys) + ")");
        return InferenceContext.one(new TensorType(encoderOutput(ctx), ctx.inputShape(0)));
    }

    private static List<ValueType> inferExtractor(InferenceContext ctx) {
        requireDType(ctx, 1, Set.of(DType.I64), "Y");
        TensorType x = ctx.input(0);
        Shape y = ctx.inputShape(1);
        Dim count = y.isStatic() ? Dim.of(y.elementCount()) : Dim.UNKNOWN;
        if (!x.shape().hasRank()) return InferenceContext.one(new TensorType(x.dtype(), Shape.UNKNOWN_RANK));
        if (x.shape().rank() == 0) throw ctx.fail("X must have rank >= 1");
        List<Dim> dims = new ArrayList<>(x.shape().rank() == 1 ? List.of(Dim.of(1)) : x.shape().dims().subList(0, x.shape().rank() - 1));
        dims.add(count);
        return InferenceContext.one(new TensorType(x.dtype(), Shape.of(dims)));
    }

    private static List<ValueType> inferTrees(InferenceContext ctx) {
        DType t = requireDType(ctx, 0, Set.of(DType.F32, DType.F64, DType.F16), "X");
        long aggregate = ctx.intAttr("aggregate_function"), post = ctx.intAttr("post_transform");
        if (aggregate < 0 || aggregate > 3) throw ctx.fail("aggregate_function must be 0 to 3, got " + aggregate);
        if (post < 0 || post > 4) throw ctx.fail("post_transform must be 0 to 4, got " + post);
        int nodes = ctx.intsAttr("nodes_featureids").length;
        for (String a : List.of("nodes_falseleafs", "nodes_falsenodeids", "nodes_trueleafs", "nodes_truenodeids")) {
            if (ctx.intsAttr(a).length != nodes) throw ctx.fail(a + " must have one entry per node (" + nodes + ")");
        }
        if (ctx.attr("nodes_splits").asTensor().size() != nodes || ctx.attr("nodes_modes").asTensor().size() != nodes) {
            throw ctx.fail("nodes_splits and nodes_modes must have one entry per node (" + nodes + ")");
        }
        if (ctx.attr("leaf_weights").asTensor().size() != ctx.intsAttr("leaf_targetids").length) {
            throw ctx.fail("leaf_weights and leaf_targetids must have the same length");
        }
        Shape x = ControlFamilyDims.requireRank(ctx, 0, 2, 2, "X");
        Dim rows = x == null ? Dim.UNKNOWN : x.dim(0);
        return InferenceContext.one(new TensorType(t, ControlFamilyDims.shape(rows, Dim.of(ctx.intAttr("n_targets")))));
    }
}
