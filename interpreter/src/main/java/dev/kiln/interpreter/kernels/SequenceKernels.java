package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Graph;
import dev.kiln.ir.OptionalType;
import dev.kiln.ir.SequenceType;
import dev.kiln.ir.Shape;
import dev.kiln.ir.TensorType;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.tensor.OptionalValue;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorSequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sequence and optional ops. Positions may be negative (counted from the end) as ONNX allows. */
public final class SequenceKernels implements KernelFamily {
    @Override
    public Map<String, Kernel> kernels() {
        return Map.ofEntries(
                Map.entry("SequenceEmpty", ctx -> List.of(new TensorSequence(elementType(ctx, null), List.of()))),
                Map.entry("SequenceConstruct", ctx -> List.of(new TensorSequence(elementType(ctx, ctx.input(0).type()), tensors(ctx)))),
                Map.entry("SequenceInsert", SequenceKernels::insert),
                Map.entry("SequenceAt", SequenceKernels::at),
                Map.entry("SequenceErase", SequenceKernels::erase),
                Map.entry("SequenceLength", ctx -> List.of(Tensor.ofLongs(DType.I64, new long[0], sequence(ctx, 0).elements().size()))),
                Map.entry("SplitToSequence", SequenceKernels::split),
                Map.entry("ConcatFromSequence", SequenceKernels::concat),
                Map.entry("SequenceMap", SequenceKernels::map),
                Map.entry("Optional", SequenceKernels::optional),
                Map.entry("OptionalHasElement", ctx -> List.of(Tensor.ofLongs(DType.BOOL, new long[0], hasElement(ctx.value(0)) ? 1 : 0))),
                Map.entry("OptionalGetElement", SequenceKernels::getElement));
    }

    static TensorSequence sequence(KernelContext ctx, int i) {
        if (ctx.value(i) instanceof TensorSequence s) return s;
        throw ctx.fail("input " + i + " must be a sequence, got " + (ctx.value(i) == null ? "nothing" : ctx.value(i).type()));
    }

    /** The element type declared for output 0 when it is a sequence, else {@code fallback} (f32 of any shape if null). */
    private static ValueType elementType(KernelContext ctx, ValueType fallback) {
        if (ctx.outputType(0) instanceof SequenceType s) return s.element();
        if (fallback != null) return fallback;
        Attribute dtype = ctx.attr("dtype");
        DType t = dtype == null ? DType.F32 : DType.fromOnnxCode((int) dtype.asInt());
        return new TensorType(t, Shape.UNKNOWN_RANK);
    }

    private static List<RuntimeValue> tensors(KernelContext ctx) {
        List<RuntimeValue> items = new ArrayList<>();
        DType first = ctx.input(0).dtype();
        for (int i = 0; i < ctx.inputCount(); i++) {
            if (ctx.input(i).dtype() != first) throw ctx.fail("all inputs must be " + first + ", input " + i + " is " + ctx.input(i).dtype());
            items.add(ctx.input(i));
        }
        return items;
    }

    /** Input {@code i} as a position in {@code [-n, n + extra)}, normalized to non-negative; {@code fallback} if absent. */
    private static int position(KernelContext ctx, int i, int n, int extra, int fallback) {
        if (!ctx.hasInput(i)) return fallback;
        Tensor p = ctx.input(i);
        if (p.size() != 1) throw ctx.fail("position must be a scalar");
        long pos = p.getLong(0);
        if (pos < -n || pos >= n + extra) throw ctx.fail("position " + pos + " is out of range for a sequence of length " + n);
        return (int) (pos < 0 ? pos + n : pos);
    }

    private static List<RuntimeValue> insert(KernelContext ctx) {
        TensorSequence seq = sequence(ctx, 0);
        Tensor item = ctx.input(1);
        if (seq.elementType() instanceof TensorType t && t.dtype() != item.dtype()) {
            throw ctx.fail("cannot insert " + item.dtype() + " into a sequence of " + t.dtype());
        }
        List<RuntimeValue> items = new ArrayList<>(seq.elements());
        items.add(position(ctx, 2, items.size(), 1, items.size()), item);
        return List.of(new TensorSequence(elementType(ctx, seq.elementType()), items));
    }

    private static List<RuntimeValue> at(KernelContext ctx) {
        TensorSequence seq = sequence(ctx, 0);
        if (!ctx.hasInput(1)) throw ctx.fail("position is required");
        return List.of(seq.elements().get(position(ctx, 1, seq.elements().size(), 0, 0)));
    }

    private static List<RuntimeValue> erase(KernelContext ctx) {
        TensorSequence seq = sequence(ctx, 0);
        List<RuntimeValue> items = new ArrayList<>(seq.elements());
        if (items.isEmpty()) throw ctx.fail("cannot erase from an empty sequence");
        items.remove(position(ctx, 1, items.size(), 0, items.size() - 1));
        return List.of(new TensorSequence(seq.elementType(), items));
    }

