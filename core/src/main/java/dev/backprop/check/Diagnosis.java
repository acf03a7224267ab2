package dev.backprop.check;

import java.util.function.ToDoubleFunction;

/**
 * Why backprop, a finite difference and the closed form disagree: which of the three is the odd
 * one out and, when it is the finite difference, the likely cause (a non-finite value, a
 * discontinuity or a kink within the step, a step too large for the curvature or too small for
 * the rounding) and a step that works.
 *
 * <p>The cause is read off f itself: {@value #SAMPLES} + 1 values across [x − h, x + h] (one isolated
 * large first difference is a jump, one isolated large second difference a kink), then the
 * difference at steps 10⁻⁴·h … 10³·h (agreeing at a smaller step only: curvature; at a larger
 * one only: rounding).
 *
 * @param oddOneOut     {@code "finite difference"}, {@code "backprop"}, {@code "closed form"}, or
 *                      {@code ""} when no single one stands out
 * @param cause         the likely cause, in words; empty when unknown
 * @param suggestedStep a step at which the finite difference agrees with backprop, or NaN
 */
public record Diagnosis(String oddOneOut, String cause, double suggestedStep) {
    /** Points sampled across the step, less one. */
    public static final int SAMPLES = 64;

    /** One sentence: the odd one out, the cause and the step to try. */
    public String message() {
        StringBuilder sb = new StringBuilder();
        sb.append(oddOneOut.isEmpty() ? "no single method is the odd one out" : "the " + oddOneOut + " is the odd one out");
        if (!cause.isEmpty()) {
            sb.append(": ").append(cause);
        }
        if (!Double.isNaN(suggestedStep)) {
            sb.append("; step ").append(shortest(suggestedStep)).append(" agrees");
        }
        return sb.toString();
    }

    /**
     * Diagnoses coordinate {@code k} of {@code x}.
     *
     * @param fd      the finite difference that was computed, with step {@code step}
     * @param central whether it was a central difference (else a forward one)
     */
    public static Diagnosis of(ToDoubleFunction<double[]> f, double[] x, int k, double backprop, double closedForm,
                               double fd, double step, boolean central, AllClose rule) {
        boolean bpFd = rule.isClose(backprop, fd);
        boolean bpClosed = rule.isClose(backprop, closedForm) || Double.isNaN(closedForm) && Double.isNaN(backprop);
        boolean fdClosed = rule.isClose(fd, closedForm);
        String odd = bpClosed && !bpFd ? "finite difference"
                : bpFd && !bpClosed ? "closed form"
                : fdClosed && !bpFd ? "backprop" : "";
        if (!Double.isFinite(backprop)) {
            return new Diagnosis(odd, "backprop is not finite (" + backprop + ")", Double.NaN);
        }
        if (bpFd) {
            return new Diagnosis(odd, odd.equals("closed form") ? "its arithmetic differs from backprop's at this point" : "",
                    Double.NaN);
        }
        String cause = fdCause(f, x, k, backprop, step, central, rule);
        double suggested = Double.NaN;
        double best = Double.POSITIVE_INFINITY;
        for (int j = -4; j <= 3; j++) {
            double h = round(step * Math.pow(10, j), 1);
            double v = difference(f, x, k, h, central);
            if (x[k] + h != x[k] && rule.isClose(backprop, v) && Math.abs(j) < best) {
                best = Math.abs(j);
                suggested = h;
            }
        }
        if (cause.isEmpty()) {
            double smaller = closest(f, x, k, backprop, step, central, -4, -1);
            double larger = closest(f, x, k, backprop, step, central, 1, 3);
            double here = Math.abs(fd - backprop);
            if (smaller < here && smaller <= larger) {
                cause = "step " + shortest(round(step, 3)) + " too large for the curvature (smaller steps come closer)";
            } else if (larger < here) {
                cause = "step " + shortest(round(step, 3)) + " too small for the rounding of f (larger steps come closer)";
            }
        }
        return new Diagnosis(odd, cause, suggested);
    }

