package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Shape;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.ir.ops.onnx.TensorOpsSupport.axes;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.tensor;

/** The Reduce* ops, the running scans CumSum and CumProd, and Det (which reduces matrices to numbers). */
public final class ReductionOps implements OpFamily {
    /** Each Reduce* op and the opset from which its axes are an input rather than an attribute. */
    private static final List<String> REDUCE_OPS = List.of("ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean",
            "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");

    /** The opset from which {@code op}'s axes are its second input rather than an attribute. */
    public static int axesInputSince(String op) { return op.equals("ReduceSum") ? 13 : 18; }

    @Override
    public List<OpSchema> schemas() {
        List<OpSchema> out = new ArrayList<>();
        for (String op : REDUCE_OPS) {
            out.add(OpSchema.op(op).since(1).inputs(1, 2)
                    .attr(AttrSpec.optional("axes", Attribute.Kind.INTS))
                    .attr(AttrSpec.withDefault("keepdims", Attribute.of(1L)))
                    .attr(AttrSpec.withDefault("noop_with_empty_axes", Attribute.of(0L)))
                    .infer(ctx -> reduce(ctx, op)));
        }
        for (String op : List.of("CumSum", "CumProd")) {
            out.add(OpSchema.op(op).since(op.equals("CumSum") ? 11 : 26).inputs(2)
                    .attr(AttrSpec.withDefault("exclusive", Attribute.of(0L)))
                    .attr(AttrSpec.withDefault("reverse", Attribute.of(0L)))
                    .infer(ReductionOps::scan));
        }
        out.add(OpSchema.op("Det").since(11).inputs(1).infer(ReductionOps::det));
        return out;
    }

    private static List<ValueType> reduce(InferenceContext ctx, String op) {
        DType dtype = ctx.inputDType(0);
        boolean boolOk = op.equals("ReduceMax") || op.equals("ReduceMin");
        if (!(dtype.isFloat() || dtype.isInteger() || (boolOk && dtype == DType.BOOL))) {
            throw ctx.fail(op + " does not support " + dtype + " input");
        }
        Shape in = ctx.inputShape(0);
        boolean keep = ctx.intAttr("keepdims", 1) != 0;
        long[] given = TensorOpsSupport.attrOrInputAxes(ctx, "axes", 1, axesInputSince(op));
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        if (given == null) return tensor(dtype, keep ? Shape.unknownDims(in.rank()) : Shape.UNKNOWN_RANK);
        int rank = in.rank();
        boolean[] reduced = new boolean[rank];
        if (given.length == 0) {
            boolean noop = ctx.opset() >= axesInputSince(op) && ctx.intAttr("noop_with_empty_axes", 0) != 0;
            if (noop) return tensor(dtype, in);
            java.util.Arrays.fill(reduced, true);
        } else {
            for (int a : axes(ctx, given, rank)) reduced[a] = true;
        }
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            if (!reduced[i]) out.add(in.dim(i));
            else if (keep) out.add(Dim.of(1));
        }
        return tensor(dtype, out);
    }

    private static List<ValueType> scan(InferenceContext ctx) {
        TensorOpsSupport.requireNumeric(ctx, 0, "x");
        TensorOpsSupport.requireIndexType(ctx, 1, "axis");
        Shape axis = ctx.inputShape(1);
        if (axis.isStatic() && axis.elementCount() != 1) throw ctx.fail("axis must be a scalar, got shape " + axis);
        Shape in = ctx.inputShape(0);
        long[] a = TensorOpsSupport.constLongs(ctx, 1);
        if (a != null && in.hasRank()) TensorOpsSupport.axis(ctx, a[0], in.rank());
        return tensor(ctx.inputDType(0), in);
    }

    private static List<ValueType> det(InferenceContext ctx) {
        TensorOpsSupport.requireFloat(ctx, 0, "X");
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(ctx.inputDType(0), Shape.UNKNOWN_RANK);
        if (in.rank() < 2) throw ctx.fail("input must have rank >= 2, got " + in);
        Dim m = in.dim(in.rank() - 2);
        Dim n = in.dim(in.rank() - 1);
        if (m.isStatic() && n.isStatic() && m.size() != n.size()) throw ctx.fail("matrices must be square, got " + in);
        return tensor(ctx.inputDType(0), in.dims().subList(0, in.rank() - 2));
    }
}
