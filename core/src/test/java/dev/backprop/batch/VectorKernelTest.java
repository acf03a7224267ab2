package dev.backprop.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.op.Op;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernel's own sine and cosine against {@link StrictMath} (fdlibm, under an ulp from the
 * true value): every lane, every path (alone and paired, vector loop, tail, arguments too large to
 * reduce).
 */
class VectorKernelTest {
    static Kernel k;

    @BeforeAll
    static void simd() {
        assertThat(Kernel.VECTOR).as("the build runs tests with jdk.incubator.vector").isNotNull();
        k = Kernel.VECTOR;
    }

    static long ulps(double a, double b) {
        if (a == b) {
            return 0;
        }
        return Math.abs(Double.doubleToLongBits(a) - Double.doubleToLongBits(b));
    }

    /** All three entry points at once: sin alone, cos alone, and the pair. */
    static double[][] run(double[] a) {
        int n = a.length;
        double[] s = new double[n];
        double[] c = new double[n];
        double[] s2 = new double[n];
        double[] c2 = new double[n];
        k.apply(Op.SIN, s, a, 0, null, 0, n);
        k.apply(Op.COS, c, a, 0, null, 0, n);
        k.sincos(s2, c2, a, n);
        return new double[][] {s, c, s2, c2};
    }

    /** Every entry point's sin and cos of every element within 1 ulp of StrictMath's. */
    static void assertWithinOneUlp(double[] a) {
        double[][] r = run(a);
        for (int i = 0; i < a.length; i++) {
            assertThat(ulps(r[0][i], StrictMath.sin(a[i]))).as("sin(%s)", a[i]).isLessThanOrEqualTo(1);
            assertThat(ulps(r[1][i], StrictMath.cos(a[i]))).as("cos(%s)", a[i]).isLessThanOrEqualTo(1);
            assertThat(ulps(r[2][i], StrictMath.sin(a[i]))).as("paired sin(%s)", a[i]).isLessThanOrEqualTo(1);
            assertThat(ulps(r[3][i], StrictMath.cos(a[i]))).as("paired cos(%s)", a[i]).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void withinOneUlpOfStrictMathAtEveryScale() {
        Random rnd = new Random(42);
        // 1e9 is past the 2^20 reduction limit: those lanes are Math's.
        for (double scale : new double[] {1e-300, 1e-8, 0.5, 1, 2, 4, 10, 100, 1e4, 1e6, 1e9}) {
            double[] a = new double[4099]; // not a multiple of the lane count: the tail runs too
            long worst = 0;
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = (2 * rnd.nextDouble() - 1) * scale;
                }
                double[][] r = run(a);
                for (int i = 0; i < a.length; i++) {
                    double sin = StrictMath.sin(a[i]);
                    double cos = StrictMath.cos(a[i]);
                    worst = Math.max(worst, Math.max(ulps(r[0][i], sin), ulps(r[1][i], cos)));
                    worst = Math.max(worst, Math.max(ulps(r[2][i], sin), ulps(r[3][i], cos)));
                }
            }
            assertThat(worst).as("worst error in ulps at scale %s", scale).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void nearMultiplesOfHalfPiWhereReductionCancels() {
        double[] a = new double[4000];
        for (int i = 0; i < a.length; i++) {
            // q·π/2 for q up to ~2^19, and the doubles around it: the remainder is tiny.
            double m = (i / 4) * 523.0 * Math.PI / 2;
            a[i] = i % 4 == 0 ? m : i % 4 == 1 ? Math.nextUp(m) : i % 4 == 2 ? Math.nextDown(m) : -m;
        }
        assertWithinOneUlp(a);
    }

    @Test
    void specialAndTinyValuesAreMathsExactly() {
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, 1e-200,
            Math.nextUp(VectorKernel.REDUCTION_LIMIT), 1e22, -1e300, Double.MAX_VALUE};
        double[][] r = run(special);
        for (int i = 0; i < special.length; i++) {
            double x = special[i];
            // Bit patterns, so -0.0 and 0.0 differ: sin(-0) is -0.
            assertThat(Double.doubleToLongBits(r[0][i])).as("sin(%s)", x).isEqualTo(Double.doubleToLongBits(Math.sin(x)));
            assertThat(Double.doubleToLongBits(r[1][i])).as("cos(%s)", x).isEqualTo(Double.doubleToLongBits(Math.cos(x)));
            assertThat(Double.doubleToLongBits(r[2][i])).as("paired sin(%s)", x).isEqualTo(Double.doubleToLongBits(Math.sin(x)));
            assertThat(Double.doubleToLongBits(r[3][i])).as("paired cos(%s)", x).isEqualTo(Double.doubleToLongBits(Math.cos(x)));
        }
    }

    @Test
    void oneLargeArgumentInABlockLeavesTheOthersAlone() {
        double[] a = new double[64];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.01 * i;
        }
        a[17] = 3e7;
        a[40] = Double.NaN;
        assertWithinOneUlp(a);
    }

    @Test
    void theThreePartsOfHalfPiArePositiveAndSumToItWithin1e45() {
        BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459");
        BigDecimal halfPi = pi.divide(BigDecimal.valueOf(2), MathContext.UNLIMITED);
        BigDecimal parts = new BigDecimal(VectorKernel.PIO2_1).add(new BigDecimal(VectorKernel.PIO2_2))
                .add(new BigDecimal(VectorKernel.PIO2_3));
        assertThat(VectorKernel.PIO2_2).isPositive();
        assertThat(VectorKernel.PIO2_3).isPositive();
        assertThat(parts.subtract(halfPi).abs()).isLessThan(new BigDecimal("1e-45"));
    }

