package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.NumericFormats;
import dev.kiln.ir.tensor.Tensor;

import java.nio.ByteBuffer;

/**
 * Cast's element conversions between any two non-complex types. Floats to integers truncate toward zero and wrap
 * to the target width (4- and 2-bit types included), as NumPy's astype does; integers to integers wrap; anything
 * to bool is "nonzero" (NaN included). Floats round to nearest even into narrower float types; the float8 types
 * follow {@code saturate} (clamp to the largest finite value, else overflow to inf or NaN) and f8e8m0 its
 * {@code round_mode}.
 */
final class ElementwiseCasting {
    private ElementwiseCasting() {}

    static Tensor cast(KernelContext ctx, Tensor x, DType to, boolean saturate, NumericFormats.E8M0Rounding rounding) {
        DType from = x.dtype();
        if (from == to) return x;
        if (from.kind() == DType.Kind.COMPLEX || to.kind() == DType.Kind.COMPLEX) {
            throw ctx.fail("cannot cast " + from + " to " + to);
        }
        if (to == DType.STRING) return toStrings(x);
        if (from == DType.STRING) return fromStrings(ctx, x, to, saturate, rounding);
        int n = x.size();
        long[] shape = x.shape();
        if (to == DType.BOOL) {
            boolean[] r = new boolean[n];
            for (int i = 0; i < n; i++) r[i] = from.isFloat() ? x.getDouble(i) != 0 : x.getLong(i) != 0;
            return ElementwiseLoops.bools(shape, r);
        }
        if (to.isFloat()) {
            double[] v = new double[n];
            boolean unsigned = from == DType.U64;
            for (int i = 0; i < n; i++) v[i] = from.isFloat() ? x.getDouble(i) : integerToFloat(x.getLong(i), unsigned, to);
            return floats(to, shape, v, saturate, rounding);
        }
        Tensor out = Tensor.zeros(to, shape);
        for (int i = 0; i < n; i++) {
            if (from.isFloat()) {
                out.setDouble(i, truncate(x.getDouble(i)));
            } else {
                out.setLong(i, x.getLong(i));
            }
        }
        return out;
    }

    /** A float tensor of type {@code to} from double values, each rounded once. */
    private static Tensor floats(DType to, long[] shape, double[] v, boolean saturate, NumericFormats.E8M0Rounding rounding) {
        if (to.storageBytes() != 1) return Tensor.ofDoubles(to, shape, v);
        byte[] codes = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            codes[i] = (byte) (to == DType.F8E8M0
                    ? NumericFormats.encodeE8M0(v[i], saturate, rounding)
                    : NumericFormats.encode(to, v[i], saturate));
        }
        return Tensor.fromStorage(to, shape, ByteBuffer.wrap(codes));
    }

    /** An integer as a double that rounds to {@code to} exactly once (f32 is rounded here, directly from the integer). */
    private static double integerToFloat(long v, boolean unsigned, DType to) {
        if (to == DType.F32) {
            if (!unsigned || v >= 0) return (float) v;
            return (float) ((v >>> 1) | (v & 1)) * 2.0f; // halve keeping the sticky bit, round, double back
        }
        if (!unsigned || v >= 0) return (double) v;
        return (double) ((v >>> 1) | (v & 1)) * 2.0;
    }

    private static double truncate(double v) { return v < 0 ? Math.ceil(v) : Math.floor(v); }

    private static Tensor toStrings(Tensor x) {
        DType from = x.dtype();
        String[] out = new String[x.size()];
        for (int i = 0; i < out.length; i++) {
            if (from == DType.BOOL) out[i] = ElementwiseStrings.formatBool(x.getLong(i) != 0);
            else if (from.isFloat()) out[i] = ElementwiseStrings.formatFloat(x.getDouble(i), from);
            else out[i] = ElementwiseStrings.formatInteger(x.getLong(i), from == DType.U64);
        }
        return Tensor.ofStrings(x.shape(), out);
    }

    private static Tensor fromStrings(KernelContext ctx, Tensor x, DType to, boolean saturate, NumericFormats.E8M0Rounding rounding) {
        int n = x.size();
        long[] shape = x.shape();
        if (to == DType.BOOL) {
            boolean[] r = new boolean[n];
            for (int i = 0; i < n; i++) r[i] = parsed(ctx, x, i, ElementwiseStrings.parseBool(x.getString(i)));
            return ElementwiseLoops.bools(shape, r);
        }
        if (to.isFloat()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = to == DType.F32
                        ? parsed(ctx, x, i, ElementwiseStrings.parseFloat(x.getString(i)))
                        : parsed(ctx, x, i, ElementwiseStrings.parseDouble(x.getString(i)));
            }
            return floats(to, shape, v, saturate, rounding);
        }
        Tensor out = Tensor.zeros(to, shape);
        for (int i = 0; i < n; i++) out.setLong(i, parsed(ctx, x, i, ElementwiseStrings.parseInteger(x.getString(i))));
        return out;
    }

    private static <T> T parsed(KernelContext ctx, Tensor x, int i, T value) {
        if (value == null) throw ctx.fail("cannot read string '" + x.getString(i) + "' at index " + i + " as a number");
        return value;
    }
}
