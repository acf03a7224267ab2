package dev.backprop.batch;

import dev.backprop.op.Op;
import dev.backprop.runtime.Simd;

/**
 * The loops a block evaluation runs, in plain Java: each primitive over a block of points, a
 * multiply-accumulate for adjoints, and the reductions. An operand array that is {@code null} stands
 * for the scalar beside it (a parameter or a constant, the same at every point), so scalars are
 * never broadcast into memory.
 *
 * <p>Values come from {@link Op#apply}, so this kernel gives exactly the scalar engine's numbers;
 * {@code VectorKernel} overrides the hot loops with SIMD. Stateless and thread-safe.
 */
class Kernel {
    /** The SIMD kernel when {@code jdk.incubator.vector} is in the boot layer, else null. */
    static final Kernel VECTOR = loadVector();
    static final Kernel PLAIN = new Kernel();

    private static Kernel loadVector() {
        return Simd.load(java.lang.invoke.MethodHandles.lookup(), "dev.backprop.batch.VectorKernel", Kernel.class);
    }

    /** Whether this kernel uses SIMD. */
    boolean simd() {
        return false;
    }

    /** {@code y[i] = op(a[i], b[i])} for {@code i < n}; {@code b} is ignored for unary primitives. */
    void apply(Op op, double[] y, double[] a, double as, double[] b, double bs, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (a == null ? as : a[i]) + (b == null ? bs : b[i]);
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (a == null ? as : a[i]) - (b == null ? bs : b[i]);
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (a == null ? as : a[i]) * (b == null ? bs : b[i]);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    y[i] = op.apply(a == null ? as : a[i], b == null ? bs : b[i]);
                }
            }
        }
    }

    /** {@code s[i] = sin a[i]} and {@code c[i] = cos a[i]} in one pass: a derivative of one needs the other. */
    void sincos(double[] s, double[] c, double[] a, int n) {
        for (int i = 0; i < n; i++) {
            s[i] = Op.SIN.apply(a[i], 0);
            c[i] = Op.COS.apply(a[i], 0);
        }
    }

    /** {@code y[i] = a[i]·b[i] + c[i]}, rounded after the product and after the sum, as two steps would be. */
    void affine(double[] y, double[] a, double as, double[] b, double bs, double[] c, double cs, int n) {
        for (int i = 0; i < n; i++) {
            double p = (a == null ? as : a[i]) * (b == null ? bs : b[i]);
            y[i] = p + (c == null ? cs : c[i]);
        }
    }

    /**
     * {@code d[i] = c[i] + g[i]·e[i]} ({@code c == null}: 0): one adjoint contribution added to
     * what the argument had, by {@link Op#contribution}: 0 where either factor is 0, whatever the other.
     */
    void mulAdd(double[] d, double[] c, double[] g, double gs, double[] e, double es, int n) {
        for (int i = 0; i < n; i++) {
            double gi = g == null ? gs : g[i];
            double t = Op.contribution(gi, e == null ? es : e[i]);
            d[i] = c == null ? t : c[i] + t;
        }
    }

    /**
     * {@code d[i] = (x1[i]·k1 + (x2[i]·y2[i])·k2) + c[i]}, each product by {@link
     * Op#contribution}, added in that order ({@code x2 == null}: no second term; {@code y2 == null}:
     * the second term is {@code x2[i]·k2}; {@code c == null}: the scalar {@code cs} if {@code hasC},
     * else nothing is added, not even 0, which would turn a −0 into +0).
     */
    void lin(double[] d, double[] x1, double k1, double[] x2, double[] y2, double k2, double[] c, double cs, boolean hasC, int n) {
        lin(d, x1, k1, x2, y2, k2, c, cs, hasC, n, 0);
    }

    /** {@link #lin} from point {@code from} on: the SIMD kernel's tail, and the shapes it has no loop for. */
    final void lin(double[] d, double[] x1, double k1, double[] x2, double[] y2, double k2, double[] c, double cs, boolean hasC,
            int n, int from) {
        for (int i = from; i < n; i++) {
            double t = Op.contribution(x1[i], k1);
            if (x2 != null) {
                t = t + Op.contribution(y2 == null ? x2[i] : Op.contribution(x2[i], y2[i]), k2);
            }
            d[i] = hasC ? t + (c == null ? cs : c[i]) : t;
        }
    }

    /**
     * {@code d[i] = (g[i]·e1[i])·e2[i]} as two {@link #mulAdd}s without a previous value would give
     * it: each product by {@link Op#contribution}.
     */
    void mul2(double[] d, double[] g, double[] e1, double e1s, double[] e2, int n) {
        for (int i = 0; i < n; i++) {
            double gi = g[i];
            d[i] = Op.contribution(Op.contribution(gi, e1 == null ? e1s : e1[i]), e2[i]);
        }
    }

    /** {@code Σ g[i]·e[i]}, each term by {@link Op#contribution}: a contribution to a scalar, summed over the block. */
    double dot(double[] g, double gs, double[] e, double es, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double gi = g == null ? gs : g[i];
            s += Op.contribution(gi, e == null ? es : e[i]);
        }
        return s;
    }

    /**
     * Two {@link #dot}s with the same varying {@code g} in one pass: {@code out[0] = Σ g·e1},
     * {@code out[1] = Σ g·e2}, each added in the order {@code dot} would add it.
     */
    void dot2(double[] g, double[] e1, double e1s, double[] e2, double e2s, int n, double[] out) {
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double gi = g[i];
            s1 += Op.contribution(gi, e1 == null ? e1s : e1[i]);
            s2 += Op.contribution(gi, e2 == null ? e2s : e2[i]);
        }
        out[0] = s1;
        out[1] = s2;
    }

    /** {@code d[i] = c[i] + t[i]/den[i]} ({@code c == null}: 0), each quotient by {@link Op#quotientContribution}. */
    void divAdd(double[] d, double[] c, double[] t, double ts, double[] den, double dens, int n) {
        for (int i = 0; i < n; i++) {
            double q = Op.quotientContribution(t == null ? ts : t[i], den == null ? dens : den[i]);
            d[i] = c == null ? q : c[i] + q;
        }
    }

    /** {@code Σ t[i]/den[i]}, each term by {@link Op#quotientContribution}. */
    double dotDiv(double[] t, double ts, double[] den, double dens, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Op.quotientContribution(t == null ? ts : t[i], den == null ? dens : den[i]);
        }
        return s;
    }

    /** {@code Σ y[i]}. */
    double sum(double[] y, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += y[i];
        }
        return s;
    }
}
