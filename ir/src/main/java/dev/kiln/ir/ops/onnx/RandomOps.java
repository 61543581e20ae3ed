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
import static dev.kiln.ir.ops.onnx.ControlFamilyDims.requireDType;

/** Random generators: RandomNormal, RandomUniform, their *Like forms, Bernoulli and Multinomial. */
public final class RandomOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(
                generator("RandomNormal", "mean", 0f, "scale", 1f).inputs(0)
                        .attr(AttrSpec.withDefault("dtype", Attribute.of((long) DType.F32.onnxCode())))
                        .attr(AttrSpec.required("shape", Attribute.Kind.INTS))
                        .infer(RandomOps::inferFromShape),
                generator("RandomUniform", "low", 0f, "high", 1f).inputs(0)
                        .attr(AttrSpec.withDefault("dtype", Attribute.of((long) DType.F32.onnxCode())))
                        .attr(AttrSpec.required("shape", Attribute.Kind.INTS))
                        .infer(RandomOps::inferFromShape),
                generator("RandomNormalLike", "mean", 0f, "scale", 1f).inputs(1)
                        .attr(AttrSpec.optional("dtype", Attribute.Kind.INT))
                        .infer(RandomOps::inferLike),
                generator("RandomUniformLike", "low", 0f, "high", 1f).inputs(1)
                        .attr(AttrSpec.optional("dtype", Attribute.Kind.INT))
                        .infer(RandomOps::inferLike),
                OpSchema.op("Bernoulli").since(15).inputs(1).outputs(1)
                        .attr(AttrSpec.optional("dtype", Attribute.Kind.INT))
                        .attr(AttrSpec.optional("seed", Attribute.Kind.FLOAT))
                        .infer(ctx -> {
                            requireDType(ctx, 0, FLOATS, "input");
                            return InferenceContext.one(new TensorType(dtype(ctx, ctx.inputDType(0)), ctx.inputShape(0)));
                        }),
                OpSchema.op("Multinomial").since(7).inputs(1).outputs(1)
                        .attr(AttrSpec.withDefault("dtype", Attribute.of((long) DType.I32.onnxCode())))
                        .attr(AttrSpec.withDefault("sample_size", Attribute.of(1L)))
                        .attr(AttrSpec.optional("seed", Attribute.Kind.FLOAT))
                        .infer(RandomOps::inferMultinomial));
    }

    private static OpSchema.Builder generator(String name, String a, float aDefault, String b, float bDefault) {
        return OpSchema.op(name).since(1).outputs(1)
                .attr(AttrSpec.withDefault(a, Attribute.of(aDefault)))
                .attr(AttrSpec.withDefault(b, Attribute.of(bDefault)))
                .attr(AttrSpec.optional("seed", Attribute.Kind.FLOAT));
    }

    /** The dtype attribute as a float type, or {@code fallback} when it is not set. */
    private static DType dtype(InferenceContext ctx, DType fallback) {
        Attribute a = ctx.attr("dtype");
        if (a == null) return fallback;
        try {
            return DType.fromOnnxCode((int) a.asInt());
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    private static List<ValueType> inferFromShape(InferenceContext ctx) {
        DType t = dtype(ctx, DType.F32);
        if (!FLOATS.contains(t)) throw ctx.fail("dtype must be a float type, got " + t);
        long[] shape = ctx.intsAttr("shape");
        for (long d : shape) if (d < 0) throw ctx.fail("shape must not have negative dims");
        return InferenceContext.one(new TensorType(t, Shape.of(shape)));
    }

    private static List<ValueType> inferLike(InferenceContext ctx) {
        DType in = ctx.inputDType(0);
        DType t = dtype(ctx, in);
        if (!FLOATS.contains(t)) throw ctx.fail("output type must be a float type, got " + t + " (set dtype)");
        return InferenceContext.one(new TensorType(t, ctx.inputShape(0)));
    }

    private static List<ValueType> inferMultinomial(InferenceContext ctx) {
        requireDType(ctx, 0, FLOATS, "input");
        DType t = dtype(ctx, DType.I32);
        if (t != DType.I32 && t != DType.I64) throw ctx.fail("dtype must be int32 or int64, got " + t);
        Shape in = ControlFamilyDims.requireRank(ctx, 0, 2, 2, "input");
        long samples = ctx.intAttr("sample_size");
        if (samples < 1) throw ctx.fail("sample_size must be positive");
        return InferenceContext.one(new TensorType(t, ControlFamilyDims.shape(in == null ? Dim.UNKNOWN : in.dim(0), Dim.of(samples))));
    }
}
