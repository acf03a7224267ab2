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
        switch (op) {
            case ADD -> binary(VectorOperators.ADD, op, y, a, as, b, bs, n);
            case SUB -> binary(VectorOperators.SUB, op, y, a, as, b, bs, n);
            case MUL -> binary(VectorOperators.MUL, op, y, a, as, b, bs, n);
            case DIV -> binary(VectorOperators.DIV, op, y, a, as, b, bs, n);
            case POW -> pow(y, a, as, b, bs, n);
            case NEG -> unary(VectorOperators.NEG, op, y, a, as, n);
            case SIN -> unary(VectorOperators.SIN, op, y, a, as, n);
            case COS -> unary(VectorOperators.COS, op, y, a, as, n);
            case TAN -> unary(VectorOperators.TAN, op, y, a, as, n);
            case EXP -> unary(VectorOperators.EXP, op, y, a, as, n);
            case LOG -> unary(VectorOperators.LOG, op, y, a, as, n);
            case SQRT -> unary(VectorOperators.SQRT, op, y, a, as, n);
            case TANH -> unary(VectorOperators.TANH, op, y, a, as, n);
            default -> super.apply(op, y, a, as, b, bs, n);
        }
    }

    private static void pow(double[] y, double[] a, double as, double[] b, double bs, int n) {
        // Squares and first powers are the common case ((f − y)^2 and its derivative 2·(f − y)^1);
        // the exact product beats the general lanewise pow by an order of magnitude.
        if (b == null && a != null && bs == 2) {
            binary(VectorOperators.MUL, Op.MUL, y, a, 0, a, 0, n);
        } else if (b == null && a != null && bs == 1) {
            System.arraycopy(a, 0, y, 0, n);
        } else {
            binary(VectorOperators.POW, Op.POW, y, a, as, b, bs, n);
        }
    }

    private static void binary(VectorOperators.Binary v, Op op, double[] y, double[] a, double as, double[] b, double bs, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (a != null && b != null) {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).lanewise(v, DoubleVector.fromArray(S, b, i)).intoArray(y, i);
            }
        } else if (a != null) {
            DoubleVector vb = DoubleVector.broadcast(S, bs);
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).lanewise(v, vb).intoArray(y, i);
            }
        } else if (b != null) {
            DoubleVector va = DoubleVector.broadcast(S, as);
            for (; i < bound; i += L) {
                va.lanewise(v, DoubleVector.fromArray(S, b, i)).intoArray(y, i);
            }
        }
        for (; i < n; i++) {
            y[i] = op.apply(a == null ? as : a[i], b == null ? bs : b[i]);
        }
    }

    private static void unary(VectorOperators.Unary v, Op op, double[] y, double[] a, double as, int n) {
        int i = 0;
        if (a != null) {
            int bound = S.loopBound(n);
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).lanewise(v).intoArray(y, i);
            }
        }
        for (; i < n; i++) {
            y[i] = op.apply(a == null ? as : a[i]);
        }
    }

    @Override
    void mulAdd(double[] d, boolean accumulate, double[] g, double gs, double[] e, double es, int n) {
        if (g == null) {
            if (gs == 0 || e == null) {
                // A zero adjoint contributes nothing, as in the scalar engine; two scalars are rare.
                super.mulAdd(d, accumulate, g, gs, e, es, n);
                return;
            }
            scaleAdd(d, accumulate, e, gs, n);
            return;
        }
        DoubleVector ve = e == null ? DoubleVector.broadcast(S, es) : null;
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            DoubleVector t = contribution(g, e, ve, i);
            if (accumulate) {
                t = t.add(DoubleVector.fromArray(S, d, i));
            }
            t.intoArray(d, i);
        }
        for (; i < n; i++) {
            double gi = g[i];
            double t = gi == 0 ? 0 : gi * (e == null ? es : e[i]);
            d[i] = accumulate ? d[i] + t : t;
        }
    }

    /** {@code g·e} on lanes [i, i+L), 0 where g is 0 (even if e is infinite). */
    private static DoubleVector contribution(double[] g, double[] e, DoubleVector ve, int i) {
        DoubleVector vg = DoubleVector.fromArray(S, g, i);
        DoubleVector t = vg.mul(ve != null ? ve : DoubleVector.fromArray(S, e, i));
        return t.blend(0.0, vg.compare(VectorOperators.EQ, 0.0));
    }

    /** {@code d = (accumulate ? d : 0) + c·x} for a nonzero scalar adjoint c. */
    private static void scaleAdd(double[] d, boolean accumulate, double[] x, double c, int n) {
        DoubleVector vc = DoubleVector.broadcast(S, c);
        int i = 0;
        int bound = S.loopBound(n);
        if (accumulate) {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, x, i).mul(vc).add(DoubleVector.fromArray(S, d, i)).intoArray(d, i);
            }
        } else {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, x, i).mul(vc).intoArray(d, i);
            }
        }
        for (; i < n; i++) {
            double t = x[i] * c;
            d[i] = accumulate ? d[i] + t : t;
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
        DoubleVector ve = e == null ? DoubleVector.broadcast(S, es) : null;
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            acc = acc.add(contribution(g, e, ve, i));
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double gi = g[i];
            s += gi == 0 ? 0 : gi * (e == null ? es : e[i]);
        }
        return s;
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
