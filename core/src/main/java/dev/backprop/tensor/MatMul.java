package dev.backprop.tensor;

/**
 * The matrix kernels, kept in one place so a faster (blocked, vectorised) kernel can replace them
 * without touching the autograd. Row-major arrays throughout.
 */
final class MatMul {
    private MatMul() {
    }

    /**
     * C = A·B for A (m×k) and B (k×n). Loop order i-k-j: the inner loop runs along a row of B and
     * a row of C, both contiguous, so the JIT can vectorise it. No element is skipped, so NaN and
     * infinity propagate as in IEEE arithmetic (0·∞ = NaN).
     */
    static double[] multiply(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            int ai = i * k;
            for (int p = 0; p < k; p++) {
                double aip = a[ai + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
        return c;
    }

    /** The transpose of an m×n matrix. */
    static double[] transpose(double[] a, int m, int n) {
        double[] t = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j * m + i] = a[i * n + j];
            }
        }
        return t;
    }
}
