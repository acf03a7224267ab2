package dev.backprop.batch;

import dev.backprop.op.Op;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel: the only class that touches {@code jdk.incubator.vector}. Loaded reflectively by
 * {@link Kernel}, so core runs (on the plain path) when the JVM lacks the module.
 *
 * <p>Each primitive with a lanewise form (arithmetic, sin, cos, tan, exp, log, sqrt, tanh, pow)
 * runs as {@link DoubleVector} operations; the vector transcendentals agree with {@link Math}'s
 * within an ulp or so, not bit for bit. The rest (sigmoid, relu, abs, max, min, step, sign) use the
 * plain loops, whose values come from {@link Op} itself. The operator is a constant at every call
 * site below, which is what lets the JIT turn {@code lanewise} into machine instructions.
 */
final class VectorKernel extends Kernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    boolean simd() {
        return true;
    }

    @Override
    void apply(Op op, double[] y, double[] a, double as, double[] b, double bs, int n) {
        if (op.arity() == 1 && a == null) {
            super.apply(op, y, a, as, b, bs, n); // a scalar argument: nothing to vectorise
            return;
        }
        int i = switch (op) {
            case ADD -> add(y, a, as, b, bs, n);
            case SUB -> sub(y, a, as, b, bs, n);
            case MUL -> mul(y, a, as, b, bs, n);
            case DIV -> div(y, a, as, b, bs, n);
            case POW -> pow(y, a, as, b, bs, n);
            case NEG -> neg(y, a, n);
            case SIN -> sin(y, a, n);
            case COS -> cos(y, a, n);
            case TAN -> tan(y, a, n);
            case EXP -> exp(y, a, n);
            case LOG -> log(y, a, n);
            case SQRT -> sqrt(y, a, n);
            case TANH -> tanh(y, a, n);
            default -> 0;
        };
        for (; i < n; i++) {
            y[i] = op.apply(a == null ? as : a[i], b == null ? bs : b[i]);
        }
    }

    // One method per primitive, each naming its operator literally: the JIT turns lanewise calls
    // into machine code only when the operator is a constant where it compiles them. Each returns
    // the index where its vector loop stopped; apply finishes the tail with Op.

    private static DoubleVector load(double[] a, double s, int i) {
        return a == null ? DoubleVector.broadcast(S, s) : DoubleVector.fromArray(S, a, i);
    }

    private static int add(double[] y, double[] a, double as, double[] b, double bs, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            load(a, as, i).add(load(b, bs, i)).intoArray(y, i);
        }
        return i;
    }

    private static int sub(double[] y, double[] a, double as, double[] b, double bs, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            load(a, as, i).sub(load(b, bs, i)).intoArray(y, i);
        }
        return i;
    }

    private static int mul(double[] y, double[] a, double as, double[] b, double bs, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            load(a, as, i).mul(load(b, bs, i)).intoArray(y, i);
        }
        return i;
    }

    private static int div(double[] y, double[] a, double as, double[] b, double bs, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            load(a, as, i).div(load(b, bs, i)).intoArray(y, i);
        }
        return i;
    }

    private static int pow(double[] y, double[] a, double as, double[] b, double bs, int n) {
        // Squares and first powers are the common case ((f − y)^2 and its derivative 2·(f − y)^1);
        // the exact product beats the general lanewise pow by an order of magnitude.
        if (b == null && a != null && bs == 2) {
            return mul(y, a, 0, a, 0, n);
        }
        if (b == null && a != null && bs == 1) {
            System.arraycopy(a, 0, y, 0, n);
            return n;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            load(a, as, i).lanewise(VectorOperators.POW, load(b, bs, i)).intoArray(y, i);
        }
        return i;
    }

    private static int neg(double[] y, double[] a, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.NEG).intoArray(y, i);
        }
        return i;
    }

    private static int sin(double[] y, double[] a, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.SIN).intoArray(y, i);
        }
        return i;
    }

    private static int cos(double[] y, double[] a, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.COS).intoArray(y, i);
        }
        return i;
    }

    private static int tan(double[] y, double[] a, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.TAN).intoArray(y, i);
        }
        return i;
    }

    private static int exp(double[] y, double[] a, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.EXP).intoArray(y, i);
        }
        return i;
    }

    private static int log(double[] y, double[] a, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.LOG).intoArray(y, i);
        }
        return i;
    }

    private static int sqrt(double[] y, double[] a, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.SQRT).intoArray(y, i);
        }
        return i;
    }

    private static int tanh(double[] y, double[] a, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.TANH).intoArray(y, i);
        }
        return i;
    }

    @Override
    void affine(double[] y, double[] a, double as, double[] b, double bs, double[] c, double cs, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            load(a, as, i).mul(load(b, bs, i)).add(load(c, cs, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            double p = (a == null ? as : a[i]) * (b == null ? bs : b[i]);
            y[i] = p + (c == null ? cs : c[i]);
        }
    }

    @Override
    void mulAdd(double[] d, double[] c, double[] g, double gs, double[] e, double es, int n) {
        if (g == null) {
            if (gs == 0 || e == null) {
                // A zero adjoint contributes nothing, as in the scalar engine; two scalars are rare.
                super.mulAdd(d, c, g, gs, e, es, n);
                return;
            }
            scaleAdd(d, c, e, gs, n);
            return;
        }
        DoubleVector ve = DoubleVector.broadcast(S, es);
        int i = 0;
        int bound = S.loopBound(n);
        if (c == null && e != null) {
            for (; i < bound; i += L) {
                contribution(g, e, i).intoArray(d, i);
            }
        } else if (c == null) {
            for (; i < bound; i += L) {
                contribution(g, ve, i).intoArray(d, i);
            }
        } else if (e != null) {
            for (; i < bound; i += L) {
                contribution(g, e, i).add(DoubleVector.fromArray(S, c, i)).intoArray(d, i);
            }
        } else {
            for (; i < bound; i += L) {
                contribution(g, ve, i).add(DoubleVector.fromArray(S, c, i)).intoArray(d, i);
            }
        }
        for (; i < n; i++) {
            double gi = g[i];
            double t = gi == 0 ? 0 : gi * (e == null ? es : e[i]);
            d[i] = c == null ? t : c[i] + t;
        }
    }

    /** {@code g·e} on lanes [i, i+L), 0 where g is 0 (even if e is infinite). */
    private static DoubleVector contribution(double[] g, double[] e, int i) {
        DoubleVector vg = DoubleVector.fromArray(S, g, i);
        return vg.mul(DoubleVector.fromArray(S, e, i)).blend(0.0, vg.compare(VectorOperators.EQ, 0.0));
    }

    /** {@code g·e} for a scalar e (broadcast in {@code ve}), 0 where g is 0. */
    private static DoubleVector contribution(double[] g, DoubleVector ve, int i) {
        DoubleVector vg = DoubleVector.fromArray(S, g, i);
        return vg.mul(ve).blend(0.0, vg.compare(VectorOperators.EQ, 0.0));
    }

    // The loops below are written out once for an array e and once for a scalar one: choosing the
    // vector with `e == null ? broadcast : fromArray` inside the loop made C2 box every
    // Double256Vector (about 37 bytes allocated per point of the toy gradient, seen with JFR).

    /** {@code d = c + k·x} ({@code c == null}: 0) for a nonzero scalar adjoint k. */
    private static void scaleAdd(double[] d, double[] c, double[] x, double k, int n) {
        DoubleVector vk = DoubleVector.broadcast(S, k);
        int i = 0;
        int bound = S.loopBound(n);
        if (c != null) {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, x, i).mul(vk).add(DoubleVector.fromArray(S, c, i)).intoArray(d, i);
            }
        } else {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, x, i).mul(vk).intoArray(d, i);
            }
        }
        for (; i < n; i++) {
            double t = x[i] * k;
            d[i] = c == null ? t : c[i] + t;
        }
    }

    @Override
    double dot(double[] g, double gs, double[] e, double es, int n) {
        if (g == null) {
            if (gs == 0 || e == null) {
                return super.dot(g, gs, e, es, n);
            }
            return gs * sum(e, n);
        }
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        if (e != null) {
            for (; i < bound; i += L) {
                acc = acc.add(contribution(g, e, i));
            }
        } else {
            DoubleVector ve = DoubleVector.broadcast(S, es);
            for (; i < bound; i += L) {
                acc = acc.add(contribution(g, ve, i));
            }
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double gi = g[i];
            s += gi == 0 ? 0 : gi * (e == null ? es : e[i]);
        }
        return s;
    }

    @Override
    void dot2(double[] g, double[] e1, double e1s, double[] e2, double e2s, int n, double[] out) {
        DoubleVector ve1 = DoubleVector.broadcast(S, e1s);
        DoubleVector ve2 = DoubleVector.broadcast(S, e2s);
        DoubleVector acc1 = DoubleVector.zero(S);
        DoubleVector acc2 = DoubleVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        if (e1 != null && e2 != null) {
            for (; i < bound; i += L) {
                acc1 = acc1.add(contribution(g, e1, i));
                acc2 = acc2.add(contribution(g, e2, i));
            }
        } else if (e1 != null) {
            for (; i < bound; i += L) {
                acc1 = acc1.add(contribution(g, e1, i));
                acc2 = acc2.add(contribution(g, ve2, i));
            }
        } else if (e2 != null) {
            for (; i < bound; i += L) {
                acc1 = acc1.add(contribution(g, ve1, i));
                acc2 = acc2.add(contribution(g, e2, i));
            }
        } else {
            for (; i < bound; i += L) {
                acc1 = acc1.add(contribution(g, ve1, i));
                acc2 = acc2.add(contribution(g, ve2, i));
            }
        }
        double s1 = acc1.reduceLanes(VectorOperators.ADD);
        double s2 = acc2.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double gi = g[i];
            s1 += gi == 0 ? 0 : gi * (e1 == null ? e1s : e1[i]);
            s2 += gi == 0 ? 0 : gi * (e2 == null ? e2s : e2[i]);
        }
        out[0] = s1;
        out[1] = s2;
    }

    @Override
    double sum(double[] y, int n) {
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            acc = acc.add(DoubleVector.fromArray(S, y, i));
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += y[i];
        }
        return s;
    }
}