    /** The smallest |difference − backprop| at steps h·10^from … h·10^to. */
    private static double closest(ToDoubleFunction<double[]> f, double[] x, int k, double backprop, double step,
                                  boolean central, int from, int to) {
        double best = Double.POSITIVE_INFINITY;
        for (int j = from; j <= to; j++) {
            double h = step * Math.pow(10, j);
            if (x[k] + h != x[k]) {
                best = Math.min(best, Math.abs(difference(f, x, k, h, central) - backprop));
            }
        }
        return best;
    }

    private static double difference(ToDoubleFunction<double[]> f, double[] x, int k, double h, boolean central) {
        return central ? FiniteDifference.central(f, x, k, h) : FiniteDifference.forward(f, x, k, h);
    }

    /** A non-finite value, a jump or a kink among the values across the step; empty if none shows. */
    private static String fdCause(ToDoubleFunction<double[]> f, double[] x, int k, double backprop, double step,
                                  boolean central, AllClose rule) {
        double lo = central ? x[k] - step : x[k];
        double width = central ? 2 * step : step;
        double[] t = new double[SAMPLES + 1];
        double[] v = new double[SAMPLES + 1];
        double[] p = x.clone();
        double big = 0;
        for (int i = 0; i <= SAMPLES; i++) {
            t[i] = lo + width * i / SAMPLES;
            p[k] = t[i];
            v[i] = f.applyAsDouble(p);
            if (!Double.isFinite(v[i])) {
                return "a non-finite value within the step (f = " + v[i] + " at " + x[k] + (t[i] >= x[k] ? " + " : " − ")
                        + shortest(Math.abs(t[i] - x[k])) + ")";
            }
            big = Math.max(big, Math.abs(v[i]));
        }
        double noise = 64 * Math.ulp(big);
        double[] d = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            d[i] = v[i + 1] - v[i];
        }
        int jump = spike(d, noise);
        if (jump >= 0) {
            return "a discontinuity within the step: f jumps by " + shortest(round(d[jump])) + " near " + shortest(round(t[jump]));
        }
        double[] s = new double[SAMPLES - 1];
        for (int i = 0; i < SAMPLES - 1; i++) {
            s[i] = d[i + 1] - d[i];
        }
        int kink = spike(s, noise);
        if (kink >= 0) {
            double delta = width / SAMPLES;
            double left = kink >= 2 ? d[kink - 2] / delta : d[0] / delta;
            double right = kink + 3 < SAMPLES ? d[kink + 3] / delta : d[SAMPLES - 1] / delta;
            return "a kink within the step near " + shortest(round(t[kink + 1])) + " (slope " + shortest(round(left))
                    + " on the left, " + shortest(round(right)) + " on the right)";
        }
        return "";
    }

    /**
     * The index of one value far larger than every value not next to it (ten times, and above the
     * rounding noise), or −1: a smooth f changes its differences gradually, a jump or kink at once.
     */
    private static int spike(double[] a, double noise) {
        int m = 0;
        for (int i = 1; i < a.length; i++) {
            if (Math.abs(a[i]) > Math.abs(a[m])) {
                m = i;
            }
        }
        double rest = 0;
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(i - m) > 1) {
                rest = Math.max(rest, Math.abs(a[i]));
            }
        }
        return Math.abs(a[m]) > noise && Math.abs(a[m]) > 10 * rest ? m : -1;
    }

    private static double round(double v) {
        return round(v, 3);
    }

    /** {@code v} to {@code digits} significant digits, for reading (and a step one can type). */
    private static double round(double v, int digits) {
        return v == 0 || !Double.isFinite(v) ? v
                : Double.parseDouble(String.format(java.util.Locale.ROOT, "%." + (digits - 1) + "e", v));
    }

    private static String shortest(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s.replace(".0E", "E").replace("E", "e");
    }
}
