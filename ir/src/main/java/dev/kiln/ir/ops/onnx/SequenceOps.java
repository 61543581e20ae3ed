package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Sequence ops (opset 11+, SequenceMap 17) and the optional ops (opset 15+). */
public final class SequenceOps implements OpFamily {
    private static final TensorType I64_SCALAR = new TensorType(DType.I64, Shape.SCALAR);
    private static final TensorType BOOL_SCALAR = new TensorType(DType.BOOL, Shape.SCALAR);

    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("SequenceEmpty").since(11).inputs(0).outputs(1)
                        .attr(AttrSpec.withDefault("dtype", Attribute.of((long) DType.F32.onnxCode())))
                        .infer(SequenceOps::inferEmpty),
                OpSchema.op("SequenceConstruct").since(11).inputs(1, Integer.MAX_VALUE).outputs(1).infer(SequenceOps::inferConstruct),
                OpSchema.op("SequenceInsert").since(11).inputs(2, 3).outputs(1).infer(SequenceOps::inferInsert),
                OpSchema.op("SequenceAt").since(11).inputs(2).outputs(1)
                        .infer(ctx -> { requirePosition(ctx, 1); return InferenceContext.one(element(ctx, 0)); }),
                OpSchema.op("SequenceErase").since(11).inputs(1, 2).outputs(1)
                        .infer(ctx -> { element(ctx, 0); requirePosition(ctx, 1); return InferenceContext.one(ctx.inputType(0)); }),
                OpSchema.op("SequenceLength").since(11).inputs(1).outputs(1)
                        .infer(ctx -> { element(ctx, 0); return InferenceContext.one(I64_SCALAR); }),
                OpSchema.op("SplitToSequence").since(11).inputs(1, 2).outputs(1)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(0L)))
                        .attr(AttrSpec.withDefault("keepdims", Attribute.of(1L)))
                        .infer(SequenceOps::inferSplit),
                OpSchema.op("ConcatFromSequence").since(11).inputs(1).outputs(1)
                        .attr(AttrSpec.required("axis", Attribute.Kind.INT))
                        .attr(AttrSpec.withDefault("new_axis", Attribute.of(0L)))
                        .infer(SequenceOps::inferConcat),
                OpSchema.op("SequenceMap").since(17).inputs(1, Integer.MAX_VALUE).outputs(1, Integer.MAX_VALUE)
                        .attr(AttrSpec.required("body", Attribute.Kind.GRAPH))
                        .infer(SequenceOps::inferMap),
                OpSchema.op("Optional").since(15).inputs(0, 1).outputs(1)
                        .attr(AttrSpec.optional("type", Attribute.Kind.TYPE))
                        .infer(SequenceOps::inferOptional),
                OpSchema.op("OptionalHasElement").since(15).inputs(0, 1).outputs(1)
                        .infer(ctx -> {
                            if (ctx.opset() < 18 && !(ctx.hasInput(0) && ctx.inputType(0) instanceof OptionalType)) {
                                throw ctx.fail("input must be an optional before opset 18");
                            }
                            return InferenceContext.one(BOOL_SCALAR);
                        }),
                OpSchema.op("OptionalGetElement").since(15).inputs(1).outputs(1)
                        .infer(ctx -> {
                            ValueType t = ctx.inputType(0);
                            if (t instanceof OptionalType o) return InferenceContext.one(o.element());
                            if (ctx.opset() < 18) throw ctx.fail("input must be an optional before opset 18, got " + t);
                            return InferenceContext.one(t);
                        }));
    }

    /** The element type of sequence input {@code i}. */
    static ValueType element(InferenceContext ctx, int i) {
        if (ctx.inputType(i) instanceof SequenceType s) return s.element();
        throw ctx.fail("input " + i + " must be a sequence, got " + ctx.inputType(i));
    }

    private static void requirePosition(InferenceContext ctx, int i) {
        if (!ctx.hasInput(i)) return;
        DType t = ctx.inputDType(i);
        if (t != DType.I32 && t != DType.I64) throw ctx.fail("position must be int32 or int64, got " + t);
        Shape s = ctx.inputShape(i);
        if (s.hasRank() && s.rank() != 0 && !(s.rank() == 1 && s.dim(0).equals(Dim.of(1)))) throw ctx.fail("position must be a scalar, got " + s);
    }

    private static List<ValueType> inferEmpty(InferenceContext ctx) {
        DType t;
        try {
            t = DType.fromOnnxCode((int) ctx.intAttr("dtype"));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
        return InferenceContext.one(new SequenceType(new TensorType(t, Shape.UNKNOWN_RANK)));
    }

    private static List<ValueType> inferConstruct(InferenceContext ctx) {
        ValueType joined = ctx.input(0);
        for (int i = 1; i < ctx.inputCount(); i++) {
            ValueType next = ControlFamilyDims.join(joined, ctx.input(i));
            if (next == null) throw ctx.fail("inputs must share an element type: " + joined + " vs " + ctx.inputType(i));
            joined = next;
        }
        return InferenceContext.one(new SequenceType(joined));
    }

    private static List<ValueType> inferInsert(InferenceContext ctx) {
        ValueType e = element(ctx, 0);
        TensorType t = ctx.input(1);
        requirePosition(ctx, 2);
        ValueType joined = ControlFamilyDims.join(e, t);
        if (joined == null) throw ctx.fail("cannot insert " + t + " into a sequence of " + e);
        return InferenceContext.one(new SequenceType(joined));
    }

    private static List<ValueType> inferSplit(InferenceContext ctx) {
        TensorType in = ctx.input(0);
        boolean keepDims = ctx.intAttr("keepdims") != 0;
        if (ctx.hasInput(1) && ctx.inputDType(1) != DType.I32 && ctx.inputDType(1) != DType.I64) {
            throw ctx.fail("split must be int32 or int64, got " + ctx.inputDType(1));
        }
        if (!in.shape().hasRank()) return InferenceContext.one(new SequenceType(new TensorType(in.dtype(), Shape.UNKNOWN_RANK)));
        int rank = in.shape().rank();
        long axis = ctx.intAttr("axis");
        if (axis < -rank || axis >= rank) throw ctx.fail("axis " + axis + " is out of range for rank " + rank);
        int a = (int) (axis < 0 ? axis + rank : axis);
        List<Dim> dims = new ArrayList<>(in.shape().dims());
        if (!ctx.hasInput(1)) {
            if (keepDims) dims.set(a, Dim.of(1));
            else dims.remove(a);
        } else {
            dims.set(a, splitSize(ctx.constantInput(1), dims.get(a)));
        }
        return InferenceContext.one(new SequenceType(new TensorType(in.dtype(), Shape.of(dims))));
    }

    /** The common chunk size along the split axis, where it is known. */
    private static Dim splitSize(Tensor split, Dim axisDim) {
        if (split == null || split.size() == 0) return Dim.UNKNOWN;
        if (split.rank() == 0) {
            long s = split.getLong(0);
            return axisDim.isStatic() && s > 0 && axisDim.size() % s == 0 ? Dim.of(s) : Dim.UNKNOWN;
        }
        long first = split.getLong(0);
        for (int i = 1; i < split.size(); i++) if (split.getLong(i) != first) return Dim.UNKNOWN;
        return first >= 0 ? Dim.of(first) : Dim.UNKNOWN;
    }

    private static List<ValueType> inferConcat(InferenceContext ctx) {
        ValueType e = element(ctx, 0);
        if (!(e instanceof TensorType t)) throw ctx.fail("sequence elements must be tensors, got " + e);
        boolean newAxis = ctx.intAttr("new_axis") != 0;
        if (!t.shape().hasRank()) return InferenceContext.one(new TensorType(t.dtype(), Shape.UNKNOWN_RANK));
        int rank = t.shape().rank() + (newAxis ? 1 : 0);
        long axis = ctx.intAttr("axis");
        if (axis < -rank || axis >= rank) throw ctx.fail("axis " + axis + " is out of range for rank " + rank);
        int a = (int) (axis < 0 ? axis + rank : axis);
        List<Dim> dims = new ArrayList<>(t.shape().dims());
        if (newAxis) dims.add(a, Dim.UNKNOWN);
        else dims.set(a, Dim.UNKNOWN);
        return InferenceContext.one(new TensorType(t.dtype(), Shape.of(dims)));
    }

    private static List<ValueType> inferMap(InferenceContext ctx) {
        Graph body = ctx.graphAttr("body");
        element(ctx, 0);
        if (body.inputs().size() != ctx.inputCount()) {
            throw ctx.fail("body takes " + body.inputs().size() + " inputs, the node has " + ctx.inputCount());
        }
        if (body.outputs().size() != ctx.node().outputs().size()) {
            throw ctx.fail("body has " + body.outputs().size() + " outputs, the node " + ctx.node().outputs().size());
        }
        List<ValueType> types = new ArrayList<>();
        for (var out : body.outputs()) types.add(new SequenceType(out.type()));
        return types;
    }

    private static List<ValueType> inferOptional(InferenceContext ctx) {
        if (ctx.hasInput(0)) return InferenceContext.one(new OptionalType(ctx.inputType(0)));
        Attribute type = ctx.attr("type");
        if (type == null) throw ctx.fail("an Optional without input needs the type attribute");
        return InferenceContext.one(new OptionalType(type.asType()));
    }
}