    private static List<RuntimeValue> split(KernelContext ctx) {
        Tensor in = ctx.input(0);
        int axis = axis(ctx, ctx.intAttr("axis", 0), in.rank());
        long length = in.dim(axis);
        List<Long> sizes = new ArrayList<>();
        boolean dropAxis = false;
        if (!ctx.hasInput(1)) {
            for (long i = 0; i < length; i++) sizes.add(1L);
            dropAxis = ctx.intAttr("keepdims", 1) == 0;
        } else if (ctx.input(1).rank() == 0) {
            long chunk = ctx.input(1).getLong(0);
            if (chunk <= 0) throw ctx.fail("split must be positive, got " + chunk);
            for (long start = 0; start < length; start += chunk) sizes.add(Math.min(chunk, length - start));
        } else {
            long total = 0;
            for (long s : ctx.input(1).toLongs()) {
                if (s < 0) throw ctx.fail("split sizes must be non-negative");
                sizes.add(s);
                total += s;
            }
            if (total != length) throw ctx.fail("split sizes sum to " + total + ", the axis has " + length);
        }
        List<RuntimeValue> parts = new ArrayList<>();
        long start = 0;
        for (long s : sizes) {
            parts.add(ControlTensors.slice(in, axis, start, s, dropAxis));
            start += s;
        }
        return List.of(new TensorSequence(elementType(ctx, in.type()), parts));
    }

    private static List<RuntimeValue> concat(KernelContext ctx) {
        TensorSequence seq = sequence(ctx, 0);
        if (seq.elements().isEmpty()) throw ctx.fail("cannot concatenate an empty sequence");
        List<Tensor> parts = new ArrayList<>();
        for (RuntimeValue v : seq.elements()) parts.add(ControlFlowKernels.tensor(ctx, v, "sequence element"));
        Tensor first = parts.getFirst();
        boolean newAxis = ctx.intAttr("new_axis", 0) != 0;
        int axis = axis(ctx, ctx.intAttr("axis", 0), first.rank() + (newAxis ? 1 : 0));
        try {
            return List.of(newAxis ? ControlTensors.stack(parts, axis, first.dtype(), first.shape())
                    : ControlTensors.concat(parts, axis, first.dtype(), first.shape()));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    /** Runs the body once per position; sequence inputs contribute their i-th element, tensors themselves. */
    private static List<RuntimeValue> map(KernelContext ctx) {
        Graph body = ctx.graphAttr("body");
        int n = sequence(ctx, 0).elements().size();
        for (int j = 1; j < ctx.inputCount(); j++) {
            if (ctx.value(j) instanceof TensorSequence s && s.elements().size() != n) {
                throw ctx.fail("input sequences differ in length (" + n + " and " + s.elements().size() + ")");
            }
        }
        List<List<RuntimeValue>> outputs = new ArrayList<>();
        for (int k = 0; k < body.outputs().size(); k++) outputs.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            List<RuntimeValue> args = new ArrayList<>();
            for (int j = 0; j < ctx.inputCount(); j++) {
                RuntimeValue v = ctx.value(j);
                args.add(v instanceof TensorSequence s ? s.elements().get(i) : v);
            }
            List<RuntimeValue> out = ctx.runSubgraph(body, args);
            for (int k = 0; k < out.size(); k++) outputs.get(k).add(out.get(k));
        }
        List<RuntimeValue> result = new ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            ValueType declared = k < ctx.outputCount() && ctx.outputType(k) instanceof SequenceType s ? s.element() : body.outputs().get(k).type();
            result.add(new TensorSequence(declared, outputs.get(k)));
        }
        return result;
    }

    private static List<RuntimeValue> optional(KernelContext ctx) {
        RuntimeValue v = ctx.value(0);
        ValueType declared = ctx.outputType(0) instanceof OptionalType o ? o.element() : null;
        if (v != null) return List.of(new OptionalValue(declared != null ? declared : v.type(), v));
        Attribute type = ctx.attr("type");
        if (declared == null && type == null) throw ctx.fail("an Optional without input needs the type attribute");
        return List.of(new OptionalValue(declared != null ? declared : type.asType(), null));
    }

    private static boolean hasElement(RuntimeValue v) {
        if (v == null) return false;
        return !(v instanceof OptionalValue o) || o.isPresent();
    }

    private static List<RuntimeValue> getElement(KernelContext ctx) {
        RuntimeValue v = ctx.value(0);
        if (v == null) throw ctx.fail("input is required");
        if (v instanceof OptionalValue o) {
            if (!o.isPresent()) throw ctx.fail("the optional is empty");
            return List.of(o.element());
        }
        return List.of(v);
    }

    private static int axis(KernelContext ctx, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw ctx.fail("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }
}
