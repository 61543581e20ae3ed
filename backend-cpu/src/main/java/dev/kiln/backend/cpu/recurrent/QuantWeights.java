package dev.kiln.backend.cpu.recurrent;

import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the constant operands of the dynamically quantized recurrent ops at compile time: 8-bit weights
 * {@code [dirs, k, n]} and their scales and zero points, {@code [dirs]} (per tensor) or {@code [dirs, n]} (per column).
 */
final class QuantWeights {
    private QuantWeights() {}

    static boolean isByte(Tensor t) { return t.dtype() == DType.I8 || t.dtype() == DType.U8; }

    /** Direction {@code d}'s n values of a per-tensor or per-column parameter, as ints (zero points). */
    static int[] ints(Tensor t, int d, int n) {
        int[] v = new int[n];
        for (int j = 0; j < n; j++) v[j] = (int) t.getLong(index(t, d, n, j));
        return v;
    }

    /** Direction {@code d}'s n values of a per-tensor or per-column parameter, as floats (scales). */
    static float[] floats(Tensor t, int d, int n) {
        float[] v = new float[n];
        for (int j = 0; j < n; j++) v[j] = (float) t.getDouble(index(t, d, n, j));
        return v;
    }

    /** Per column when it holds {@code dirs·n} values, else per tensor ({@code dirs} values; n ≥ 3 gates exceeds dirs ≤ 2). */
    private static int index(Tensor t, int d, int n, int j) { return t.size() >= n ? d * n + j : d; }

    /** All of {@code t}'s bytes in a segment, for the GEMM's packing. */
    static MemorySegment bytes(Tensor t) {
        MemorySegment s = Arena.ofAuto().allocate(t.size());
        for (int i = 0; i < t.size(); i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) t.getLong(i));
        return s;
    }

    /** Direction {@code d} of R ({@code k × n}) widened to int32 minus its zero points, row-major. */
    static int[] widened(Tensor r, int d, int k, int n, int[] zero) {
        int[] v = new int[k * n];
        for (int i = 0; i < v.length; i++) v[i] = (int) r.getLong(d * k * n + i) - zero[i % n];
        return v;
    }
}
