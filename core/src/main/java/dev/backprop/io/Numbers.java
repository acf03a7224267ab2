package dev.backprop.io;

import java.util.Locale;

/**
 * The one syntax for numbers a user writes, in a CSV cell or on the command line: decimals as
 * numpy and spreadsheets write them ({@code 2}, {@code -0.5}, {@code .5}, {@code 1.}, {@code 1e-3},
 * {@code +7}), and {@code nan}, {@code inf}, {@code -inf}, {@code infinity} in any case. Java-only
 * forms ({@code 1.5f}, {@code 0x1p3}, {@code 1_000}) are not numbers, and a decimal too large for
 * a double ({@code 1e400}) is an error rather than silently infinite. Tiny decimals round to the
 * nearest double, down to zero ({@code 1e-400} is 0), as numpy reads them.
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * Parses one number.
     *
     * @throws NumberFormatException whose message says why, in words for a user:
     *                               {@code is not a number} or {@code is too large for a double …}
     */
    public static double parse(String s) {
        if (isDecimal(s)) {
            double v = Double.parseDouble(s);
            if (Double.isInfinite(v)) {
                throw new NumberFormatException("is too large for a double (the largest is about 1.8e308; write inf for infinity)");
            }
            return v;
        }
        String l = s.toLowerCase(Locale.ROOT);
        boolean neg = l.startsWith("-");
        String body = neg || l.startsWith("+") ? l.substring(1) : l;
        switch (body) {
            case "nan":
                return Double.NaN;
            case "inf":
            case "infinity":
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            default:
                throw new NumberFormatException("is not a number");
        }
    }

    /**
     * Parses a number typed on the command line: {@link #parse} and also the constants that a
     * formula knows, {@code pi} (or {@code π}) and {@code e}, with an optional sign. Data files do
     * not take them: a cell reading {@code e} is more likely a stray letter than 2.718….
     *
     * @throws NumberFormatException as {@link #parse} does
     */
    public static double parseArgument(String s) {
        boolean neg = s.startsWith("-");
        String body = neg || s.startsWith("+") ? s.substring(1) : s;
        double c;
        switch (body.toLowerCase(Locale.ROOT)) {
            case "pi":
            case "π":
                c = Math.PI;
                break;
            case "e":
                c = Math.E;
                break;
            default:
                return parse(s);
        }
        return neg ? -c : c;
    }

    /**
     * A decimal, scanned by hand because a regular expression took most of the time of reading a
     * large file: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?.
     */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = digits(s, i);
        i += intDigits;
        int fracDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            fracDigits = digits(s, i);
            i += fracDigits;
        }
        if (intDigits == 0 && fracDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = digits(s, i);
            if (expDigits == 0) {
                return false;
            }
            i += expDigits;
        }
        return i == n;
    }

    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }
}
