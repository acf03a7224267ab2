package dev.backprop.formula;

import dev.backprop.op.Op;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * Prints expressions as formula text with the fewest parentheses that keep the value, and the
 * spacing of {@code a + b*c}, {@code -sin(f2)}, {@code x^2}, {@code max(a, b)}. Works with an
 * explicit stack, so depth costs no Java stack.
 *
 * <p>The printed text parses back to the same tree, with one deliberate exception: a negated
 * product prints without parentheses ({@code -x*cos(f0)}), which parses as a product of a
 * negation; the two are equal bit for bit because a sign change is exact. A right operand that
 * starts with a minus gets parentheses for readability ({@code a*(-b)}, {@code x^(-1)}).
 *
 * <p>Numbers use the digits of {@link Double#toString(double)}, which round-trip exactly, without
 * a trailing {@code .0} and with a lower-case exponent: {@code 2}, {@code 0.5}, {@code 1e-5},
 * {@code 6.283185307179586}. NaN and infinities, which have no literal, print as {@code (0/0)},
 * {@code (1/0)} and {@code (-1/0)}, which fold back to the same values.
 */
final class Printer {
    private static final int SUM = 1, PRODUCT = 2, UNARY = 3, POWER = 4, ATOM = 5;

    private final Map<Expr, String> names;
    private final Set<String> used;
    private final Set<String> constants;

    /**
     * @param names     expressions to print by name instead of expanding (temporaries); may be empty
     * @param used      collects every name printed (for finding which statements a text needs); or null
     * @param constants names of constant statements ({@code k = 2*pi}): a minus printed right before
     *                  one would fold it into an unnamed number when parsed, so {@code -(k*x)} keeps
     *                  its parentheses
     */
    Printer(Map<Expr, String> names, Set<String> used, Set<String> constants) {
        this.names = names;
        this.used = used;
        this.constants = constants;
    }

    /** A number as formula text that parses back to exactly {@code v}. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "(0/0)";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "(1/0)" : "(-1/0)";
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return e < 0 ? mantissa : mantissa + "e" + s.substring(e + 1);
    }

    /** Prints {@code root} in full (even if it has a name itself), its named parts by name. */
    String print(Expr root) {
        StringBuilder out = new StringBuilder();
        Deque<Object> work = new ArrayDeque<>();
        expand(root, work);
        while (!work.isEmpty()) {
            Object w = work.pop();
            if (w instanceof String) {
                out.append((String) w);
            } else {
                Expr e = (Expr) w;
                String n = names.get(e);
                if (n != null) {
                    out.append(n);
                    note(n);
                } else {
                    expand(e, work);
                }
            }
        }
        return out.toString();
    }

    private void note(String name) {
        if (used != null) {
            used.add(name);
        }
    }

    /** Pushes the pieces of {@code e} (not by name) onto {@code work}, last piece first. */
    private void expand(Expr e, Deque<Object> work) {
        if (e.isName()) {
            work.push(e.name);
            note(e.name);
            return;
        }
        if (e.isConstant()) {
            work.push(number(e.value));
            return;
        }
        Op op = e.op;
        if (op == null) {
            pushCall(e, work);
            return;
        }
        switch (op) {
            case ADD:
            case SUB:
                pushOperand(work, e.b, prec(e.b) <= SUM || startsWithMinus(e.b));
                work.push(op == Op.ADD ? " + " : " - ");
                pushOperand(work, e.a, false);
                return;
            case MUL:
            case DIV:
                pushOperand(work, e.b, prec(e.b) <= PRODUCT || startsWithMinus(e.b));
                work.push(op == Op.MUL ? "*" : "/");
                pushOperand(work, e.a, prec(e.a) < PRODUCT);
                return;
            case NEG:
                pushOperand(work, e.a, negationNeedsParentheses(e.a));
                work.push("-");
                return;
            case POW:
                pushOperand(work, e.b, prec(e.b) < POWER);
                work.push("^");
                pushOperand(work, e.a, prec(e.a) <= POWER);
                return;
            default:
                pushCall(e, work);
        }
    }

    /** {@code name(a, b, …)}: every primitive called by name, and every custom function. */
    private static void pushCall(Expr e, Deque<Object> work) {
        work.push(")");
        for (int k = e.args.size() - 1; k > 0; k--) {
            work.push(e.args.get(k));
            work.push(", ");
        }
        work.push(e.a);
        work.push(e.rule.symbol() + "(");
    }

    private static void pushOperand(Deque<Object> work, Expr e, boolean parentheses) {
        if (parentheses) {
            work.push(")");
            work.push(e);
            work.push("(");
        } else {
            work.push(e);
        }
    }

    /** How tightly {@code e} binds as printed (a name binds like an atom). */
    private int prec(Expr e) {
        if (e.isLeaf() || names.containsKey(e)) {
            return e.isConstant() && startsWithMinus(e) ? UNARY : ATOM;
        }
        if (e.op == null) {
            return ATOM;
        }
        switch (e.op) {
            case ADD: case SUB: return SUM;
            case MUL: case DIV: return PRODUCT;
            case NEG: return UNARY;
            case POW: return POWER;
            default: return ATOM;
        }
    }

    /** Whether {@code e} prints with a leading minus: {@code -a}, {@code -2}, {@code -a*b}, {@code -a/b}. */
    private boolean startsWithMinus(Expr e) {
        while ((e.is(Op.MUL) || e.is(Op.DIV)) && !names.containsKey(e)) {
            e = e.a;
        }
        if (names.containsKey(e)) {
            return false;
        }
        if (e.isConstant()) {
            return Double.isFinite(e.value) && (e.value < 0 || Double.doubleToRawLongBits(e.value) == Long.MIN_VALUE);
        }
        return e.is(Op.NEG);
    }

    /**
     * A negated product prints as {@code -a*b} (equal to {@code -(a*b)} exactly), unless the
     * product itself starts with a minus, which would give {@code --a*b}, or with a constant's name.
     */
    private boolean negationNeedsParentheses(Expr x) {
        if (names.containsKey(x)) {
            return false;
        }
        if (x.is(Op.MUL) || x.is(Op.DIV)) {
            Expr first = x;
            while ((first.is(Op.MUL) || first.is(Op.DIV)) && !names.containsKey(first)) {
                first = first.a;
            }
            // A minus right before NaN or ±∞ (printed as (0/0), (1/0)) would fold into that constant
            // when parsed and change the text, so keep the whole product in parentheses.
            return startsWithMinus(first) || (first.isName() && constants.contains(first.name))
                    || (first.isConstant() && !Double.isFinite(first.value));
        }
        return prec(x) < POWER;
    }
}
