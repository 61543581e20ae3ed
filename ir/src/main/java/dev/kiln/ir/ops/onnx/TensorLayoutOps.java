package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;
import dev.kiln.ir.DType;
import dev.kiln.ir.Dim;
import dev.kiln.ir.DimProduct;
import dev.kiln.ir.Shape;
import dev.kiln.ir.ValueType;
import dev.kiln.ir.ops.AttrSpec;
import dev.kiln.ir.ops.Broadcast;
import dev.kiln.ir.ops.InferenceContext;
import dev.kiln.ir.ops.OpFamily;
import dev.kiln.ir.ops.OpSchema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kiln.ir.ops.onnx.TensorOpsSupport.axes;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.constLongs;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.divide;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.staticLength;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.tensor;
import static dev.kiln.ir.ops.onnx.TensorOpsSupport.times;

/** Ops that rearrange a tensor's elements without computing: Reshape, Transpose, Squeeze, Expand, Tile and kin. */
public final class TensorLayoutOps implements OpFamily {
    @Override
    public List<OpSchema> schemas() {
        return List.of(
                OpSchema.op("Reshape").since(1).inputs(1, 2)
                        .attr(AttrSpec.withDefault("allowzero", Attribute.of(0L)))
                        .attr(AttrSpec.optional("shape", Attribute.Kind.INTS))
                        .infer(TensorLayoutOps::reshape),
                OpSchema.op("Transpose").since(1).inputs(1)
                        .attr(AttrSpec.optional("perm", Attribute.Kind.INTS))
                        .infer(TensorLayoutOps::transpose),
                OpSchema.op("Flatten").since(1).inputs(1)
                        .attr(AttrSpec.withDefault("axis", Attribute.of(1L)))
                        .infer(TensorLayoutOps::flatten),
                OpSchema.op("Squeeze").since(1).inputs(1, 2)
                        .attr(AttrSpec.optional("axes", Attribute.Kind.INTS))
                        .infer(TensorLayoutOps::squeeze),
                OpSchema.op("Unsqueeze").since(1).inputs(1, 2)
                        .attr(AttrSpec.optional("axes", Attribute.Kind.INTS))
                        .infer(TensorLayoutOps::unsqueeze),
                OpSchema.op("Expand").since(8).inputs(2).infer(TensorLayoutOps::expand),
                OpSchema.op("Tile").since(1).inputs(2, 3).infer(TensorLayoutOps::tile),
                OpSchema.op("DepthToSpace").since(1).inputs(1)
                        .attr(AttrSpec.required("blocksize", Attribute.Kind.INT))
                        .attr(AttrSpec.withDefault("mode", Attribute.of("DCR")))
                        .infer(ctx -> blocks(ctx, true)),
                OpSchema.op("SpaceToDepth").since(1).inputs(1)
                        .attr(AttrSpec.required("blocksize", Attribute.Kind.INT))
                        .infer(ctx -> blocks(ctx, false)));
    }

    private static List<ValueType> reshape(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        long[] constant = ctx.opset() < 5 ? ctx.intsAttr("shape") : constLongs(ctx, 1);
        if (constant == null && ctx.opset() < 5) throw ctx.fail("attribute 'shape' is required before opset 5");
        List<DimProduct> target = constant != null ? Arrays.stream(constant).mapToObj(DimProduct::constant).toList() : ctx.shapeValueInput(1);
        if (target == null) {
            long k = staticLength(ctx, 1);
            return tensor(dtype, k < 0 ? Shape.UNKNOWN_RANK : Shape.unknownDims((int) k));
        }
        String written = constant != null ? Arrays.toString(constant) : target.toString();
        boolean allowZero = ctx.intAttr("allowzero", 0) != 0;
        Shape in = ctx.inputShape(0);
        List<Dim> out = new ArrayList<>();
        int inferred = -1;
        boolean zero = false;
        for (int i = 0; i < target.size(); i++) {
            DimProduct element = target.get(i);
            if (element == null) {
                out.add(Dim.UNKNOWN); // a value the shape computation does not show
                continue;
            }
            if (!element.isConstant()) {
                out.add(element.toDim());
                continue;
            }
            long t = element.coefficient();
            if (t == -1) {
                if (inferred >= 0) throw ctx.fail("shape " + written + " has more than one -1");
                inferred = i;
                out.add(Dim.UNKNOWN);
            } else if (t < -1) {
                throw ctx.fail("shape " + written + " has invalid dimension " + t);
            } else if (t == 0 && !allowZero) {
                if (!in.hasRank()) out.add(Dim.UNKNOWN);
                else if (i >= in.rank()) throw ctx.fail("shape " + written + " copies dim " + i + " of rank-" + in.rank() + " input");
                else out.add(in.dim(i));
            } else {
                zero |= t == 0;
                out.add(Dim.of(t));
            }
        }
        if (allowZero && inferred >= 0 && zero) throw ctx.fail("shape " + written + " has both 0 and -1 with allowzero=1");
        if (inferred >= 0) out.set(inferred, inferredDim(ctx, in, out, inferred));
        else checkSameCount(ctx, in, out);
        return tensor(dtype, out);
    }

