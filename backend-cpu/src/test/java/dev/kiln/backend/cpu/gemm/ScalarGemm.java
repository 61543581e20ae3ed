package dev.kiln.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;

import static dev.kiln.backend.cpu.gemm.MicroKernel.FLOAT;

/**
 * The scalar twin of {@link Gemm} and {@link FusedEpilogue}: a triple loop in double precision over the same
 * layouts, plus the sum of absolute products per element, which bounds the float rounding error of any order of
 * summation (so tolerances grow with K and with the magnitudes, not with luck).
 */
final class ScalarGemm {
    final double[] value;
    final double[] magnitude;
    final int m, n;

    private ScalarGemm(int m, int n) {
        this.m = m;
        this.n = n;
        this.value = new double[m * n];
        this.magnitude = new double[m * n];
    }

    /** {@code C0 + op(A)·op(B)} (C0 = C's current contents when accumulating), then the epilogue's formula. */
    static ScalarGemm compute(int m, int n, int k, MemorySegment a, long aOff, int lda, boolean transA,
                              MemorySegment b, long bOff, int ldb, boolean transB,
                              MemorySegment c, long cOff, int ldc, boolean accumulate, FusedEpilogue epilogue) {
        ScalarGemm r = new ScalarGemm(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = accumulate ? c.get(FLOAT, cOff + ((long) i * ldc + j) * 4) : 0, abs = Math.abs(sum);
                for (int p = 0; p < k; p++) {
                    double x = a.get(FLOAT, aOff + (transA ? (long) p * lda + i : (long) i * lda + p) * 4);
                    double y = b.get(FLOAT, bOff + (transB ? (long) j * ldb + p : (long) p * ldb + j) * 4);
                    sum += x * y;
                    abs += Math.abs(x * y);
                }
                if (epilogue != null) {
                    FusedEpilogue.Bias bias = epilogue.bias();
                    if (bias != null) {
                        double bv = bias.data().get(FLOAT, bias.offset() + (bias.perRow() ? i : j) * 4L);
                        sum += bv;
                        abs += Math.abs(bv);
                    }
                    FusedEpilogue.Residual res = epilogue.residual();
                    double rv = res == null ? 0 : res.data().get(FLOAT, res.offset() + ((long) i * res.ld() + j) * 4);
                    if (epilogue.residualFirst()) sum += rv;
                    sum = epilogue.activation().apply((float) sum);
                    if (!epilogue.residualFirst()) sum += rv;
                    abs += Math.abs(rv);
                }
                r.value[i * n + j] = sum;
                r.magnitude[i * n + j] = abs;
            }
        }
        return r;
    }

    /** The largest error of C against this result, in units of each element's tolerance (≤ 1 passes). */
    double worstError(MemorySegment c, long cOff, int ldc, int k) {
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double got = c.get(FLOAT, cOff + ((long) i * ldc + j) * 4);
                // float rounding: about one unit in 2^-24 per addition, on the sum of magnitudes.
                double tolerance = 4 * (k + 4) * 0x1p-24 * magnitude[i * n + j] + 1e-30;
                worst = Math.max(worst, Math.abs(got - value[i * n + j]) / tolerance);
                if (Double.isNaN(got)) return Double.POSITIVE_INFINITY;
            }
        }
        return worst;
    }
}
