package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Node;
import dev.kiln.ir.Shape;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.ir.ops.onnx.TensorOpsSupport.axis;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.constLongs;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.staticLength;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.tensor;

/** Ops that make tensors from shapes or attributes: Shape, Size, Constant, ConstantOfShape, Range, EyeLike, OneHot, Trilu. */
public final class TensorCreationOps implements OpFamily {
    /** Constant's value attributes; exactly one is set. */
    static final List<String> CONSTANT_VALUE_ATTRS = List.of("value", "value_float", "value_floats", "value_int",
            "value_ints", "value_string", "value_strings", "sparse_value");

    @Override
    public List<OpSchema> schemas() {
        OpSchema.Builder constant = OpSchema.op("Constant").since(1).inputs(0);
        constant.attr(AttrSpec.optional("value", Attribute.Kind.TENSOR))
                .attr(AttrSpec.optional("value_float", Attribute.Kind.FLOAT))
                .attr(AttrSpec.optional("value_floats", Attribute.Kind.FLOATS))
                .attr(AttrSpec.optional("value_int", Attribute.Kind.INT))
                .attr(AttrSpec.optional("value_ints", Attribute.Kind.INTS))
                .attr(AttrSpec.optional("value_string", Attribute.Kind.STRING))
                .attr(AttrSpec.optional("value_strings", Attribute.Kind.STRINGS))
                .attr(AttrSpec.optional("sparse_value", Attribute.Kind.TENSOR));
        return List.of(
                OpSchema.op("Shape").since(1).inputs(1)
                        .attr(AttrSpec.withDefault("start", Attribute.of(0L)))
                        .attr(AttrSpec.optional("end", Attribute.Kind.INT))
                        .infer(TensorCreationOps::shape),
                OpSchema.op("Size").since(1).inputs(1).infer(ctx -> tensor(DType.I64, Shape.SCALAR)),
                constant.infer(TensorCreationOps::constant),
                OpSchema.op("ConstantOfShape").since(9).inputs(1)
                        .attr(AttrSpec.optional("value", Attribute.Kind.TENSOR))
                        .infer(TensorCreationOps::constantOfShape),
                OpSchema.op("Range").since(11).inputs(3).infer(TensorCreationOps::range),
                OpSchema.op("EyeLike").since(9).inputs(1)
                        .attr(AttrSpec.optional("dtype", Attribute.Kind.INT))
                        .attr(AttrSpec.withDefault("k", Attribute.of(0L)))
                        .infer(TensorCreationOps::eyeLike),
                OpSchema.op("OneHot").since(9).inputs(3)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(-1L)))
                        .infer(TensorCreationOps::oneHot),
                OpSchema.op("Trilu").since(14).inputs(1, 2)
                        .attr(AttrSpec.withDefault("upper", Attribute.of(1L)))
                        .infer(TensorCreationOps::trilu));
    }

    private static List<ValueType> shape(InferenceContext ctx) {
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(DType.I64, Shape.unknownDims(1));
        Long end = ctx.hasAttr("end") ? ctx.intAttr("end") : null;
        int[] window = TensorOpRules.shapeWindow(ctx.intAttr("start", 0), end, in.rank());
        return tensor(DType.I64, Shape.of(window[1]));
    }

    /**
     * Constant's value as a tensor, from whichever value attribute the node sets. Importers usually turn Constant
     * nodes into graph constants; this is for the ones that survive (inside subgraphs, or when imported as-is).
     *
     * @throws IllegalArgumentException when not exactly one value attribute is set, or it is a sparse tensor
     */
    public static Tensor constantValue(Node node) {
        List<String> set = CONSTANT_VALUE_ATTRS.stream().filter(node::hasAttribute).toList();
        if (set.size() != 1) throw new IllegalArgumentException("exactly one value attribute must be set, got " + set);
        Attribute a = node.attribute(set.getFirst());
        return switch (set.getFirst()) {
            case "value" -> a.asTensor();
            case "value_float" -> Tensor.ofFloats(new long[0], a.asFloat());
            case "value_floats" -> Tensor.ofFloats(new long[] {a.asFloats().length}, a.asFloats());
            case "value_int" -> Tensor.ofLongs(DType.I64, new long[0], a.asInt());
            case "value_ints" -> Tensor.ofLongs(DType.I64, new long[] {a.asInts().length}, a.asInts());
            case "value_string" -> Tensor.ofStrings(new long[0], a.asString());
            case "value_strings" -> Tensor.ofStrings(new long[] {a.asStrings().size()}, a.asStrings().toArray(String[]::new));
            default -> throw new IllegalArgumentException("sparse constants are not supported");
        };
    }

    private static List<ValueType> constant(InferenceContext ctx) {
        try {
            return List.of(constantValue(ctx.node()).type());
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    /** ConstantOfShape's fill value: the one-element {@code value} attribute, else float 0. */
    public static Tensor fillValue(Attribute value) {
        return value == null ? Tensor.ofFloats(new long[0], 0f) : value.asTensor();
    }

    private static List<ValueType> constantOfShape(InferenceContext ctx) {
        Tensor fill = fillValue(ctx.attr("value"));
        if (fill.size() != 1) throw ctx.fail("value must hold exactly one element, got " + fill.size());
        TensorOpsSupport.requireIndexType(ctx, 0, "shape");
        long[] dims = constLongs(ctx, 0);
        if (dims != null) {
            for (long d : dims) if (d < 0) throw ctx.fail("shape must not be negative, got " + Shape.format(dims));
            return tensor(fill.dtype(), Shape.of(dims));
        }
        long k = staticLength(ctx, 0);
        return tensor(fill.dtype(), k < 0 ? Shape.UNKNOWN_RANK : Shape.unknownDims((int) k));
    }

    private static List<ValueType> range(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        for (int i = 0; i < 3; i++) {
            if (ctx.inputDType(i) != dtype) throw ctx.fail("start, limit and delta must share a type, got " + ctx.inputDType(i) + " and " + dtype);
            Shape s = ctx.inputShape(i);
            if (s.hasRank() && s.isStatic() && s.elementCount() != 1) throw ctx.fail("input " + i + " must be a scalar, got " + s);
        }
        TensorOpsSupport.requireNumeric(ctx, 0, "start");
        Tensor start = ctx.constantInput(0);
        Tensor limit = ctx.constantInput(1);
        Tensor delta = ctx.constantInput(2);
        if (start == null || limit == null || delta == null) return tensor(dtype, Shape.unknownDims(1));
        try {
            long n = dtype.isFloat()
                    ? TensorOpRules.rangeCount(start.getDouble(0), limit.getDouble(0), delta.getDouble(0))
                    : TensorOpRules.rangeCount(start.getLong(0), limit.getLong(0), delta.getLong(0));
            return tensor(dtype, Shape.of(n));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    private static List<ValueType> eyeLike(InferenceContext ctx) {
        Shape in = ctx.inputShape(0);
        if (in.hasRank() && in.rank() != 2) throw ctx.fail("input must be 2-D, got " + in);
        DType dtype = ctx.hasAttr("dtype") ? onnxType(ctx, ctx.intAttr("dtype")) : ctx.inputDType(0);
        if (!dtype.isFloat() && !dtype.isInteger() && dtype != DType.BOOL) throw ctx.fail("EyeLike cannot make " + dtype + " tensors");
        return tensor(dtype, in.hasRank() ? in : Shape.unknownDims(2));
    }

    static DType onnxType(InferenceContext ctx, long code) {
        try {
            return DType.fromOnnxCode((int) code);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    private static List<ValueType> oneHot(InferenceContext ctx) {
        TensorOpsSupport.requireNumeric(ctx, 0, "indices");
        TensorOpsSupport.requireNumeric(ctx, 1, "depth");
        DType dtype = ctx.inputDType(2);
        Shape values = ctx.inputShape(2);
        if (values.isStatic() && values.elementCount() != 2) throw ctx.fail("values must hold [off, on], got shape " + values);
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int rank = in.rank() + 1;
        int ax = axis(ctx, ctx.intAttr("axis", -1), rank);
        Tensor depth = ctx.constantInput(1);
        Dim d = Dim.UNKNOWN;
        if (depth != null) {
            if (depth.size() != 1) throw ctx.fail("depth must hold one value, got " + depth.size());
            long n = (long) depth.getDouble(0);
            if (n <= 0) throw ctx.fail("depth must be positive, got " + n);
            d = Dim.of(n);
        }
        List<Dim> out = new ArrayList<>(in.dims());
        out.add(ax, d);
        return tensor(dtype, out);
    }

    private static List<ValueType> trilu(InferenceContext ctx) {
        Shape in = ctx.inputShape(0);
        if (in.hasRank() && in.rank() < 2) throw ctx.fail("input must have rank >= 2, got " + in);
        if (ctx.hasInput(1)) {
            Shape k = ctx.inputShape(1);
            if (k.isStatic() && k.elementCount() != 1) throw ctx.fail("k must be a scalar, got shape " + k);
        }
        return tensor(ctx.inputDType(0), in);
    }
}