    /**
     * The -1 dim of a reshape: the input's element count over the other output dims, as products of dims, so
     * symbolic dims cancel: {@code [batch,3,4] -> [batch,-1]} gives 12 and {@code [8,batch,32] -> [-1,32]} gives
     * {@code 8*batch}. Unknown when the quotient is not exact for every size of the symbols.
     */
    private static Dim inferredDim(InferenceContext ctx, Shape in, List<Dim> out, int inferred) {
        if (!in.hasRank()) return Dim.UNKNOWN;
        DimProduct total = product(in.dims(), -1);
        DimProduct rest = product(out, inferred);
        if (total == null || rest == null) return Dim.UNKNOWN;
        if (total.isConstant() && rest.isConstant()) {
            if (rest.coefficient() == 0) {
                if (total.coefficient() == 0) throw ctx.fail("cannot infer the -1 dim when the other dims hold zero elements");
                throw ctx.fail("cannot reshape " + in + " to " + out);
            }
            if (total.coefficient() % rest.coefficient() != 0) throw ctx.fail("cannot reshape " + in + " to " + out);
        }
        DimProduct quotient = total.dividedBy(rest);
        return quotient == null ? Dim.UNKNOWN : quotient.toDim();
    }

    /** The product of {@code dims} but the one at {@code skip}, or null when one is unknown. */
    private static DimProduct product(List<Dim> dims, int skip) {
        DimProduct p = DimProduct.constant(1);
        for (int i = 0; i < dims.size(); i++) {
            if (i == skip) continue;
            DimProduct d = DimProduct.of(dims.get(i));
            if (d == null) return null;
            p = p.times(d);
        }
        return p;
    }

    private static void checkSameCount(InferenceContext ctx, Shape in, List<Dim> out) {
        Shape o = Shape.of(out);
        if (in.isStatic() && o.isStatic() && in.elementCount() != o.elementCount()) {
            throw ctx.fail("cannot reshape " + in + " to " + o);
        }
    }

    private static List<ValueType> transpose(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        long[] perm = ctx.intsAttr("perm");
        if (!in.hasRank()) return tensor(dtype, perm == null ? Shape.UNKNOWN_RANK : Shape.unknownDims(perm.length));
        int rank = in.rank();
        if (perm == null) {
            perm = new long[rank];
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
        }
        if (perm.length != rank) throw ctx.fail("perm " + Arrays.toString(perm) + " does not match rank " + rank);
        int[] p = axes(ctx, perm, rank);
        List<Dim> out = new ArrayList<>(rank);
        for (int a : p) out.add(in.dim(a));
        return tensor(dtype, out);
    }

