package dev.backprop.tensor;

/**
 * The matrix products the tensors use, kept in one place; each is one call to {@link Gemm}, which
 * reads transposed operands in place, so no transpose is ever copied for a product. Row-major
 * arrays throughout.
 */
final class MatMul {
    private MatMul() {
    }

    /** C = A·B for A (m×k) and B (k×n). */
    static double[] multiply(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        Gemm.multiply(m, n, k, a, false, b, false, c, false);
        return c;
    }

    /** C = Aᵀ·B for A stored k×m and B (k×n): the gradient of the right operand of a product. */
    static double[] multiplyTransposedA(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        Gemm.multiply(m, n, k, a, true, b, false, c, false);
        return c;
    }

    /** C = A·Bᵀ for A (m×k) and B stored n×k: the gradient of the left operand of a product. */
    static double[] multiplyTransposedB(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        Gemm.multiply(m, n, k, a, false, b, true, c, false);
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
