package dev.kiln.backend.opencl.render;

import dev.kiln.ir.DType;
import dev.kiln.ir.Value;

/**
 * The OpenCL C element types of the buffers kernels read and write: float32 data, and the 8-bit operands and
 * 32-bit accumulators of quantized graphs (an FPGA's fixed-point multiply-adds).
 */
public final class CTypes {
    private CTypes() {}

    /** The C type of {@code dtype}'s elements; fails for a type no kernel handles. */
    public static String of(DType dtype) {
        return switch (dtype) {
            case F32 -> "float";
            case I8 -> "char";
            case U8 -> "uchar";
            case I32 -> "int";
            default -> throw new IllegalArgumentException("no OpenCL buffer type for " + dtype.shortName());
        };
    }

    static String of(Value v) { return of(v.tensorType().dtype()); }

    /** The smallest value of an integer type, as a float literal (for saturating in float). */
    static String min(DType dtype) {
        return switch (dtype) {
            case I8 -> "-128.0f";
            case U8 -> "0.0f";
            default -> throw new IllegalArgumentException("no saturation range for " + dtype.shortName());
        };
    }

    /** The largest value of an integer type, as a float literal. */
    static String max(DType dtype) {
        return switch (dtype) {
            case I8 -> "127.0f";
            case U8 -> "255.0f";
            default -> throw new IllegalArgumentException("no saturation range for " + dtype.shortName());
        };
    }

    /**
     * {@code value} (a float expression already rounded to an integer) plus the zero point {@code zero} (an int
     * expression), saturated to {@code dtype}'s range and converted: ONNX's {@code saturate(round(x) + zero_point)}.
     */
    static String saturate(DType dtype, String value, String zero) {
        return "(" + of(dtype) + ") clamp(" + value + " + (float) (" + zero + "), " + min(dtype) + ", " + max(dtype) + ")";
    }
}
