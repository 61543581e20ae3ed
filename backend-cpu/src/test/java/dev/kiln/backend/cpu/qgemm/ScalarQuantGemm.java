package dev.kiln.backend.cpu.qgemm;

/** The scalar twin of {@link QuantGemm}: {@code C = (A - za)·(B - zb)} by definition, in int32 like the kernels. */
final class ScalarQuantGemm {
    private ScalarQuantGemm() {}

    static int[] multiply(QuantMatrix a, QuantMatrix b) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        int[] c = new int[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int s = 0;
                for (int p = 0; p < k; p++) s += a.shifted(i, p) * b.shifted(p, j);
                c[i * n + j] = s;
            }
        }
        return c;
    }
}
