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
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.ir.ops.onnx.TensorOpsSupport.axis;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.requireIndexType;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.tensor;

/** Ops that pick, place or find elements by index: Gather*, Scatter*, NonZero, Compress, Unique, TopK, ArgMax/ArgMin. */
public final class TensorIndexingOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("Gather").since(1).inputs(2)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(0L)))
                        .infer(TensorIndexingOps::gather),
                OpSchema.op("GatherElements").since(11).inputs(2)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(0L)))
                        .infer(TensorIndexingOps::gatherElements),
                OpSchema.op("GatherND").since(11).inputs(2)
                        .attr(AttrSpec.withDefault("batch_dims", Attribute.of(0L)))
                        .infer(TensorIndexingOps::gatherNd),
                scatterLike("Scatter", 9).attr(AttrSpec.withDefault("axis", Attribute.of(0L)))
                        .infer(TensorIndexingOps::scatterElements),
                scatterLike("ScatterElements", 11).attr(AttrSpec.withDefault("axis", Attribute.of(0L)))
                        .infer(TensorIndexingOps::scatterElements),
                scatterLike("ScatterND", 11).infer(TensorIndexingOps::scatterNd),
                OpSchema.op("TensorScatter").since(24).inputs(2, 3)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(-2L)))
                        .attr(AttrSpec.withDefault("mode", Attribute.of("linear")))
                        .infer(TensorIndexingOps::tensorScatter),
                OpSchema.op("NonZero").since(9).inputs(1).infer(TensorIndexingOps::nonZero),
                OpSchema.op("Compress").since(9).inputs(2)
                        .attr(AttrSpec.optional("axis", Attribute.Kind.INT))
                        .infer(TensorIndexingOps::compress),
                OpSchema.op("Unique").since(11).inputs(1).outputs(1, 4)
                        .attr(AttrSpec.optional("axis", Attribute.Kind.INT))
                        .attr(AttrSpec.withDefault("sorted", Attribute.of(1L)))
                        .infer(TensorIndexingOps::unique),
                OpSchema.op("TopK").since(1).inputs(1, 2).outputs(2)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(-1L)))
                        .attr(AttrSpec.optional("k", Attribute.Kind.INT))
                        .attr(AttrSpec.withDefault("largest", Attribute.of(1L)))
                        .attr(AttrSpec.withDefault("sorted", Attribute.of(1L)))
                        .infer(TensorIndexingOps::topK),
                argExtreme("ArgMax"),
                argExtreme("ArgMin"),
                OpSchema.op("ReverseSequence").since(10).inputs(2)
                        .attr(AttrSpec.withDefault("batch_axis", Attribute.of(1L)))
                        .attr(AttrSpec.withDefault("time_axis", Attribute.of(0L)))
                        .infer(TensorIndexingOps::reverseSequence));
    }

    private static OpSchema.Builder scatterLike(String name, int since) {
        return OpSchema.op(name).since(since).inputs(3).attr(AttrSpec.withDefault("reduction", Attribute.of("none")));
    }

    private static OpSchema argExtreme(String name) {
        return OpSchema.op(name).since(1).inputs(1)
                .attr(AttrSpec.withDefault("axis", Attribute.of(0L)))
                .attr(AttrSpec.withDefault("keepdims", Attribute.of(1L)))
                .attr(AttrSpec.withDefault("select_last_index", Attribute.of(0L)))
                .infer(TensorIndexingOps::argExtreme);
    }

    private static List<ValueType> gather(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        requireIndexType(ctx, 1, "indices");
        Shape data = ctx.inputShape(0);
        Shape idx = ctx.inputShape(1);
        if (!data.hasRank() || !idx.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        if (data.rank() == 0) throw ctx.fail("data must have rank >= 1");
        int ax = axis(ctx, ctx.intAttr("axis", 0), data.rank());
        List<Dim> out = new ArrayList<>(data.dims().subList(0, ax));
        out.addAll(idx.dims());
        out.addAll(data.dims().subList(ax + 1, data.rank()));
        return tensor(dtype, out);
    }

    private static List<ValueType> gatherElements(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        requireIndexType(ctx, 1, "indices");
        Shape data = ctx.inputShape(0);
        Shape idx = ctx.inputShape(1);
        if (data.hasRank()) {
            if (data.rank() == 0) throw ctx.fail("data must have rank >= 1");
            axis(ctx, ctx.intAttr("axis", 0), data.rank());
            if (idx.hasRank() && idx.rank() != data.rank()) throw ctx.fail("indices " + idx + " and data " + data + " differ in rank");
        }
        return tensor(dtype, idx);
    }

    private static List<ValueType> gatherNd(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        if (ctx.inputDType(1) != DType.I64) throw ctx.fail("indices must be int64, got " + ctx.inputDType(1));
        Shape data = ctx.inputShape(0);
        Shape idx = ctx.inputShape(1);
        int b = (int) ctx.intAttr("batch_dims", 0);
        if (!data.hasRank() || !idx.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        if (b < 0 || b >= Math.min(data.rank(), idx.rank())) throw ctx.fail("batch_dims " + b + " is out of range");
        Dim last = idx.dim(idx.rank() - 1);
        if (!last.isStatic()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int m = (int) last.size();
        if (m < 1 || b + m > data.rank()) throw ctx.fail("indices " + idx + " index too many dims of data " + data);
        List<Dim> out = new ArrayList<>(idx.dims().subList(0, idx.rank() - 1));
        out.addAll(data.dims().subList(b + m, data.rank()));
        return tensor(dtype, out);
    }

    private static void checkReduction(InferenceContext ctx) {
        String r = ctx.stringAttr("reduction");
        if (!List.of("none", "add", "mul", "max", "min").contains(r)) throw ctx.fail("unknown reduction '" + r + "'");
    }

    private static List<ValueType> scatterElements(InferenceContext ctx) {
        checkReduction(ctx);
        requireIndexType(ctx, 1, "indices");
        checkUpdates(ctx, 2);
        Shape data = ctx.inputShape(0);
        Shape idx = ctx.inputShape(1);
        if (data.hasRank()) {
            axis(ctx, ctx.intAttr("axis", 0), data.rank());
            if (idx.hasRank() && idx.rank() != data.rank()) throw ctx.fail("indices " + idx + " and data " + data + " differ in rank");
        }
        return tensor(ctx.inputDType(0), data);
    }

    private static List<ValueType> scatterNd(InferenceContext ctx) {
        checkReduction(ctx);
        if (ctx.inputDType(1) != DType.I64) throw ctx.fail("indices must be int64, got " + ctx.inputDType(1));
        checkUpdates(ctx, 2);
        return tensor(ctx.inputDType(0), ctx.inputShape(0));
    }

    private static void checkUpdates(InferenceContext ctx, int i) {
        if (ctx.inputDType(i) != ctx.inputDType(0)) throw ctx.fail("updates are " + ctx.inputDType(i) + ", data is " + ctx.inputDType(0));
    }

    private static List<ValueType> tensorScatter(InferenceContext ctx) {
        checkUpdates(ctx, 1);
        String mode = ctx.stringAttr("mode");
        if (!mode.equals("linear") && !mode.equals("circular")) throw ctx.fail("mode must be linear or circular, got '" + mode + "'");
        Shape cache = ctx.inputShape(0);
        Shape update = ctx.inputShape(1);
        if (cache.hasRank()) {
            if (cache.rank() < 2) throw ctx.fail("past_cache must have rank >= 2, got " + cache);
            int ax = axis(ctx, ctx.intAttr("axis", -2), cache.rank());
            if (ax == 0) throw ctx.fail("axis must not be the batch axis");
            if (update.hasRank() && update.rank() != cache.rank()) throw ctx.fail("update " + update + " and past_cache " + cache + " differ in rank");
        }
        if (ctx.hasInput(2)) requireIndexType(ctx, 2, "write_indices");
        return tensor(ctx.inputDType(0), cache);
    }

    private static List<ValueType> nonZero(InferenceContext ctx) {
        Shape in = ctx.inputShape(0);
        Dim rank = in.hasRank() ? Dim.of(in.rank()) : Dim.UNKNOWN;
        return tensor(DType.I64, List.of(rank, Dim.UNKNOWN));
    }

    private static List<ValueType> compress(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        if (ctx.inputDType(1) != DType.BOOL) throw ctx.fail("condition must be bool, got " + ctx.inputDType(1));
        Tensor condition = ctx.constantInput(1);
        Dim kept = Dim.UNKNOWN;
        if (condition != null) {
            long n = 0;
            for (int i = 0; i < condition.size(); i++) if (condition.getBoolean(i)) n++;
            kept = Dim.of(n);
        }
        if (!ctx.hasAttr("axis")) return tensor(dtype, List.of(kept));
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        List<Dim> out = new ArrayList<>(in.dims());
        out.set(axis(ctx, ctx.intAttr("axis"), in.rank()), kept);
        return tensor(dtype, out);
    }

    private static List<ValueType> unique(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        TensorType y;
        Dim scanned;
        if (!ctx.hasAttr("axis")) {
            y = new TensorType(dtype, Shape.unknownDims(1));
            scanned = in.isStatic() ? Dim.of(in.elementCount()) : Dim.UNKNOWN;
        } else if (!in.hasRank()) {
            y = new TensorType(dtype, Shape.UNKNOWN_RANK);
            scanned = Dim.UNKNOWN;
        } else {
            int ax = axis(ctx, ctx.intAttr("axis"), in.rank());
            List<Dim> dims = new ArrayList<>(in.dims());
            scanned = dims.get(ax);
            dims.set(ax, Dim.UNKNOWN);
            y = new TensorType(dtype, Shape.of(dims));
        }
        TensorType unknownCount = new TensorType(DType.I64, Shape.unknownDims(1));
        List<ValueType> all = List.of(y, unknownCount, new TensorType(DType.I64, Shape.of(List.of(scanned))), unknownCount);
        return all.subList(0, TensorOpsSupport.outputCount(ctx));
    }

    private static List<ValueType> topK(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return List.of(new TensorType(dtype, in), new TensorType(DType.I64, in));
        int ax = axis(ctx, ctx.intAttr("axis", -1), in.rank());
        Dim k = Dim.UNKNOWN;
        if (ctx.opset() < 10) {
            k = Dim.of(ctx.intAttr("k"));
        } else {
            requireIndexType(ctx, 1, "k");
            long[] given = TensorOpsSupport.constLongs(ctx, 1);
            if (given != null) {
                if (given.length != 1 || given[0] < 0) throw ctx.fail("k must be one non-negative value");
                k = Dim.of(given[0]);
            }
        }
        Dim d = in.dim(ax);
        if (k.isStatic() && d.isStatic() && k.size() > d.size()) throw ctx.fail("k " + k + " exceeds dim " + d + " of axis " + ax);
        List<Dim> dims = new ArrayList<>(in.dims());
        dims.set(ax, k);
        Shape out = Shape.of(dims);
        return List.of(new TensorType(dtype, out), new TensorType(DType.I64, out));
    }

    private static List<ValueType> argExtreme(InferenceContext ctx) {
        TensorOpsSupport.requireNumeric(ctx, 0, "data");
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(DType.I64, Shape.UNKNOWN_RANK);
        int ax = axis(ctx, ctx.intAttr("axis", 0), in.rank());
        List<Dim> dims = new ArrayList<>(in.dims());
        if (ctx.intAttr("keepdims", 1) != 0) dims.set(ax, Dim.of(1));
        else dims.remove(ax);
        return tensor(DType.I64, dims);
    }

    private static List<ValueType> reverseSequence(InferenceContext ctx) {
        if (ctx.inputDType(1) != DType.I64) throw ctx.fail("sequence_lens must be int64, got " + ctx.inputDType(1));
        Shape in = ctx.inputShape(0);
        if (in.hasRank()) {
            if (in.rank() < 2) throw ctx.fail("input must have rank >= 2, got " + in);
            int batch = axis(ctx, ctx.intAttr("batch_axis", 1), in.rank());
            int time = axis(ctx, ctx.intAttr("time_axis", 0), in.rank());
            if (batch > 1 || time > 1 || batch == time) throw ctx.fail("batch_axis and time_axis must be 0 and 1 in some order");
        }
        return tensor(ctx.inputDType(0), in);
    }
}