    private static List<ValueType> flatten(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.unknownDims(2));
        int rank = in.rank();
        long a = ctx.intAttr("axis", 1);
        if (a < -rank || a > rank) throw ctx.fail("axis " + a + " is out of range for rank " + rank);
        int split = (int) (a < 0 ? a + rank : a);
        Dim outer = Dim.of(1);
        Dim inner = Dim.of(1);
        for (int i = 0; i < rank; i++) {
            if (i < split) outer = times(outer, in.dim(i));
            else inner = times(inner, in.dim(i));
        }
        return tensor(dtype, List.of(outer, inner));
    }

    private static List<ValueType> squeeze(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        long[] given = TensorOpsSupport.attrOrInputAxes(ctx, "axes", 1, 13);
        if (given == null || !in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        List<Dim> out = new ArrayList<>();
        if (given.length == 0) {
            for (Dim d : in.dims()) {
                if (!d.isStatic()) return tensor(dtype, Shape.UNKNOWN_RANK);
                if (d.size() != 1) out.add(d);
            }
            return tensor(dtype, out);
        }
        boolean[] drop = new boolean[in.rank()];
        for (int a : axes(ctx, given, in.rank())) {
            Dim d = in.dim(a);
            if (d.isStatic() && d.size() != 1) throw ctx.fail("cannot squeeze axis " + a + " of size " + d.size());
            drop[a] = true;
        }
        for (int i = 0; i < in.rank(); i++) if (!drop[i]) out.add(in.dim(i));
        return tensor(dtype, out);
    }

    private static List<ValueType> unsqueeze(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        long[] given = TensorOpsSupport.attrOrInputAxes(ctx, "axes", 1, 13);
        if (given == null) {
            long k = staticLength(ctx, 1);
            return tensor(dtype, k < 0 || !in.hasRank() ? Shape.UNKNOWN_RANK : Shape.unknownDims(in.rank() + (int) k));
        }
        if (given.length == 0) throw ctx.fail("axes must not be empty");
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int rank = in.rank() + given.length;
        boolean[] inserted = new boolean[rank];
        for (int a : axes(ctx, given, rank)) inserted[a] = true;
        List<Dim> out = new ArrayList<>(rank);
        int next = 0;
        for (int i = 0; i < rank; i++) out.add(inserted[i] ? Dim.of(1) : in.dim(next++));
        return tensor(dtype, out);
    }

    private static List<ValueType> expand(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        long[] target = constLongs(ctx, 1);
        if (target != null) {
            try {
                return tensor(dtype, Broadcast.shapes(List.of(in, Shape.of(target))));
            } catch (IllegalArgumentException e) {
                throw ctx.fail("cannot expand " + in + " to " + Arrays.toString(target));
            }
        }
        long k = staticLength(ctx, 1);
        if (k < 0 || !in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        int rank = (int) Math.max(k, in.rank());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - in.rank());
            Dim d = j < 0 ? Dim.UNKNOWN : in.dim(j);
            // a static input dim other than 1 survives whatever the target says there (it must be 1 or equal)
            out.add(d.isStatic() && d.size() != 1 ? d : Dim.UNKNOWN);
        }
        return tensor(dtype, out);
    }

    private static List<ValueType> tile(InferenceContext ctx) {
        DType dtype = ctx.inputDType(0);
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.UNKNOWN_RANK);
        long[] repeats = ctx.opset() < 6 ? tileOneRepeats(ctx, in.rank()) : constLongs(ctx, 1);
        if (repeats == null) return tensor(dtype, Shape.unknownDims(in.rank()));
        if (repeats.length != in.rank()) throw ctx.fail("repeats " + Arrays.toString(repeats) + " do not match rank " + in.rank());
        List<Dim> out = new ArrayList<>(in.rank());
        for (int i = 0; i < in.rank(); i++) {
            if (repeats[i] < 0) throw ctx.fail("repeats must not be negative, got " + Arrays.toString(repeats));
            out.add(times(in.dim(i), Dim.of(repeats[i])));
        }
        return tensor(dtype, out);
    }

    /** Tile-1's repeats: input 1 ({@code tiles}) copies along the axis input 2 names; null when not constants. */
    private static long[] tileOneRepeats(InferenceContext ctx, int rank) {
        long[] tiles = constLongs(ctx, 1);
        long[] axis = constLongs(ctx, 2);
        if (tiles == null || axis == null) return null;
        if (tiles.length != 1 || axis.length != 1) throw ctx.fail("tiles and axis must be scalars");
        long[] repeats = new long[rank];
        Arrays.fill(repeats, 1);
        repeats[TensorOpsSupport.axis(ctx, axis[0], rank)] = tiles[0];
        return repeats;
    }

    /** DepthToSpace ({@code toSpace}) or SpaceToDepth on an NCHW tensor. */
    private static List<ValueType> blocks(InferenceContext ctx, boolean toSpace) {
        DType dtype = ctx.inputDType(0);
        long b = ctx.intAttr("blocksize");
        if (b <= 0) throw ctx.fail("blocksize must be positive, got " + b);
        if (toSpace) {
            String mode = ctx.attr("mode").asString();
            if (!mode.equals("DCR") && !mode.equals("CRD")) throw ctx.fail("mode must be DCR or CRD, got '" + mode + "'");
        }
        Shape in = ctx.inputShape(0);
        if (!in.hasRank()) return tensor(dtype, Shape.unknownDims(4));
        if (in.rank() != 4) throw ctx.fail("input must be 4-D (NCHW), got " + in);
        Dim bb = Dim.of(b);
        if (toSpace) {
            return tensor(dtype, List.of(in.dim(0), divide(ctx, in.dim(1), b * b, "channels"),
                    times(in.dim(2), bb), times(in.dim(3), bb)));
        }
        return tensor(dtype, List.of(in.dim(0), times(in.dim(1), Dim.of(b * b)),
                divide(ctx, in.dim(2), b, "height"), divide(ctx, in.dim(3), b, "width")));
    }
}
