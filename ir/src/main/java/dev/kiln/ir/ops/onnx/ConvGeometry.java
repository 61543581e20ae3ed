package dev.kiln.ir.ops.onnx;

import dev.kiln.ir.Attribute;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The sliding-window geometry of convolution and pooling ops: kernel, strides, dilations, the resolved begin and
 * end pads (auto_pad applied) and the output size of each spatial axis. Shared by type inference and the reference
 * kernels so both agree on every output shape. Sizes of -1 stand for unknown input dims (inference only).
 */
public record ConvGeometry(long[] kernel, long[] strides, long[] dilations, long[] padsBegin, long[] padsEnd,
                           long[] output) {

    /** ONNX's auto_pad attribute. */
    public enum AutoPad {
        NOTSET, SAME_UPPER, SAME_LOWER, VALID;

        static AutoPad parse(String s) {
            return switch (s) {
                case "", "NOTSET" -> NOTSET;
                case "SAME_UPPER" -> SAME_UPPER;
                case "SAME_LOWER" -> SAME_LOWER;
                case "VALID" -> VALID;
                default -> throw new IllegalArgumentException("unknown auto_pad '" + s + "'");
            };
        }
    }

    public int rank() { return kernel.length; }

    /** Number of kernel positions (product of the kernel dims). */
    public int kernelVolume() {
        long n = 1;
        for (long k : kernel) n = Math.multiplyExact(n, k);
        return Math.toIntExact(n);
    }

    /**
     * Geometry of a forward window op (Conv, pooling) over {@code input} spatial sizes with the given kernel,
     * reading auto_pad, pads, strides and dilations through {@code attrs}. {@code ceilMode} is the pooling
     * ceil_mode; windows that would start in the end padding are dropped, as ONNX specifies.
     */
    public static ConvGeometry forward(long[] input, long[] kernel, Function<String, Attribute> attrs, boolean ceilMode) {
        int r = kernel.length;
        if (input.length != r) throw new IllegalArgumentException("kernel has " + r + " spatial dims, input has " + input.length);
        long[] strides = ints(attrs, "strides", r, 1);
        long[] dilations = ints(attrs, "dilations", r, 1);
        long[] pads = ints(attrs, "pads", 2 * r, 0);
        AutoPad autoPad = autoPad(attrs);
        long[] begin = new long[r];
        long[] end = new long[r];
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            if (kernel[i] < 1) throw new IllegalArgumentException("kernel dim " + kernel[i] + " must be positive");
            if (strides[i] < 1 || dilations[i] < 1) throw new IllegalArgumentException("strides and dilations must be positive");
            long span = (kernel[i] - 1) * dilations[i] + 1;
            long in = input[i];
            switch (autoPad) {
                case NOTSET -> {
                    begin[i] = pads[i];
                    end[i] = pads[i + r];
                    if (begin[i] < 0 || end[i] < 0) throw new IllegalArgumentException("pads must be non-negative");
                    out[i] = in < 0 ? -1 : windows(in, span, strides[i], begin[i], end[i], ceilMode);
                }
                case VALID -> out[i] = in < 0 ? -1 : windows(in, span, strides[i], 0, 0, false);
                case SAME_UPPER, SAME_LOWER -> {
                    if (in < 0) {
                        out[i] = -1;
                        begin[i] = end[i] = -1;
                        break;
                    }
                    out[i] = Math.ceilDiv(in, strides[i]);
                    long total = Math.max(0, (out[i] - 1) * strides[i] + span - in);
                    long small = total / 2;
                    begin[i] = autoPad == AutoPad.SAME_UPPER ? small : total - small;
                    end[i] = total - begin[i];
                }
            }
            if (out[i] == 0 && in >= 0) throw new IllegalArgumentException("kernel " + Arrays.toString(kernel)
                    + " does not fit input " + Arrays.toString(input) + " with the given pads");
        }
        return new ConvGeometry(kernel.clone(), strides, dilations, begin, end, out);
    }

    private static long windows(long in, long span, long stride, long begin, long end, boolean ceilMode) {
        long room = in + begin + end - span;
        if (room < 0) return 0;
        if (!ceilMode) return room / stride + 1;
        long n = Math.ceilDiv(room, stride) + 1;
        if ((n - 1) * stride >= in + begin) n--; // the last window would start inside the end padding
        return n;
    }

    /**
     * Geometry of ConvTranspose: output sizes from output_shape when given (pads then derived from it), else
     * from strides, output_padding, kernel and pads; auto_pad SAME_* asks for {@code input * stride}.
     */
    public static ConvGeometry transposed(long[] input, long[] kernel, Function<String, Attribute> attrs) {
        int r = kernel.length;
        if (input.length != r) throw new IllegalArgumentException("kernel has " + r + " spatial dims, input has " + input.length);
        long[] strides = ints(attrs, "strides", r, 1);
        long[] dilations = ints(attrs, "dilations", r, 1);
        long[] pads = ints(attrs, "pads", 2 * r, 0);
        long[] outputPadding = ints(attrs, "output_padding", r, 0);
        Attribute shapeAttr = attrs.apply("output_shape");
        long[] outputShape = shapeAttr == null ? null : shapeAttr.asInts();
        if (outputShape != null && outputShape.length < r) {
            throw new IllegalArgumentException("output_shape has " + outputShape.length + " dims, need " + r);
        }
        AutoPad autoPad = autoPad(attrs);
        long[] begin = new long[r];
        long[] end = new long[r];
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long span = (kernel[i] - 1) * dilations[i] + 1;
            long in = input[i];
            long wanted = outputShape != null ? outputShape[outputShape.length - r + i]
                    : autoPad == AutoPad.SAME_UPPER || autoPad == AutoPad.SAME_LOWER ? (in < 0 ? -1 : in * strides[i]) : -2;
            if (wanted == -2) {
                begin[i] = autoPad == AutoPad.VALID ? 0 : pads[i];
                end[i] = autoPad == AutoPad.VALID ? 0 : pads[i + r];
                out[i] = in < 0 ? -1 : strides[i] * (in - 1) + outputPadding[i] + span - begin[i] - end[i];
            } else if (in < 0) {
                out[i] = wanted;
                begin[i] = end[i] = -1;
            } else {
                long total = strides[i] * (in - 1) + outputPadding[i] + span - wanted;
                long half = Math.floorDiv(total, 2); // the spec's formula in Python: a negative total floors
                begin[i] = autoPad == AutoPad.SAME_UPPER ? half : total - half;
                end[i] = total - begin[i];
                out[i] = wanted;
            }
            if (in >= 0 && out[i] <= 0) throw new IllegalArgumentException("ConvTranspose output dim " + out[i] + " is not positive");
        }
        return new ConvGeometry(kernel.clone(), strides, dilations, begin, end, out);
    }

    private static AutoPad autoPad(Function<String, Attribute> attrs) {
        Attribute a = attrs.apply("auto_pad");
        return a == null ? AutoPad.NOTSET : AutoPad.parse(a.asString());
    }

    /** An ints attribute of exactly {@code n} values, or {@code n} copies of {@code fallback} when absent or empty. */
    static long[] ints(Function<String, Attribute> attrs, String name, int n, long fallback) {
        Attribute a = attrs.apply(name);
        long[] v = a == null ? new long[0] : a.asInts();
        if (v.length == 0) {
            v = new long[n];
            Arrays.fill(v, fallback);
        }
        if (v.length != n) throw new IllegalArgumentException(name + " has " + v.length + " values, need " + n);
        return v;
    }
}
