package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.util.Arrays;

/** Tensor conversions shared by the neural-network kernels. */
final class NnTensors {
    private NnTensors() {}

    /** A tensor of {@code dtype} holding {@code values} (rounded to the type as {@link Tensor#setDouble} does). */
    static Tensor of(DType dtype, long[] shape, double[] values) {
        return Tensor.ofDoubles(dtype, shape, values);
    }

    /** Input {@code i} as doubles, or {@code fallback} when the optional input is absent. */
    static double[] optional(KernelContext ctx, int i, double[] fallback) {
        return ctx.hasInput(i) ? ctx.input(i).toDoubles() : fallback;
    }

    /**
     * A per-channel parameter of {@code n} values: a tensor of n elements, or a single element repeated (absent
     * inputs give {@code absentValue}).
     */
    static double[] perChannel(KernelContext ctx, int i, int n, double absentValue, String what) {
        if (!ctx.hasInput(i)) {
            double[] v = new double[n];
            Arrays.fill(v, absentValue);
            return v;
        }
        Tensor t = ctx.input(i);
        if (t.size() == n) return t.toDoubles();
        if (t.size() == 1) {
            double[] v = new double[n];
            Arrays.fill(v, t.getDouble(0));
            return v;
        }
        throw ctx.fail(what + " must have 1 or " + n + " elements, got " + t.type());
    }

    /** The single value of a scalar-like input (any shape with one element). */
    static double scalar(KernelContext ctx, int i, double absentValue, String what) {
        if (!ctx.hasInput(i)) return absentValue;
        Tensor t = ctx.input(i);
        if (t.size() != 1) throw ctx.fail(what + " must have one element, got " + t.type());
        return t.getDouble(0);
    }

    /** Smallest and largest value of an integer type. */
    static long[] integerRange(DType type) {
        return switch (type) {
            case I8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case U8 -> new long[] {0, 255};
            case I16 -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case U16 -> new long[] {0, 65535};
            case I32 -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case U32 -> new long[] {0, 0xFFFFFFFFL};
            case I4 -> new long[] {-8, 7};
            case U4 -> new long[] {0, 15};
            case I2 -> new long[] {-2, 1};
            case U2 -> new long[] {0, 3};
            case I64 -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
            default -> throw new IllegalArgumentException(type + " is not a bounded integer type");
        };
    }

    /** Rounds half to even and clamps to the integer type's range, as quantizing ops do. */
    static long saturate(double v, long[] range) {
        double r = Math.rint(v);
        if (Double.isNaN(r)) return 0;
        return (long) Math.max(range[0], Math.min(range[1], r));
    }

    /** Writes rounded, saturated values into a new integer tensor. */
    static Tensor quantized(DType dtype, long[] shape, double[] values) {
        long[] range = integerRange(dtype);
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < values.length; i++) t.setLong(i, saturate(values[i], range));
        return t;
    }
}
