package dev.kiln.interpreter.kernels;

/**
 * The dense matrix product at the heart of Conv, Gemm and MatMul: {@code C += A * B} (or {@code A * B^T}) on
 * row-major double arrays with offsets and leading dimensions. Blocked so that a strip of B stays in cache while
 * rows of A sweep over it; the inner loop is a contiguous multiply-add the JIT vectorizes.
 */
final class NnGemm {
    private static final int COLUMN_BLOCK = 512;
    private static final int DEPTH_BLOCK = 256;

    private NnGemm() {}

    /** {@code C[m x n] += A[m x k] * B[k x n]}. */
    static void multiply(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                         double[] c, int cOff, int ldc) {
        double[] acc = new double[Math.min(COLUMN_BLOCK, n)];
        for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
            int nc = Math.min(COLUMN_BLOCK, n - j0);
            for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
                int kc = Math.min(DEPTH_BLOCK, k - p0);
                for (int i = 0; i < m; i++) {
                    int cRow = cOff + i * ldc + j0;
                    System.arraycopy(c, cRow, acc, 0, nc);
                    int aRow = aOff + i * lda;
                    for (int p = p0; p < p0 + kc; p++) {
                        double w = a[aRow + p];
                        int bRow = bOff + p * ldb + j0;
                        for (int j = 0; j < nc; j++) acc[j] += w * b[bRow + j];
                    }
                    System.arraycopy(acc, 0, c, cRow, nc);
                }
            }
        }
    }

    /** {@code C[m x n] += A[m x k] * B^T} where B is stored {@code n x k}: row-by-row dot products. */
    static void multiplyTransposedB(int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                                    double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int bRow = bOff + j * ldb;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int p = 0;
                for (; p + 4 <= k; p += 4) {
                    s0 += a[aRow + p] * b[bRow + p];
                    s1 += a[aRow + p + 1] * b[bRow + p + 1];
                    s2 += a[aRow + p + 2] * b[bRow + p + 2];
                    s3 += a[aRow + p + 3] * b[bRow + p + 3];
                }
                for (; p < k; p++) s0 += a[aRow + p] * b[bRow + p];
                c[cOff + i * ldc + j] += (s0 + s1) + (s2 + s3);
            }
        }
    }

    /** The transpose of a row-major {@code rows x cols} block starting at {@code off}. */
    static double[] transpose(double[] src, int off, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = src[off + r * cols + c];
        }
        return t;
    }
}
