package dev.backprop.cli;

import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code backprop help formulas}: the formula language on one screen. The list of functions is
 * generated from the rule table ({@link Op}), so a new primitive shows up here by itself.
 */
final class FormulaHelp {
    private FormulaHelp() {
    }

    /** Every function a formula may call, as a call: {@code sin(x)}, …, then {@code pow(a, b)}, …; each group in the table's order. */
    static List<String> functions() {
        List<String> unary = new ArrayList<>();
        List<String> more = new ArrayList<>();
        for (Op op : Op.values()) {
            if (Op.ofFunctionName(op.symbol()) == op) {
                (op.unary() ? unary : more).add(op.symbol() + "(" + arguments(op.minArity())
                        + (op.accepts(op.minArity() + 1) ? ", …" : "") + ")");
            }
        }
        unary.addAll(more);
        return unary;
    }

    private static String arguments(int arity) {
        if (arity == 1) {
            return "x";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            names.add(arity <= 3 ? String.valueOf((char) ('a' + i)) : "a" + (i + 1));
        }
        return String.join(", ", names);
    }

    static String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                Formulas

                A formula is a program of statements `name = expression`, separated by newlines or ';'.
                The last line (a statement or a bare expression) is the output; names never assigned
                are the inputs, given by --at (or by columns of --data). '#' starts a comment. Inside
                parentheses an expression may continue on the next line.

                  f0 = beta0 + omega0*x; h1 = sin(f0); l = (h1 - y)^2
                  (a*sin(b*x) - y)^2

                FORMULA on the command line is the text itself, @FILE to read it from a file, or - for
                standard input. A formula may start with '-': backprop grad "-log(p)" --at p=0.5
                (also "-omega*x" for graph, whose -o never takes a glued value). After '--', which
                ends the options, the formula may be anything: backprop grad --at p=0.5 -- "-log(p)"

                Numbers    2  2.5  .5  1e-3          (1e400, too large for a double, is an error)
                Names      letters, digits and _: x  beta0  omega_1  β0  f₀
                Constants  pi  e                     (so an input cannot be called pi or e)
                Operators  + - * /, unary -, ^ (power, right-associative; ** also works), ( )
                           precedence, loosest first: + -, then * /, then unary -, then ^,
                           so -x^2 = -(x^2) and 2^-1 = 0.5
                As printed and in the book, also:
                           · ⋅ × for *, ÷ for /, − (U+2212) for -, x² x³ x⁻¹ for powers, π for pi;
                           a byte-order mark at the start of a file is ignored.
                           2x is not a product: write 2*x.

                Functions (the rule table: each has its value and derivative in one place; max, min and
                logsumexp take two or more arguments, and a tie shares the gradient equally)
                """);
        List<String> f = functions();
        StringBuilder line = new StringBuilder("  ");
        for (String s : f) {
            if (line.length() > 2 && line.length() + s.length() + 2 > 90) {
                sb.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder("  ");
            }
            line.append(s).append("  ");
        }
        sb.append(line.toString().stripTrailing()).append('\n');
        sb.append("""

                Values for --at and --init (and every number option) are written as CSV cells are:
                2, -0.5, .5, 1., 1e-3, +7, nan, inf, -inf, infinity (any case); and pi, e.

                Your own functions: def name(a, b) = expression, for the rest of the program; the body
                uses only its arguments, constants and functions (no recursion):
                  def swish(z) = z*sigmoid(z)
                  l = (swish(w*x) - y)^2

                Try:  backprop trace "l = (sin(x)*w - y)^2" --at x=1,w=2,y=0.5
                      backprop diff "l = (sin(x)*w - y)^2" --wrt w
                """);
        return sb.toString();
    }
}
