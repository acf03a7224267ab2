package dev.backprop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tick positions a reader can take in at a glance: at most about {@value #TARGET} + 2 per axis, on
 * round numbers (1, 2 or 5 times a power of ten; on a log axis, every decade or every 2nd, 5th,
 * 10th… decade), whatever the range, so 110 decades never print 110 overlapping labels.
 */
final class Ticks {
    /** Labels aimed for on one axis. */
    static final int TARGET = 6;

    private Ticks() {
    }

    /** Round values covering [lo, hi] of a linear axis, about {@value #TARGET} of them. */
    static List<Double> linear(double lo, double hi) {
        List<Double> t = new ArrayList<>();
        if (!(hi > lo)) {
            t.add(lo);
            return t;
        }
        double step = nice((hi - lo) / TARGET);
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) {
            t.add(k * step == 0 ? 0.0 : k * step);
        }
        return t;
    }

    /**
     * Exponents of ten covering [lo, hi] (themselves log10 of the data): whole decades, spaced so
     * there are about {@value #TARGET}; within less than two decades, round values of log10 instead.
     */
    static List<Double> logDecades(double lo, double hi) {
        if (hi - lo < 0.6) { // within a factor of 4: round values, at their logarithms
            List<Double> t = new ArrayList<>();
            for (double v : linear(Math.pow(10, lo), Math.pow(10, hi))) {
                if (v > 0) {
                    t.add(Math.log10(v));
                }
            }
            return t;
        }
        if (hi - lo < 3) { // 1, 2 and 5 of each decade
            List<Double> t = new ArrayList<>();
            for (long d = (long) Math.floor(lo); d <= Math.ceil(hi); d++) {
                for (double m : new double[] {1, 2, 5}) {
                    double e = d + Math.log10(m);
                    if (e >= lo && e <= hi) {
                        t.add(e);
                    }
                }
            }
            return t;
        }
        double step = Math.max(1, nice((hi - lo) / TARGET));
        List<Double> t = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9; k++) {
            t.add(k * step);
        }
        return t;
    }

    /** The label of 10^e: 0.001 … 1000 written out, 1e-30 beyond; between decades the value, rounded. */
    static String power(double e) {
        if (e == Math.rint(e)) {
            if (Math.abs(e) <= 3) {
                return number(Math.pow(10, e));
            }
            return "1e" + (long) e;
        }
        return number(Math.pow(10, e));
    }

    /** A round number without trailing zeros or separators: 0.25, 1000, 1.5e-7. */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e7) {
            String s = new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
            return s;
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+e", "e").replace("e+", "e").replace("e-0", "e-");
    }

    /** 1, 2 or 5 times a power of ten, the smallest at least {@code raw}. */
    static double nice(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
