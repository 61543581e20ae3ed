package dev.kiln.backend.cpu.qgemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Widens int8/uint8 operands into the micro-kernels' int32 panel layouts, subtracting zero points on the way
 * (zero-point corrections cost nothing more here, where every element is touched anyway). Transposition is absorbed
 * here too: the kernels only ever see panels.
 */
public final class QuantPacking {
    private QuantPacking() {}

    /** Packs {@code a} ({@code m × k}) into {@code into}, which must be sized for it. */
    public static void packLeft(QuantMatrix a, PackedLeft into) {
        int m = a.rows(), k = a.cols(), mr = into.mr();
        if (into.m() != m || into.k() != k) throw new IllegalArgumentException("packed A is " + into.m() + "x" + into.k());
        int[] dst = into.data();
        int padded = into.panels() * mr;
        for (int i = 0; i < padded; i++) {
            int to = i * k;
            if (i >= m) {
                Arrays.fill(dst, to, to + k, 0);
            } else if (a.transposed()) {
                for (int p = 0; p < k; p++) dst[to + p] = a.shifted(i, p);
            } else {
                widenRow(a.data(), a.offset() + (long) i * a.ld(), k, a.unsigned(), a.zeroPoints()[a.zeroPoints().length == 1 ? 0 : i], dst, to);
            }
        }
    }

    /**
     * {@code dst[to + p] = src[from + p] - zero} for {@code n} bytes: a row of activations, the bulk of the packing
     * done per run: a plain counted loop per signedness, which the JIT unrolls without a branch per byte.
     */
    static void widenRow(MemorySegment src, long from, int n, boolean unsigned, int zero, int[] dst, int to) {
        if (unsigned) {
            for (int p = 0; p < n; p++) dst[to + p] = (src.get(ValueLayout.JAVA_BYTE, from + p) & 0xFF) - zero;
        } else {
            for (int p = 0; p < n; p++) dst[to + p] = src.get(ValueLayout.JAVA_BYTE, from + p) - zero;
        }
    }

    /** Packs {@code b} ({@code k × n}) into {@code into}, which must be sized for it. */
    public static void packRight(QuantMatrix b, PackedRight into) {
        int k = b.rows(), n = b.cols(), nr = into.nr();
        if (into.k() != k || into.n() != n) throw new IllegalArgumentException("packed B is " + into.k() + "x" + into.n());
        int[] dst = into.data();
        for (int col = 0; col < n; col += nr) {
            int cols = Math.min(nr, n - col), out = col * k;
            for (int p = 0; p < k; p++, out += nr) {
                for (int j = 0; j < cols; j++) dst[out + j] = b.shifted(p, col + j);
                for (int j = cols; j < nr; j++) dst[out + j] = 0;
            }
        }
    }

    /** A packed copy of {@code a} for {@code kernel}. */
    static PackedLeft left(QuantMatrix a, QuantMicroKernel kernel) {
        PackedLeft packed = PackedLeft.allocate(a.rows(), a.cols(), kernel.mr);
        packLeft(a, packed);
        return packed;
    }

    /** A packed copy of {@code b} for {@code kernel}. */
    static PackedRight right(QuantMatrix b, QuantMicroKernel kernel) {
        PackedRight packed = PackedRight.allocate(b.rows(), b.cols(), kernel.nr);
        packRight(b, packed);
        return packed;
    }
}
