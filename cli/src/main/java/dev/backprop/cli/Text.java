package dev.backprop.cli;

import dev.backprop.book.Language;
import dev.backprop.book.Trace;
import dev.backprop.graph.NonFinite;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Human-readable output: numbers to a chosen number of decimals, aligned tables, book-style traces. */
final class Text {
    private Text() {
    }

    /** Fixed-point with {@code digits} decimals, or scientific where that would hide the number. */
    static String num(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a == 0 || (a >= Math.pow(10, -digits) && a < 1e9)) {
            String s = String.format(Locale.ROOT, "%." + digits + "f", v);
            // -0.000 says nothing a learner can use; a rounded-away sign is noise
            return s.startsWith("-") && s.chars().noneMatch(c -> c >= '1' && c <= '9') ? s.substring(1) : s;
        }
        return String.format(Locale.ROOT, "%." + digits + "e", v);
    }

    /** The shortest exact decimal for a setting: 1, 0.0625, 1e-5, 2.5e-10. */
    static String shortest(double v) {
        double a = Math.abs(v);
        if (Double.isFinite(v) && (a == 0 || (a >= 1e-4 && a < 1e7))) {
            return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        }
        return Double.toString(v).replace(".0E", "E").replace("E", "e");
    }

    /**
     * A count and its noun, singular or plural as the count asks, with thousands separated:
     * {@code 1 row}, {@code 2 rows}, {@code 1,000,000 rows}. The plural adds "s" (or "es" after s,
     * x, ch, sh), except after a "ch" said as "k" (epoch), which takes "s" alone.
     */
    static String count(long n, String singular) {
        boolean hardCh = singular.endsWith("epoch");
        String plural = !hardCh && singular.matches(".*(s|x|ch|sh)") ? singular + "es" : singular + "s";
        return String.format(Locale.ROOT, "%,d", n) + " " + (n == 1 ? singular : plural);
    }

    /** Prints rows as aligned columns; the first column left-aligned, the others right-aligned. */
    static void table(PrintWriter out, String indent, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    sb.append("  ");
                }
                String pad = " ".repeat(w[c] - r[c].length());
                sb.append(c == 0 ? r[c] + pad : pad + r[c]);
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /** Step 1 and Step 2 of the book: the forward and backward tables, headed in {@code lang}. */
    static void passes(PrintWriter out, Trace t, int digits, Language lang) {
        passes(out, t, digits, List.of(), lang);
    }

    /**
     * Step 1 and Step 2, with the statements in {@code unused} (which the output does not depend
     * on) marked as such, and a line saying what that means.
     */
    static void passes(PrintWriter out, Trace t, int digits, List<String> unused, Language lang) {
        out.println(lang.text("step1"));
        List<String[]> rows = new ArrayList<>();
        for (Trace.Row r : t.forward()) {
            String mark = unused.contains(r.name()) ? lang.text("step1.unusedMark") : "";
            rows.add(unused.isEmpty() ? new String[] {r.name() + " = " + r.expression(), num(r.number(), digits)}
                    : new String[] {r.name() + " = " + r.expression(), num(r.number(), digits), mark});
        }
        table(out, "  ", rows);
        if (!unused.isEmpty()) {
            out.println("  " + lang.text(unused.size() == 1 ? "step1.unusedOne" : "step1.unusedMany", t.outputName()));
        }
        out.println();
        out.println(lang.text("step2"));
        rows = new ArrayList<>();
        String o = t.outputName();
        for (Trace.Row r : t.backward()) {
            rows.add(new String[] {"∂" + o + "/∂" + r.name(), num(r.number(), digits)});
        }
        if (rows.isEmpty()) {
            out.println("  " + lang.text("step2.oneStep"));
        }
        table(out, "  ", rows);
    }

    /** Prints a text that may span lines (a bundle's value with \n) one println per line, as the platform ends lines. */
    static void lines(PrintWriter out, String text) {
        text.lines().forEach(out::println);
    }

    /** The gradient with respect to the inputs, one per line. */
    static void gradient(PrintWriter out, String outputName, Map<String, Double> g, int digits) {
        List<String[]> rows = new ArrayList<>();
        g.forEach((k, v) -> rows.add(new String[] {"∂" + outputName + "/∂" + k, num(v, digits)}));
        table(out, "  ", rows);
    }

    /** Names on stderr the first step that produced a NaN or infinity, if any. */
    static void warnNonFinite(PrintWriter err, Optional<NonFinite> nf) {
        nf.ifPresent(n -> err.println("backprop: warning: " + n.message()));
    }
}
