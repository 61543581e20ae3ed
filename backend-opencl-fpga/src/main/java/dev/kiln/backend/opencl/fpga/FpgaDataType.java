package dev.kiln.backend.opencl.fpga;

/**
 * The arithmetic a design's multiply-add lanes use: IEEE single precision (what Kiln's kernels compute today), or
 * 8-/16-bit fixed point for quantized graphs (the configuration of published designs such as PipeCNN).
 */
public enum FpgaDataType {
    FP32(4), INT8(1), INT16(2);

    private final int bytes;

    FpgaDataType(int bytes) { this.bytes = bytes; }

    /** Bytes one element of this type takes in memory. */
    public int bytes() { return bytes; }

    /** The type for a command-line or report name ({@code fp32}, {@code int8}, {@code int16}). */
    public static FpgaDataType named(String name) {
        for (FpgaDataType t : values()) {
            if (t.name().equalsIgnoreCase(name)) return t;
        }
        throw new IllegalArgumentException("unknown FPGA data type '" + name + "' (known: fp32, int8, int16)");
    }
}
