package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.Kernel;
import dev.kiln.interpreter.KernelContext;
import dev.kiln.interpreter.KernelFamily;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Comparisons (bool results; NaN compares unequal and unordered), the boolean ops And, Or, Xor, and Where, all with
 * NumPy broadcasting.
 */
public final class ElementwiseLogicKernels implements KernelFamily {
    /** A comparison, on doubles for float elements and on longs (in the element type's order) otherwise. */
    private enum Comparison {
        EQUAL, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL;

        boolean test(double a, double b) {
            return switch (this) {
                case EQUAL -> a == b;
                case GREATER -> a > b;
                case GREATER_OR_EQUAL -> a >= b;
                case LESS -> a < b;
                case LESS_OR_EQUAL -> a <= b;
            };
        }

        boolean test(long a, long b) {
            return switch (this) {
                case EQUAL -> a == b;
                case GREATER -> a > b;
                case GREATER_OR_EQUAL -> a >= b;
                case LESS -> a < b;
                case LESS_OR_EQUAL -> a <= b;
            };
        }
    }

    @Override
    public Map<String, Kernel> kernels() {
        Map<String, Kernel> k = new HashMap<>();
        k.put("Equal", compare(Comparison.EQUAL));
        k.put("Greater", compare(Comparison.GREATER));
        k.put("GreaterOrEqual", compare(Comparison.GREATER_OR_EQUAL));
        k.put("Less", compare(Comparison.LESS));
        k.put("LessOrEqual", compare(Comparison.LESS_OR_EQUAL));
        k.put("And", logic((a, b) -> a != 0 && b != 0));
        k.put("Or", logic((a, b) -> a != 0 || b != 0));
        k.put("Xor", logic((a, b) -> (a != 0) != (b != 0)));
        k.put("Where", ElementwiseLogicKernels::where);
        return k;
    }

    private static Kernel compare(Comparison c) {
        return ctx -> {
            Tensor a = ctx.input(0);
            Tensor b = ElementwiseLoops.legacyAlign(ctx, a, ctx.input(1));
            DType t = a.dtype();
            if (b.dtype() != t) throw ctx.fail("inputs must have one element type, got " + t + " and " + b.dtype());
            if (t == DType.STRING) {
                if (c != Comparison.EQUAL) throw ctx.fail("strings can only be compared for equality");
                return List.of(equalStrings(ctx, a, b));
            }
            if (t.isFloat()) return List.of(ElementwiseLoops.relateDoubles(ctx, a, b, c::test));
            // Flipping the sign bit orders unsigned 64-bit values correctly under signed comparison.
            long flip = t == DType.U64 ? Long.MIN_VALUE : 0;
            return List.of(ElementwiseLoops.relateLongs(ctx, a, b, (x, y) -> c.test(x ^ flip, y ^ flip)));
        };
    }

    private static Kernel logic(ElementwiseLoops.LongRelation op) {
        return ctx -> {
            Tensor a = ctx.input(0);
            Tensor b = ElementwiseLoops.legacyAlign(ctx, a, ctx.input(1));
            if (a.dtype() != DType.BOOL || b.dtype() != DType.BOOL) {
                throw ctx.fail("inputs must be bool, got " + a.dtype() + " and " + b.dtype());
            }
            return List.of(ElementwiseLoops.relateLongs(ctx, a, b, op));
        };
    }

    private static Tensor equalStrings(KernelContext ctx, Tensor a, Tensor b) {
        long[] shape = ElementwiseLoops.broadcastShape(ctx, a, b);
        String[] x = a.toStrings();
        String[] y = b.toStrings();
        int[] ma = ElementwiseLoops.indexMap(a, shape);
        int[] mb = ElementwiseLoops.indexMap(b, shape);
        boolean[] r = new boolean[Tensor.checkedSize(shape)];
        for (int i = 0; i < r.length; i++) r[i] = x[ElementwiseLoops.at(ma, i)].equals(y[ElementwiseLoops.at(mb, i)]);
        return ElementwiseLoops.bools(shape, r);
    }

    /** Picks X where the condition holds and Y elsewhere, copying elements bit for bit (strings by reference). */
    private static List<RuntimeValue> where(KernelContext ctx) {
        Tensor c = ctx.input(0);
        Tensor x = ctx.input(1);
        Tensor y = ctx.input(2);
        if (c.dtype() != DType.BOOL) throw ctx.fail("condition must be bool, got " + c.dtype());
        if (x.dtype() != y.dtype()) throw ctx.fail("X and Y must have one element type, got " + x.dtype() + " and " + y.dtype());
        long[] shape = ElementwiseLoops.broadcastShape(ctx, c, x, y);
        int n = Tensor.checkedSize(shape);
        long[] cond = c.toLongs();
        int[] mc = ElementwiseLoops.indexMap(c, shape);
        int[] mx = ElementwiseLoops.indexMap(x, shape);
        int[] my = ElementwiseLoops.indexMap(y, shape);
        if (x.dtype() == DType.STRING) {
            String[] xs = x.toStrings();
            String[] ys = y.toStrings();
            String[] out = new String[n];
            for (int i = 0; i < n; i++) {
                out[i] = cond[ElementwiseLoops.at(mc, i)] != 0 ? xs[ElementwiseLoops.at(mx, i)] : ys[ElementwiseLoops.at(my, i)];
            }
            return List.of(Tensor.ofStrings(shape, out));
        }
        int width = x.dtype().storageBytes();
        byte[] xb = bytes(x);
        byte[] yb = bytes(y);
        byte[] out = new byte[Math.multiplyExact(n, width)];
        for (int i = 0; i < n; i++) {
            boolean pickX = cond[ElementwiseLoops.at(mc, i)] != 0;
            int from = (pickX ? ElementwiseLoops.at(mx, i) : ElementwiseLoops.at(my, i)) * width;
            System.arraycopy(pickX ? xb : yb, from, out, i * width, width);
        }
        return List.of(Tensor.fromStorage(x.dtype(), shape, ByteBuffer.wrap(out)));
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer data = t.data();
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }
}
