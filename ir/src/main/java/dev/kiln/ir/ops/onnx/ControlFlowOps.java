package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.Graph;
import dev.kiln.ir.OptionalType;
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

/**
 * If, Loop and Scan. Their bodies are graph attributes whose value types were inferred with the enclosing scope
 * visible; the outputs here combine the body's output types with the node's input types. Loop and Scan
 * iteration counts become static dims where the trip count or scan length is known at compile time.
 */
public final class ControlFlowOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("If").since(1).inputs(1).outputs(1, Integer.MAX_VALUE)
                        .attr(AttrSpec.required("then_branch", Attribute.Kind.GRAPH))
                        .attr(AttrSpec.required("else_branch", Attribute.Kind.GRAPH))
                        .infer(ControlFlowOps::inferIf),
                OpSchema.op("Loop").since(1).inputs(2, Integer.MAX_VALUE).outputs(1, Integer.MAX_VALUE)
                        .attr(AttrSpec.required("body", Attribute.Kind.GRAPH))
                        .infer(ControlFlowOps::inferLoop),
                OpSchema.op("Scan").since(8).inputs(1, Integer.MAX_VALUE).outputs(1, Integer.MAX_VALUE)
                        .attr(AttrSpec.required("body", Attribute.Kind.GRAPH))
                        .attr(AttrSpec.required("num_scan_inputs", Attribute.Kind.INT))
                        .attr(AttrSpec.optional("directions", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("scan_input_directions", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("scan_output_directions", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("scan_input_axes", Attribute.Kind.INTS))
                        .attr(AttrSpec.optional("scan_output_axes", Attribute.Kind.INTS))
                        .infer(ControlFlowOps::inferScan));
    }

    private static List<ValueType> inferIf(InferenceContext ctx) {
        requireBoolCondition(ctx, 0, "cond");
        Graph thenBranch = ctx.graphAttr("then_branch"), elseBranch = ctx.graphAttr("else_branch");
        int n = ctx.node().outputs().size();
        if (thenBranch.outputs().size() != n || elseBranch.outputs().size() != n) {
            throw ctx.fail("then_branch has " + thenBranch.outputs().size() + " outputs and else_branch "
                    + elseBranch.outputs().size() + ", the node " + n);
        }
        List<ValueType> types = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ValueType a = thenBranch.outputs().get(i).type(), b = elseBranch.outputs().get(i).type();
            ValueType joined = ControlFamilyDims.join(a, b);
            if (joined == null) throw ctx.fail("output " + i + " is " + a + " in then_branch but " + b + " in else_branch");
            types.add(joined);
        }
        return types;
    }

    private static List<ValueType> inferLoop(InferenceContext ctx) {
        Graph body = ctx.graphAttr("body");
        int carried = ctx.inputCount() - 2;
        if (ctx.hasInput(0) && (ctx.inputDType(0) != DType.I64 || !isScalarLike(ctx.inputShape(0)))) {
            throw ctx.fail("trip count M must be an int64 scalar, got " + ctx.inputType(0));
        }
        if (ctx.hasInput(1)) requireBoolCondition(ctx, 1, "cond");
        if (body.inputs().size() != carried + 2) {
            throw ctx.fail("body takes " + body.inputs().size() + " inputs, expected 2 + " + carried + " loop-carried");
        }
        int scans = body.outputs().size() - 1 - carried;
        if (scans < 0 || ctx.node().outputs().size() > carried + scans) {
            throw ctx.fail("body has " + body.outputs().size() + " outputs for " + carried + " loop-carried values and "
                    + ctx.node().outputs().size() + " node outputs");
        }
        List<ValueType> types = new ArrayList<>();
        for (int i = 0; i < carried; i++) {
            types.add(loopCarried(ctx, i, ctx.inputType(2 + i), body.outputs().get(1 + i).type()));
        }
        Dim iterations = staticTripCount(ctx, body);
        for (int k = 0; k < scans; k++) {
            ValueType t = body.outputs().get(1 + carried + k).type();
            if (!(t instanceof TensorType tt)) throw ctx.fail("scan output " + k + " must be a tensor, got " + t);
            types.add(new TensorType(tt.dtype(), insertDim(tt.shape(), 0, iterations)));
        }
        return ControlFamilyDims.forOutputs(ctx, types);
    }

    /**
     * A loop-carried value's type covers both its initial value and the body's result. Models in the wild carry an
     * optional in and a plain value out (loop16_seq_none); the plain type is kept then.
     */
    private static ValueType loopCarried(InferenceContext ctx, int i, ValueType initial, ValueType fromBody) {
        ValueType joined = ControlFamilyDims.join(initial, fromBody);
        if (joined != null) return joined;
        if (initial instanceof OptionalType o && ControlFamilyDims.join(o.element(), fromBody) != null) {
            return ControlFamilyDims.join(o.element(), fromBody);
        }
        throw ctx.fail("loop-carried value " + i + " starts as " + initial + " but the body makes it " + fromBody);
    }

    /** The trip count when it is a constant and the body passes the condition through unchanged. */
    private static Dim staticTripCount(InferenceContext ctx, Graph body) {
        Tensor m = ctx.constantInput(0);
        if (m == null || m.size() != 1) return Dim.UNKNOWN;
        boolean condPassedThrough = body.outputs().getFirst().name().equals(body.inputs().get(1).name());
        Tensor cond = ctx.constantInput(1);
        boolean condTrue = !ctx.hasInput(1) || (cond != null && cond.size() == 1 && cond.getBoolean(0));
        return condPassedThrough && condTrue ? Dim.of(Math.max(0, m.getLong(0))) : Dim.UNKNOWN;
    }

    private static List<ValueType> inferScan(InferenceContext ctx) {
        Graph body = ctx.graphAttr("body");
        int scanInputs = (int) ctx.intAttr("num_scan_inputs");
        boolean batched = ctx.opset() < 9;
        int first = batched ? 1 : 0;
        int states = ctx.inputCount() - first - scanInputs;
        if (scanInputs < 1 || states < 0) throw ctx.fail("num_scan_inputs " + scanInputs + " does not fit " + ctx.inputCount() + " inputs");
        if (body.inputs().size() != states + scanInputs) {
            throw ctx.fail("body takes " + body.inputs().size() + " inputs, expected " + (states + scanInputs));
        }
        int scanOutputs = body.outputs().size() - states;
        if (scanOutputs < 0 || ctx.node().outputs().size() != states + scanOutputs) {
            throw ctx.fail("body has " + body.outputs().size() + " outputs, the node " + ctx.node().outputs().size()
                    + " with " + states + " states");
        }
        if (batched && ctx.hasInput(0) && ctx.inputDType(0) != DType.I64) throw ctx.fail("sequence_lens must be int64");
        long[] inAxes = ctx.intsAttr("scan_input_axes");
        long[] outAxes = ctx.intsAttr("scan_output_axes");
        Dim batch = Dim.UNKNOWN, length = Dim.UNKNOWN;
        for (int j = 0; j < scanInputs; j++) {
            ValueType t = ctx.inputType(first + states + j);
            if (!(t instanceof TensorType tt)) throw ctx.fail("scan input " + j + " must be a tensor, got " + t);
            if (!tt.shape().hasRank()) continue;
            int rank = tt.shape().rank();
            int axis = batched ? 1 : normalize(ctx, inAxes == null || j >= inAxes.length ? 0 : inAxes[j], rank, "scan_input_axes");
            if (rank <= axis) throw ctx.fail("scan input " + j + " has rank " + rank + ", too small to scan axis " + axis);
            length = ControlFamilyDims.merge(length, tt.shape().dim(axis));
            if (batched) batch = ControlFamilyDims.merge(batch, tt.shape().dim(0));
        }
        List<ValueType> types = new ArrayList<>();
        for (int i = 0; i < states; i++) {
            ValueType initial = ctx.inputType(first + i), fromBody = body.outputs().get(i).type();
            if (batched && fromBody instanceof TensorType bt) fromBody = new TensorType(bt.dtype(), insertDim(bt.shape(), 0, batch));
            ValueType joined = ControlFamilyDims.join(initial, fromBody);
            if (joined == null) throw ctx.fail("state " + i + " starts as " + initial + " but the body makes it " + fromBody);
            types.add(joined);
        }
        for (int k = 0; k < scanOutputs; k++) {
            ValueType t = body.outputs().get(states + k).type();
            if (!(t instanceof TensorType tt)) throw ctx.fail("scan output " + k + " must be a tensor, got " + t);
            Shape s;
            if (batched) {
                s = insertDim(insertDim(tt.shape(), 0, length), 0, batch);
            } else if (tt.shape().hasRank()) {
                long axis = outAxes == null || k >= outAxes.length ? 0 : outAxes[k];
                s = insertDim(tt.shape(), normalize(ctx, axis, tt.shape().rank() + 1, "scan_output_axes"), length);
            } else {
                s = Shape.UNKNOWN_RANK;
            }
            types.add(new TensorType(tt.dtype(), s));
        }
        return types;
    }

    private static int normalize(InferenceContext ctx, long axis, int rank, String attr) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw ctx.fail(attr + " value " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    static Shape insertDim(Shape s, int axis, Dim d) {
        if (!s.hasRank()) return s;
        List<Dim> dims = new ArrayList<>(s.dims());
        dims.add(axis, d);
        return Shape.of(dims);
    }

    private static boolean isScalarLike(Shape s) {
        return !s.hasRank() || s.rank() == 0 || (s.rank() == 1 && (!s.dim(0).isStatic() || s.dim(0).size() == 1));
    }

    private static void requireBoolCondition(InferenceContext ctx, int i, String what) {
        if (ctx.inputDType(i) != DType.BOOL) throw ctx.fail(what + " must be bool, got " + ctx.inputType(i));
        if (!isScalarLike(ctx.inputShape(i))) throw ctx.fail(what + " must hold a single element, got " + ctx.inputShape(i));
    }
}