    /**
     * Every primitive over every pair of special values (0, −0, ±1, subnormals, ±1e300, ±∞, NaN)
     * gives Op's own answer on the SIMD kernel, before and after the JIT compiles it: the Vector
     * API's pow gave 1 or NaN at pow(1, ∞) by JIT state. Eight-lane blocks and a tail, called until
     * C2 has compiled the loops, then compared again.
     */
    @Test
    void specialValuesGiveOpsAnswerWhateverTheJitState() {
        double[] special = {0.0, -0.0, 1, -1, 2, 0.5, -2.5, 1e-310, 1e300, -1e300,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        int n = special.length * special.length;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = special[i / special.length];
            b[i] = special[i % special.length];
        }
        double[] y = new double[n];
        for (int round = 0; round < 2; round++) {
            for (Op op : Op.values()) {
                int calls = round == 0 ? 1 : 3_000;
                for (int c = 0; c < calls; c++) {
                    k.apply(op, y, a, 0, op.unary() ? null : b, 0, n);
                }
                for (int i = 0; i < n; i++) {
                    double want = op.apply(a[i], b[i]);
                    boolean same = Double.isNaN(want) ? Double.isNaN(y[i]) : y[i] == want || ulps(y[i], want) <= 1;
                    assertThat(same).as("%s(%s, %s) on SIMD, %s: %s, Op says %s", op, a[i], b[i],
                            round == 0 ? "first call" : "after 3,000 calls", y[i], want).isTrue();
                }
                // A scalar operand too (a parameter), which takes other loops.
                for (double s1 : special) {
                    if (!op.unary()) {
                        k.apply(op, y, null, s1, b, 0, n);
                        for (int i = 0; i < n; i++) {
                            double want = op.apply(s1, b[i]);
                            boolean same = Double.isNaN(want) ? Double.isNaN(y[i]) : y[i] == want || ulps(y[i], want) <= 1;
                            assertThat(same).as("%s(%s, %s) on SIMD, scalar first operand: %s, Op says %s", op, s1, b[i], y[i], want).isTrue();
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint kernels (sums of contributions and products of two), which take plain products
     * and fall back to the strong zero only where a NaN shows, give the plain kernel's answer bit
     * for bit, sign of zero included, on blocks of special values, before and after C2 compiles
     * them. The values are small dyadic numbers, zeros, infinities and NaN, whose sums are exact
     * in any order, so the SIMD kernel's order of addition cannot hide or fake a difference.
     */
    @Test
    void adjointKernelsGiveThePlainKernelsBitsOnSpecialValues() {
        double[] special = {0.0, -0.0, 1, -1, 2, 0.5, -0.25, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        double[] dense = {0.0, -0.0, 1, -1, 2, 0.5, -0.25};
        Random r = new Random(7);
        int n = 37; // vector loops and a tail on every lane width
        double[] g = new double[n];
        double[] e1 = new double[n];
        double[] e2 = new double[n];
        double[] d = new double[n];
        double[] want = new double[n];
        double[] two = new double[2];
        double[] wantTwo = new double[2];
        for (int round = 0; round < 4_000; round++) {
            // Mostly finite blocks (the fast path), some with one special value (the fallback).
            double[] pool = round % 4 == 0 ? special : dense;
            for (int i = 0; i < n; i++) {
                g[i] = pool[r.nextInt(pool.length)];
                e1[i] = pool[r.nextInt(pool.length)];
                e2[i] = pool[r.nextInt(pool.length)];
            }
            if (round % 8 == 1) {
                g[r.nextInt(n)] = special[7 + r.nextInt(3)];
            }
            double s1 = special[r.nextInt(special.length)];
            double s2 = special[r.nextInt(special.length)];
            boolean array1 = r.nextBoolean();
            boolean array2 = r.nextBoolean();
            double[] a1 = array1 ? e1 : null;
            double[] a2 = array2 ? e2 : null;
            String at = "round " + round;

            k.dot2(g, a1, s1, a2, s2, n, two);
            Kernel.PLAIN.dot2(g, a1, s1, a2, s2, n, wantTwo);
            assertThat(bits(two[0])).as("dot2 first sum, %s", at).isEqualTo(bits(wantTwo[0]));
            assertThat(bits(two[1])).as("dot2 second sum, %s", at).isEqualTo(bits(wantTwo[1]));

            double got = k.dot(g, 0, a1, s1, n);
            assertThat(bits(got)).as("dot, %s", at).isEqualTo(bits(Kernel.PLAIN.dot(g, 0, a1, s1, n)));

            boolean hasC = round % 3 != 0;
            double[] c = round % 3 == 1 ? e2 : null;
            double[] x2 = r.nextBoolean() ? e1 : null;
            double[] y2 = r.nextBoolean() ? e2 : null;
            k.lin(d, g, s1, x2, y2, s2, c, s2, hasC, n);
            Kernel.PLAIN.lin(want, g, s1, x2, y2, s2, c, s2, hasC, n);
            for (int i = 0; i < n; i++) {
                assertThat(bits(d[i])).as("lin[%d], %s", i, at).isEqualTo(bits(want[i]));
            }

            k.mul2(d, g, a1, s1, e2, n);
            Kernel.PLAIN.mul2(want, g, a1, s1, e2, n);
            for (int i = 0; i < n; i++) {
                assertThat(bits(d[i])).as("mul2[%d] of %s·%s·%s, %s", i, g[i], array1 ? e1[i] : s1, e2[i], at)
                        .isEqualTo(bits(want[i]));
            }
        }
    }

    /** The bits of a number, every NaN as one (a NaN's sign and payload carry no meaning). */
    static long bits(double v) {
        return Double.doubleToLongBits(v);
    }
}
