package dev.backprop.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernel with {@code jdk.incubator.vector}: a 6 × (2 vectors) tile of C in twelve vector
 * accumulators, one fused multiply-add per accumulator per k step (on AVX2: 6×8 doubles, 12 of the
 * 16 ymm registers, two loads of B and six broadcasts of A per 12 FMAs).
 *
 * <p>The only class in the library that names the incubator module. {@link Gemm} loads it
 * reflectively and only when the module is present, so the rest of core runs without
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorMicroKernel implements MicroKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;

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
        return "vector(" + S.vectorBitSize() + "-bit)";
    }

    @Override
    public void tile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cOff, int ldc, boolean add) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        DoubleVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int a = aOff, b = bOff;
        for (int p = 0; p < kc; p++, a += MR, b += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, b);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, b + L);
            DoubleVector x = DoubleVector.broadcast(S, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, ap[a + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[a + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        store(c, cOff, add, c00, c01);
        store(c, cOff + ldc, add, c10, c11);
        store(c, cOff + 2 * ldc, add, c20, c21);
        store(c, cOff + 3 * ldc, add, c30, c31);
        store(c, cOff + 4 * ldc, add, c40, c41);
        store(c, cOff + 5 * ldc, add, c50, c51);
    }

    private static void store(double[] c, int o, boolean add, DoubleVector v0, DoubleVector v1) {
        if (add) {
            v0 = v0.add(DoubleVector.fromArray(S, c, o));
            v1 = v1.add(DoubleVector.fromArray(S, c, o + L));
        }
        v0.intoArray(c, o);
        v1.intoArray(c, o + L);
    }
}
