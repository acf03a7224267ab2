package dev.backprop.tensor;

/**
 * The micro-kernel in plain Java: a 4×4 tile held in sixteen local variables, so the JIT keeps it
 * in registers. Used when {@code jdk.incubator.vector} is not in the module graph, and as the
 * reference the vector kernel is tested against.
 */
final class PlainMicroKernel implements MicroKernel {
    static final int MR = 4;
    static final int NR = 4;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, boolean add) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int a = aOff, b = bOff;
        for (int p = 0; p < kc; p++, a += MR, b += NR) {
            double b0 = bp[b], b1 = bp[b + 1], b2 = bp[b + 2], b3 = bp[b + 3];
            double a0 = ap[a], a1 = ap[a + 1], a2 = ap[a + 2], a3 = ap[a + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        store(c, cOff, add, c00, c01, c02, c03);
        store(c, cOff + ldc, add, c10, c11, c12, c13);
        store(c, cOff + 2 * ldc, add, c20, c21, c22, c23);
        store(c, cOff + 3 * ldc, add, c30, c31, c32, c33);
    }

    private static void store(double[] c, int o, boolean add, double v0, double v1, double v2, double v3) {
        if (add) {
            c[o] += v0;
            c[o + 1] += v1;
            c[o + 2] += v2;
            c[o + 3] += v3;
        } else {
            c[o] = v0;
            c[o + 1] = v1;
            c[o + 2] = v2;
            c[o + 3] = v3;
        }
    }
}
