package dev.backprop.batch;

import dev.backprop.op.Op;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel: the only class that touches {@code jdk.incubator.vector}. Loaded reflectively by
 * {@link Kernel}, so core runs (on the plain path) when the JVM lacks the module.
 *
 * <p>Each primitive with a lanewise form (arithmetic, sin, cos, tan, exp, log, sqrt, tanh, pow)
 * runs as {@link DoubleVector} operations; the vector transcendentals agree with {@link Math}'s
 * within an ulp or so, not bit for bit. A sine and a cosine of the same block, which every
 * derivative of either asks for, are computed here instead, from one reduction by π/2 and two
 * polynomials, within an ulp of {@link StrictMath}: {@link #sincos(double[], double[], double[],
 * int)} gives the pair for about the price of the library's {@code SIN} alone. A lone sine stays
 * the library's, so a loss computed alone and the same loss in a gradient run may differ in the
 * last bit. The rest (sigmoid, relu, abs, max, min, step, sign) use the plain loops, whose values
 * come from {@link Op} itself. The operator is a constant at every call
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
        if (op.unary() && a == null) {
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
    //
    // An operand is an array or a scalar (null array), and each shape has its own loop: a loop
    // that chose per vector, a == null ? broadcast : fromArray, compiled to boxed vectors and the
    // Vector API's Java fallback once the same code had seen both shapes (an affine step then
    // took ~5 times its time in the toy's forward pass; JFR samples in DoubleVector.ldOp). Sums
    // and products are commutative in IEEE arithmetic, bit for bit, so a scalar is always put on
    // one side for them.

    private static int add(double[] y, double[] a, double as, double[] b, double bs, int n) {
        if (a == null || b == null) {
            return a == null ? addScalar(y, b, as, n) : addScalar(y, a, bs, n);
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).add(DoubleVector.fromArray(S, b, i)).intoArray(y, i);
        }
        return i;
    }

    private static int addScalar(double[] y, double[] a, double s, int n) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).add(vs).intoArray(y, i);
        }
        return i;
    }

    private static int sub(double[] y, double[] a, double as, double[] b, double bs, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (a == null) {
            DoubleVector va = DoubleVector.broadcast(S, as);
            for (; i < bound; i += L) {
                va.sub(DoubleVector.fromArray(S, b, i)).intoArray(y, i);
            }
        } else if (b == null) {
            DoubleVector vb = DoubleVector.broadcast(S, bs);
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).sub(vb).intoArray(y, i);
            }
        } else {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).sub(DoubleVector.fromArray(S, b, i)).intoArray(y, i);
            }
        }
        return i;
    }

    private static int mul(double[] y, double[] a, double as, double[] b, double bs, int n) {
        if (a == null || b == null) {
            return a == null ? mulScalar(y, b, as, n) : mulScalar(y, a, bs, n);
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).mul(DoubleVector.fromArray(S, b, i)).intoArray(y, i);
        }
        return i;
    }

    private static int mulScalar(double[] y, double[] a, double s, int n) {
        DoubleVector vs = DoubleVector.broadcast(S, s);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, a, i).mul(vs).intoArray(y, i);
        }
        return i;
    }

    private static int div(double[] y, double[] a, double as, double[] b, double bs, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (a == null) {
            DoubleVector va = DoubleVector.broadcast(S, as);
            for (; i < bound; i += L) {
                va.div(DoubleVector.fromArray(S, b, i)).intoArray(y, i);
            }
        } else if (b == null) {
            DoubleVector vb = DoubleVector.broadcast(S, bs);
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).div(vb).intoArray(y, i);
            }
        } else {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).div(DoubleVector.fromArray(S, b, i)).intoArray(y, i);
            }
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
        int bound = S.loopBound(n);
        if (a == null) {
            DoubleVector va = DoubleVector.broadcast(S, as);
            for (; i < bound; i += L) {
                va.lanewise(VectorOperators.POW, DoubleVector.fromArray(S, b, i)).intoArray(y, i);
            }
        } else if (b == null) {
            DoubleVector vb = DoubleVector.broadcast(S, bs);
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.POW, vb).intoArray(y, i);
            }
        } else {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, a, i).lanewise(VectorOperators.POW, DoubleVector.fromArray(S, b, i)).intoArray(y, i);
            }
        }
        // Op's pow is C's where Java's differs: 1 at a = 1 for every b, and at (−1, ±∞). The
        // Vector API gives NaN there once compiled and 1 or NaN before: one answer, always.
        for (int j = 0; j < i; j++) {
            double x = a == null ? as : a[j];
            if (x == 1 || (x == -1 && Double.isInfinite(b == null ? bs : b[j]))) {
                y[j] = 1;
            }
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

    @Override
    void sincos(double[] s, double[] c, double[] a, int n) {
        int i = sincosVector(s, c, a, n);
        for (; i < n; i++) {
            s[i] = Op.SIN.apply(a[i], 0);
            c[i] = Op.COS.apply(a[i], 0);
        }
    }

    // Sine and cosine. x = q·π/2 + r with q an integer and |r| ≤ π/4; then sin x and cos x are
    // ±sin r or ±cos r as q mod 4 says. r is x − q·(P1 + P2 + P3) by three fused multiply-adds:
    // P1 + P2 + P3 is π/2 to about 2^-160, q·P1 is subtracted exactly for |q| < 2^21, so for
    // |x| ≤ 2^20 the reduced argument is good to about an ulp. Larger |x| (and NaN) take Math's
    // path after the loop, so the loop itself has no branch. P2 is rounded down so every part is
    // positive, and the parts are subtracted as x + q·(−P): at q = +0 each product is −0, so
    // x = −0 reduces to −0, not +0 (sin −0 is −0).
    private static final double TWO_OVER_PI = 0x1.45f306dc9c883p-1;
    /** 1.5·2^52: adding it rounds to an integer and leaves that integer in the low mantissa bits. */
    private static final double ROUND = 0x1.8p52;
    static final double PIO2_1 = 0x1.921fb54442d18p0;
    static final double PIO2_2 = 0x1.1a62633145c06p-54;
    static final double PIO2_3 = 0x1.c1cd129024e09p-107;
    static final double REDUCTION_LIMIT = 0x1p20;
    private static final DoubleVector ONE = DoubleVector.broadcast(S, 1.0);
    private static final DoubleVector HALF = DoubleVector.broadcast(S, 0.5);
    private static final DoubleVector TWO_OVER_PI_V = DoubleVector.broadcast(S, TWO_OVER_PI);
    private static final DoubleVector ROUND_V = DoubleVector.broadcast(S, ROUND);
    private static final DoubleVector MINUS_PIO2_1 = DoubleVector.broadcast(S, -PIO2_1);
    private static final DoubleVector MINUS_PIO2_2 = DoubleVector.broadcast(S, -PIO2_2);
    private static final DoubleVector MINUS_PIO2_3 = DoubleVector.broadcast(S, -PIO2_3);
    // Taylor series of sin r / r − 1 and of (cos r − 1 + r²/2) / r⁴ in z = r², to the terms in
    // r^17 and r^18: on |r| ≤ π/4 the first term left out is below 1e-19 of the result.
    private static final DoubleVector S3 = DoubleVector.broadcast(S, -1.0 / 6);
    private static final DoubleVector S5 = DoubleVector.broadcast(S, 1.0 / 120);
    private static final DoubleVector S7 = DoubleVector.broadcast(S, -1.0 / 5040);
    private static final DoubleVector S9 = DoubleVector.broadcast(S, 1.0 / 362880);
    private static final DoubleVector S11 = DoubleVector.broadcast(S, -1.0 / 39916800);
    private static final DoubleVector S13 = DoubleVector.broadcast(S, 1.0 / 6227020800.0);
    private static final DoubleVector S15 = DoubleVector.broadcast(S, -1.0 / 1307674368000.0);
    private static final DoubleVector S17 = DoubleVector.broadcast(S, 1.0 / 355687428096000.0);
    private static final DoubleVector C4 = DoubleVector.broadcast(S, 1.0 / 24);
    private static final DoubleVector C6 = DoubleVector.broadcast(S, -1.0 / 720);
    private static final DoubleVector C8 = DoubleVector.broadcast(S, 1.0 / 40320);
    private static final DoubleVector C10 = DoubleVector.broadcast(S, -1.0 / 3628800);
    private static final DoubleVector C12 = DoubleVector.broadcast(S, 1.0 / 479001600);
    private static final DoubleVector C14 = DoubleVector.broadcast(S, -1.0 / 87178291200.0);
    private static final DoubleVector C16 = DoubleVector.broadcast(S, 1.0 / 20922789888000.0);
    private static final DoubleVector C18 = DoubleVector.broadcast(S, -1.0 / 6402373705728000.0);

    // How this is cut up is about JDK 17's C2, measured: vectors must not cross a call (a helper
    // compiled on its own is called, not inlined, and every vector is boxed), and a loop body must
    // stay well inside C2's node budget: one loop doing reduction, both polynomials and the
    // quadrant, and then two loops (polynomials; quadrant), each compiled well in some runs and,
    // depending on which kernels had run and compiled first, had an intrinsic fail near the end of
    // the body and allocated 16-220 bytes a point and ran 3-10 times slower (JFR allocation
    // samples, -XX:+PrintInlining). Four short loops that pass r, sin r and cos r through the
    // output arrays, each compiled on its own, cost a few loads and stores and compile whole;
    // choosing with mask blends did not.
    // A reduction by π with one polynomial, tried for a lone sine, was 0.7 of the library's time
    // but up to 3 ulps off near ±1 (r + r³·p cancels there), so lone sines stay the library's.

    /** sin into {@code s}, cos into {@code c} over the vector part of [0, n); returns where it stopped. */
    private static int sincosVector(double[] s, double[] c, double[] a, int n) {
        int end = S.loopBound(n);
        boolean large = false;
        for (SinCosPass pass : SINCOS_PASSES) {
            large |= pass.run(s, c, a, end);
        }
        if (large) {
            redoLarge(Op.SIN, s, a, end);
            redoLarge(Op.COS, c, a, end);
        }
        return end;
    }

    /** One of the four loops of {@link #sincosVector}; returns whether some |x| was too large. */
    private interface SinCosPass {
        boolean run(double[] s, double[] c, double[] a, int end);
    }

    /**
     * Called through this array, so the call site sees four classes and C2 compiles each loop on
     * its own: called directly, the loops were small enough to be inlined back into one method,
     * and that method again failed to compile whole in some runs.
     */
    private static final SinCosPass[] SINCOS_PASSES = {
        (s, c, a, end) -> reduce(c, a, end),
        (s, c, a, end) -> sinOfReduced(s, c, end),
        (s, c, a, end) -> cosOfReduced(c, end),
        VectorKernel::placeInQuadrant,
    };

    /** r = x − q·π/2 into {@code r} over [0, end), a multiple of the lane count. */
    private static boolean reduce(double[] r, double[] a, int end) {
        for (int i = 0; i < end; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, a, i);
            DoubleVector q = x.fma(TWO_OVER_PI_V, ROUND_V).sub(ROUND_V);
            q.fma(MINUS_PIO2_3, q.fma(MINUS_PIO2_2, q.fma(MINUS_PIO2_1, x))).intoArray(r, i);
        }
        return false;
    }

    /** sin r into {@code s} for the r in {@code reduced}, over [0, end). */
    private static boolean sinOfReduced(double[] s, double[] reduced, int end) {
        for (int i = 0; i < end; i += L) {
            DoubleVector r = DoubleVector.fromArray(S, reduced, i);
            DoubleVector z = r.mul(r);
            // Estrin's scheme: four independent pairs, then z² and z⁴, a shorter chain than Horner's.
            DoubleVector z2 = z.mul(z);
            DoubleVector z4 = z2.mul(z2);
            DoubleVector p = z.fma(S9, S7).fma(z2, z.fma(S5, S3))
                    .add(z.fma(S17, S15).fma(z2, z.fma(S13, S11)).mul(z4));
            // r + r·z·p; the correction is +0 when r = −0, so the sign of r is put back (sin r and
            // r have the same sign on |r| ≤ π/4).
            z.mul(p).fma(r, r).reinterpretAsLongs().or(r.reinterpretAsLongs().and(Long.MIN_VALUE))
                    .reinterpretAsDoubles().intoArray(s, i);
        }
        return false;
    }

    /** cos r over [0, end), in place: {@code c} holds r and receives cos r. */
    private static boolean cosOfReduced(double[] c, int end) {
        for (int i = 0; i < end; i += L) {
            DoubleVector r = DoubleVector.fromArray(S, c, i);
            DoubleVector z = r.mul(r);
            DoubleVector z2 = z.mul(z);
            DoubleVector z4 = z2.mul(z2);
            DoubleVector p = z.fma(C10, C8).fma(z2, z.fma(C6, C4))
                    .add(z.fma(C18, C16).fma(z2, z.fma(C14, C12)).mul(z4));
            // 1 − z/2 + z²·p, with the rounding error of w = 1 − z/2 carried into the small terms:
            // (w − 1) + z/2 is that error, negated (w − 1 is exact for w ≥ 1/2). Written without a
            // constant vector as the receiver: ONE.sub(w) made C2 fall back to Java in some runs.
            DoubleVector half = z.mul(HALF);
            DoubleVector w = half.neg().add(ONE);
            w.add(z2.mul(p).sub(w.sub(ONE).add(half))).intoArray(c, i);
        }
        return false;
    }

    /**
     * Turns sin r, cos r (in {@code s}, {@code c}) into sin x, cos x over [0, end); returns
     * whether some |x| there was too large to reduce (or NaN). q mod 4 picks ±sin r or ±cos r:
     * 0 → sin r, 1 → cos r, 2 → −sin r, 3 → −cos r for the sine, and the cosine is the sine of
     * the next quadrant. The choice is bitwise, (a & ~odd) | (b & odd) with odd all ones or all
     * zeros, then the sign by XOR.
     */
    private static boolean placeInQuadrant(double[] s, double[] c, double[] a, int end) {
        // A flag, not a vector, carried round the loop: a LongVector accumulator lost its exact
        // type in C2 after some other kernels had run and was boxed; DoubleVector.max is not
        // compiled to an instruction here at all.
        boolean large = false;
        for (int i = 0; i < end; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, a, i);
            large |= !x.abs().compare(VectorOperators.LE, REDUCTION_LIMIT).allTrue();
            LongVector quadrant = x.fma(TWO_OVER_PI_V, ROUND_V).reinterpretAsLongs();
            LongVector odd = quadrant.and(1L).neg();
            LongVector sinR = DoubleVector.fromArray(S, s, i).reinterpretAsLongs();
            LongVector cosR = DoubleVector.fromArray(S, c, i).reinterpretAsLongs();
            sinR.lanewise(VectorOperators.AND_NOT, odd).or(cosR.and(odd))
                    .lanewise(VectorOperators.XOR, quadrant.and(2L).lanewise(VectorOperators.LSHL, 62))
                    .reinterpretAsDoubles().intoArray(s, i);
            cosR.lanewise(VectorOperators.AND_NOT, odd).or(sinR.and(odd))
                    .lanewise(VectorOperators.XOR, quadrant.add(1L).and(2L).lanewise(VectorOperators.LSHL, 62))
                    .reinterpretAsDoubles().intoArray(c, i);
        }
        return large;
    }


    /** Redoes with Math the lanes in [0, end) that the vector loop could not reduce: |x| > 2^20, NaN. */
    private static void redoLarge(Op op, double[] y, double[] a, int end) {
        for (int j = 0; j < end; j++) {
            if (!(Math.abs(a[j]) <= REDUCTION_LIMIT)) {
                y[j] = op.apply(a[j], 0);
            }
        }
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
        // One loop per shape (see the binary operations above); a scalar factor goes first.
        double[] arr = a == null ? b : a;
        double[] other = a == null ? null : b;
        double scalar = a == null ? as : bs;
        int i = 0;
        int bound = S.loopBound(n);
        if (other == null) {
            DoubleVector vs = DoubleVector.broadcast(S, scalar);
            if (c == null) {
                DoubleVector vc = DoubleVector.broadcast(S, cs);
                for (; i < bound; i += L) {
                    vs.mul(DoubleVector.fromArray(S, arr, i)).add(vc).intoArray(y, i);
                }
            } else {
                for (; i < bound; i += L) {
                    vs.mul(DoubleVector.fromArray(S, arr, i)).add(DoubleVector.fromArray(S, c, i)).intoArray(y, i);
                }
            }
        } else if (c == null) {
            DoubleVector vc = DoubleVector.broadcast(S, cs);
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, arr, i).mul(DoubleVector.fromArray(S, other, i)).add(vc).intoArray(y, i);
            }
        } else {
            for (; i < bound; i += L) {
                DoubleVector.fromArray(S, arr, i).mul(DoubleVector.fromArray(S, other, i))
                        .add(DoubleVector.fromArray(S, c, i)).intoArray(y, i);
            }
        }
        for (; i < n; i++) {
            double p = (a == null ? as : a[i]) * (b == null ? bs : b[i]);
            y[i] = p + (c == null ? cs : c[i]);
        }
    }

    @Override
    void mulAdd(double[] d, double[] c, double[] g, double gs, double[] e, double es, int n) {
        if (g == null) {
            if (gs == 0 || e == null || !Double.isFinite(gs)) {
                // A zero adjoint contributes nothing, and an infinite one nothing through a zero
                // local derivative (Op.contribution): the plain loop has the guards; two scalars are rare.
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
            double t = Op.contribution(g[i], e == null ? es : e[i]);
            d[i] = c == null ? t : c[i] + t;
        }
    }

    /** {@code g·e} on lanes [i, i+L), 0 where g or e is 0 (even if the other is not finite): {@link Op#contribution}. */
    private static DoubleVector contribution(double[] g, double[] e, int i) {
        return contribution(DoubleVector.fromArray(S, g, i), DoubleVector.fromArray(S, e, i));
    }

    /** {@code g·e} for a scalar e (broadcast in {@code ve}), by {@link Op#contribution}. */
    private static DoubleVector contribution(double[] g, DoubleVector ve, int i) {
        return contribution(DoubleVector.fromArray(S, g, i), ve);
    }

    private static DoubleVector contribution(DoubleVector vg, DoubleVector ve) {
        return vg.mul(ve).blend(0.0, vg.compare(VectorOperators.EQ, 0.0).or(ve.compare(VectorOperators.EQ, 0.0)));
    }

    // Lin's shapes, each its own loop (see the note above add): the tangent steps of forward
    // mode are one term plus a uniform, or two terms, the second of three factors, plus a uniform
    // or a block. Other shapes, which the pass makes rarely or never, take the plain loop.

    @Override
    void lin(double[] d, double[] x1, double k1, double[] x2, double[] y2, double k2, double[] c, double cs, boolean hasC, int n) {
        DoubleVector v1 = DoubleVector.broadcast(S, k1);
        DoubleVector v2 = DoubleVector.broadcast(S, k2);
        DoubleVector vc = DoubleVector.broadcast(S, cs);
        int i = 0;
        int bound = S.loopBound(n);
        if (x2 == null && hasC && c == null) {
            for (; i < bound; i += L) {
                contribution(x1, v1, i).add(vc).intoArray(d, i);
            }
        } else if (x2 != null && y2 == null && hasC && c == null) {
            for (; i < bound; i += L) {
                contribution(x1, v1, i).add(contribution(x2, v2, i)).add(vc).intoArray(d, i);
            }
        } else if (x2 != null && y2 == null && hasC) {
            for (; i < bound; i += L) {
                contribution(x1, v1, i).add(contribution(x2, v2, i)).add(DoubleVector.fromArray(S, c, i)).intoArray(d, i);
            }
        } else if (x2 != null && y2 != null && hasC && c == null) {
            for (; i < bound; i += L) {
                contribution(x1, v1, i).add(contribution(contribution(x2, y2, i), v2)).add(vc).intoArray(d, i);
            }
        } else if (x2 != null && y2 != null && hasC) {
            for (; i < bound; i += L) {
                contribution(x1, v1, i).add(contribution(contribution(x2, y2, i), v2))
                        .add(DoubleVector.fromArray(S, c, i)).intoArray(d, i);
            }
        }
        super.lin(d, x1, k1, x2, y2, k2, c, cs, hasC, n, i);
    }

    @Override
    void mul2(double[] d, double[] g, double[] e1, double e1s, double[] e2, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        if (e1 == null && e1s != 0 && Double.isFinite(e1s)) {
            // By a finite nonzero factor the strong zero changes only the sign of a zero, which
            // the outer contribution turns into +0 anyway: the plain product gives the same d.
            DoubleVector ve1 = DoubleVector.broadcast(S, e1s);
            for (; i < bound; i += L) {
                contribution(DoubleVector.fromArray(S, g, i).mul(ve1), DoubleVector.fromArray(S, e2, i)).intoArray(d, i);
            }
        } else if (e1 == null) {
            DoubleVector ve1 = DoubleVector.broadcast(S, e1s);
            for (; i < bound; i += L) {
                contribution(contribution(g, ve1, i), DoubleVector.fromArray(S, e2, i)).intoArray(d, i);
            }
        } else {
            for (; i < bound; i += L) {
                contribution(contribution(g, e1, i), DoubleVector.fromArray(S, e2, i)).intoArray(d, i);
            }
        }
        for (; i < n; i++) {
            d[i] = Op.contribution(Op.contribution(g[i], e1 == null ? e1s : e1[i]), e2[i]);
        }
    }

    @Override
    void divAdd(double[] d, double[] c, double[] t, double ts, double[] den, double dens, int n) {
        if (t == null) {
            super.divAdd(d, c, t, ts, den, dens, n); // a uniform adjoint-times-numerator: rare
            return;
        }
        int i = 0;
        int bound = S.loopBound(n);
        if (den != null) {
            if (c == null) {
                for (; i < bound; i += L) {
                    quotient(DoubleVector.fromArray(S, t, i), DoubleVector.fromArray(S, den, i)).intoArray(d, i);
                }
            } else {
                for (; i < bound; i += L) {
                    quotient(DoubleVector.fromArray(S, t, i), DoubleVector.fromArray(S, den, i))
                            .add(DoubleVector.fromArray(S, c, i)).intoArray(d, i);
                }
            }
        } else {
            DoubleVector vd = DoubleVector.broadcast(S, dens);
            if (c == null) {
                for (; i < bound; i += L) {
                    quotient(DoubleVector.fromArray(S, t, i), vd).intoArray(d, i);
                }
            } else {
                for (; i < bound; i += L) {
                    quotient(DoubleVector.fromArray(S, t, i), vd).add(DoubleVector.fromArray(S, c, i)).intoArray(d, i);
                }
            }
        }
        for (; i < n; i++) {
            double q = Op.quotientContribution(t[i], den == null ? dens : den[i]);
            d[i] = c == null ? q : c[i] + q;
        }
    }

    @Override
    double dotDiv(double[] t, double ts, double[] den, double dens, int n) {
        if (t == null) {
            return super.dotDiv(t, ts, den, dens, n);
        }
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        if (den != null) {
            for (; i < bound; i += L) {
                acc = acc.add(quotient(DoubleVector.fromArray(S, t, i), DoubleVector.fromArray(S, den, i)));
            }
        } else {
            DoubleVector vd = DoubleVector.broadcast(S, dens);
            for (; i < bound; i += L) {
                acc = acc.add(quotient(DoubleVector.fromArray(S, t, i), vd));
            }
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += Op.quotientContribution(t[i], den == null ? dens : den[i]);
        }
        return s;
    }

    /** {@code t/d} on lanes, 0 where t is 0: {@link Op#quotientContribution}. */
    private static DoubleVector quotient(DoubleVector vt, DoubleVector vd) {
        return vt.div(vd).blend(0.0, vt.compare(VectorOperators.EQ, 0.0));
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
            if (gs == 0 || e == null || !Double.isFinite(gs)) {
                return super.dot(g, gs, e, es, n);
            }
            return gs * sum(e, n);
        }
        // Plain products, and term by term only where the sum is NaN: see dot2.
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        if (e != null) {
            for (; i < bound; i += L) {
                acc = acc.add(DoubleVector.fromArray(S, g, i).mul(DoubleVector.fromArray(S, e, i)));
            }
        } else {
            DoubleVector ve = DoubleVector.broadcast(S, es);
            for (; i < bound; i += L) {
                acc = acc.add(DoubleVector.fromArray(S, g, i).mul(ve));
            }
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += g[i] * (e == null ? es : e[i]);
        }
        return Double.isNaN(s) ? dotStrong(g, e, es, n) : s;
    }

    /** {@link #dot} with an array g, term by term by {@link Op#contribution}. */
    private static double dotStrong(double[] g, double[] e, double es, int n) {
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
            s += Op.contribution(g[i], e == null ? es : e[i]);
        }
        return s;
    }

    // The reductions below keep two accumulators per sum, each taking every other vector: one
    // accumulator waits on the latency of its own add every iteration, which made these the
    // slowest of the arithmetic kernels. The lanes and the two halves are added at the end, so
    // the order differs from the plain kernel's only as any SIMD sum does, within rounding.

    // A sum started at +0 cannot show the sign of a zero summand, so the strong zero of a
    // contribution matters to a sum only where the plain product is NaN (0·∞, 0·NaN), which makes
    // the plain sum NaN. The sums are therefore taken of plain products, two operations a lane
    // instead of six, and only a NaN sum is taken again term by term by Op.contribution: the
    // result is the strong-zero sum bit for bit either way, since without a NaN term every
    // plain product equals its contribution but for the sign of a zero.

    @Override
    void dot2(double[] g, double[] e1, double e1s, double[] e2, double e2s, int n, double[] out) {
        DoubleVector ve1 = DoubleVector.broadcast(S, e1s);
        DoubleVector ve2 = DoubleVector.broadcast(S, e2s);
        DoubleVector acc1 = DoubleVector.zero(S);
        DoubleVector acc2 = DoubleVector.zero(S);
        DoubleVector odd1 = DoubleVector.zero(S);
        DoubleVector odd2 = DoubleVector.zero(S);
        int i = 0;
        int pairs = n / (2 * L) * (2 * L);
        if (e1 != null && e2 != null) {
            for (; i < pairs; i += 2 * L) {
                DoubleVector g0 = DoubleVector.fromArray(S, g, i);
                DoubleVector g1 = DoubleVector.fromArray(S, g, i + L);
                acc1 = acc1.add(g0.mul(DoubleVector.fromArray(S, e1, i)));
                acc2 = acc2.add(g0.mul(DoubleVector.fromArray(S, e2, i)));
                odd1 = odd1.add(g1.mul(DoubleVector.fromArray(S, e1, i + L)));
                odd2 = odd2.add(g1.mul(DoubleVector.fromArray(S, e2, i + L)));
            }
        } else if (e1 != null) {
            for (; i < pairs; i += 2 * L) {
                DoubleVector g0 = DoubleVector.fromArray(S, g, i);
                DoubleVector g1 = DoubleVector.fromArray(S, g, i + L);
                acc1 = acc1.add(g0.mul(DoubleVector.fromArray(S, e1, i)));
                acc2 = acc2.add(g0.mul(ve2));
                odd1 = odd1.add(g1.mul(DoubleVector.fromArray(S, e1, i + L)));
                odd2 = odd2.add(g1.mul(ve2));
            }
        } else if (e2 != null) {
            for (; i < pairs; i += 2 * L) {
                DoubleVector g0 = DoubleVector.fromArray(S, g, i);
                DoubleVector g1 = DoubleVector.fromArray(S, g, i + L);
                acc1 = acc1.add(g0.mul(ve1));
                acc2 = acc2.add(g0.mul(DoubleVector.fromArray(S, e2, i)));
                odd1 = odd1.add(g1.mul(ve1));
                odd2 = odd2.add(g1.mul(DoubleVector.fromArray(S, e2, i + L)));
            }
        } else {
            for (; i < pairs; i += 2 * L) {
                DoubleVector g0 = DoubleVector.fromArray(S, g, i);
                DoubleVector g1 = DoubleVector.fromArray(S, g, i + L);
                acc1 = acc1.add(g0.mul(ve1));
                acc2 = acc2.add(g0.mul(ve2));
                odd1 = odd1.add(g1.mul(ve1));
                odd2 = odd2.add(g1.mul(ve2));
            }
        }
        double s1 = acc1.add(odd1).reduceLanes(VectorOperators.ADD);
        double s2 = acc2.add(odd2).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s1 += g[i] * (e1 == null ? e1s : e1[i]);
            s2 += g[i] * (e2 == null ? e2s : e2[i]);
        }
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            dot2Strong(g, e1, e1s, e2, e2s, n, out);
            return;
        }
        out[0] = s1;
        out[1] = s2;
    }

    /** {@link #dot2} term by term by {@link Op#contribution}, for a block whose plain sums are NaN. */
    private static void dot2Strong(double[] g, double[] e1, double e1s, double[] e2, double e2s, int n, double[] out) {
        DoubleVector ve1 = DoubleVector.broadcast(S, e1s);
        DoubleVector ve2 = DoubleVector.broadcast(S, e2s);
        DoubleVector acc1 = DoubleVector.zero(S);
        DoubleVector acc2 = DoubleVector.zero(S);
        DoubleVector odd1 = DoubleVector.zero(S);
        DoubleVector odd2 = DoubleVector.zero(S);
        int i = 0;
        int pairs = n / (2 * L) * (2 * L);
        if (e1 != null && e2 != null) {
            for (; i < pairs; i += 2 * L) {
                acc1 = acc1.add(contribution(g, e1, i));
                acc2 = acc2.add(contribution(g, e2, i));
                odd1 = odd1.add(contribution(g, e1, i + L));
                odd2 = odd2.add(contribution(g, e2, i + L));
            }
        } else if (e1 != null) {
            for (; i < pairs; i += 2 * L) {
                acc1 = acc1.add(contribution(g, e1, i));
                acc2 = acc2.add(contribution(g, ve2, i));
                odd1 = odd1.add(contribution(g, e1, i + L));
                odd2 = odd2.add(contribution(g, ve2, i + L));
            }
        } else if (e2 != null) {
            for (; i < pairs; i += 2 * L) {
                acc1 = acc1.add(contribution(g, ve1, i));
                acc2 = acc2.add(contribution(g, e2, i));
                odd1 = odd1.add(contribution(g, ve1, i + L));
                odd2 = odd2.add(contribution(g, e2, i + L));
            }
        } else {
            for (; i < pairs; i += 2 * L) {
                acc1 = acc1.add(contribution(g, ve1, i));
                acc2 = acc2.add(contribution(g, ve2, i));
                odd1 = odd1.add(contribution(g, ve1, i + L));
                odd2 = odd2.add(contribution(g, ve2, i + L));
            }
        }
        double s1 = acc1.add(odd1).reduceLanes(VectorOperators.ADD);
        double s2 = acc2.add(odd2).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s1 += Op.contribution(g[i], e1 == null ? e1s : e1[i]);
            s2 += Op.contribution(g[i], e2 == null ? e2s : e2[i]);
        }
        out[0] = s1;
        out[1] = s2;
    }

    @Override
    double sum(double[] y, int n) {
        DoubleVector acc = DoubleVector.zero(S);
        DoubleVector odd = DoubleVector.zero(S);
        int i = 0;
        int pairs = n / (2 * L) * (2 * L);
        for (; i < pairs; i += 2 * L) {
            acc = acc.add(DoubleVector.fromArray(S, y, i));
            odd = odd.add(DoubleVector.fromArray(S, y, i + L));
        }
        double s = acc.add(odd).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += y[i];
        }
        return s;
    }
}
