package dev.backprop.random;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The natural logarithm rounded correctly (to the double nearest the exact value), the same on
 * every JVM and platform.
 *
 * <p>Why not {@link Math#log}: its last bit may differ between JVMs and CPUs. Why not
 * {@link StrictMath#log}: fdlibm misrounds often enough (about 7% of the Gaussian draws' arguments)
 * to break agreement with numpy. numpy calls the C library's {@code log}; a correctly rounded
 * result is what an exact libm returns, and glibc's differs from it on under 0.1% of arguments.
 *
 * <p>Method (Ziv's strategy): a fast double-double evaluation good to about 2<sup>-78</sup>
 * relative; if its error bound straddles a rounding boundary (about once in 2<sup>16</sup> calls),
 * a {@link BigDecimal} evaluation to 60 digits decides. 60 digits is far beyond the ~2<sup>-120</sup>
 * that the hardest-to-round doubles are known to need for log.
 */
final class CorrectlyRoundedLog {
    private CorrectlyRoundedLog() {
    }

    private static final MathContext MC = new MathContext(60);
    private static final double SQRT2 = 1.4142135623730951;
    /** Reduction points c_j = 1 + j/128 cover mantissas in [sqrt(1/2), sqrt(2)). */
    private static final int J_MIN = -38;
    private static final int J_MAX = 54;
    private static final double[] LOGC_HI = new double[J_MAX - J_MIN + 1];
    private static final double[] LOGC_LO = new double[J_MAX - J_MIN + 1];
    private static final BigDecimal LN2 = atanhOfRatio(BigDecimal.ONE, BigDecimal.valueOf(3)).multiply(BigDecimal.valueOf(2), MC);
    private static final double LN2_HI = LN2.doubleValue();
    private static final double LN2_LO = LN2.subtract(new BigDecimal(LN2_HI), MC).doubleValue();
    /** Series coefficients (-1)^(n+1)/n of log1p, n = 0..TERMS (index 0 unused). */
    private static final int TERMS = 13;
    private static final double[] C = new double[TERMS + 1];
    private static final double THIRD_HI = 1.0 / 3.0;
    private static final double THIRD_LO = Math.fma(-THIRD_HI, 3.0, 1.0) / 3.0;
    /** Relative error bound of the fast path, with margin over the ~2^-78 analysed. */
    private static final double FAST_ERROR = 0x1p-70;

    static {
        for (int j = J_MIN; j <= J_MAX; j++) {
            // ln(1 + j/128) = 2 atanh(j / (256 + j)), exact rational argument.
            BigDecimal ln = atanhOfRatio(BigDecimal.valueOf(j), BigDecimal.valueOf(256 + j)).multiply(BigDecimal.valueOf(2), MC);
            double hi = ln.doubleValue();
            LOGC_HI[j - J_MIN] = hi;
            LOGC_LO[j - J_MIN] = ln.subtract(new BigDecimal(hi), MC).doubleValue();
        }
        for (int n = 1; n <= TERMS; n++) {
            C[n] = (n % 2 == 1 ? 1.0 : -1.0) / n;
        }
    }

    /** The double nearest to ln(x); NaN for NaN or x &lt; 0, −∞ for ±0, +∞ for +∞. */
    static double log(double x) {
        if (!(x > 0.0) || x == Double.POSITIVE_INFINITY) {
            return special(x);
        }
        double x0 = x;
        int k = 0;
        if (x < Double.MIN_NORMAL) {
            x *= 0x1p54;
            k = -54;
        }
        long bits = Double.doubleToRawLongBits(x);
        k += (int) (bits >>> 52) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (m >= SQRT2) {
            m *= 0.5;
            k++;
        }
        int j = (int) Math.rint((m - 1.0) * 128.0);
        double c = 1.0 + j / 128.0;
        // d is exact (Sterbenz: m and c are within a factor of 2); r = d / c as a double-double.
        double d = m - c;
        double rh = d / c;
        double rl = Math.fma(-rh, c, d) / c;

        // log1p(r) = r * (1 - r/2 + r^2/3 - ...): high-order tail in plain double (it weighs at most
        // 2^-30 of the total), the four leading coefficients in double-double.
        double t = C[TERMS];
        for (int n = TERMS - 1; n >= 5; n--) {
            t = C[n] + rh * t;
        }
        double ah = t;
        double al = 0.0;
        for (int n = 4; n >= 1; n--) {
            double ch = n == 3 ? THIRD_HI : C[n];
            double cl = n == 3 ? THIRD_LO : 0.0;
            // (ah, al) * (rh, rl)
            double p = ah * rh;
            double pe = Math.fma(ah, rh, -p) + (ah * rl + al * rh);
            // (ch, cl) + (p, pe)
            double s = ch + p;
            double se = twoSumError(ch, p, s) + (cl + pe);
            ah = s + se;
            al = se - (ah - s);
        }
        // log1p = (rh, rl) * (ah, al)
        double lh = rh * ah;
        double ll = Math.fma(rh, ah, -lh) + (rh * al + rl * ah);

        // y = k ln2 + ln c + log1p(r), summed in double-double.
        double kh = k * LN2_HI;
        double kl = Math.fma(k, LN2_HI, -kh) + k * LN2_LO;
        double yh = kh + LOGC_HI[j - J_MIN];
        double yl = twoSumError(kh, LOGC_HI[j - J_MIN], yh) + (kl + LOGC_LO[j - J_MIN]);
        double zh = yh + lh;
        double zl = twoSumError(yh, lh, zh) + (yl + ll);
        double hi = zh + zl;
        double lo = zl - (hi - zh);

        double err = Math.abs(hi) * FAST_ERROR;
        double down = hi + (lo - err);
        double up = hi + (lo + err);
        if (down == up) {
            return down;
        }
        return slowLog(x0);
    }

    /** ln(x) evaluated in {@link BigDecimal} to 60 digits, then rounded once to double. */
    static double slowLog(double x) {
        if (!(x > 0.0) || x == Double.POSITIVE_INFINITY) {
            return special(x);
        }
        int extra = 0;
        if (x < Double.MIN_NORMAL) {
            x *= 0x1p54;
            extra = -54;
        }
        int k = Math.getExponent(x);
        double m = Math.scalb(x, -k);
        if (m >= SQRT2) {
            m *= 0.5;
            k++;
        }
        BigDecimal bm = new BigDecimal(m);
        BigDecimal lnm = atanhOfRatio(bm.subtract(BigDecimal.ONE), bm.add(BigDecimal.ONE)).multiply(BigDecimal.valueOf(2), MC);
        return lnm.add(LN2.multiply(BigDecimal.valueOf((long) k + extra), MC), MC).doubleValue();
    }

    /** atanh(num / den) = sum z^(2i+1) / (2i+1), for |num / den| well below 1. */
    private static BigDecimal atanhOfRatio(BigDecimal num, BigDecimal den) {
        BigDecimal z = num.divide(den, MC);
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal power = z;
        BigDecimal sum = z;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(MC.getPrecision() + 5);
        for (int n = 3; power.abs().compareTo(eps) > 0; n += 2) {
            power = power.multiply(z2, MC);
            sum = sum.add(power.divide(BigDecimal.valueOf(n), MC), MC);
        }
        return sum;
    }

    private static double twoSumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    private static double special(double x) {
        if (x == 0.0) {
            return Double.NEGATIVE_INFINITY;
        }
        return x == Double.POSITIVE_INFINITY ? x : Double.NaN;
    }
}
