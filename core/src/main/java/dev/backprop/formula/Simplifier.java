package dev.backprop.formula;

import dev.backprop.op.Algebra;
import dev.backprop.op.CustomFunction;
import dev.backprop.op.Op;
import java.util.List;

/**
 * Builds expressions for closed-form derivatives, simplifying each new node as it is built so
 * the printed result carries no {@code 0*…}, {@code 1*…}, {@code …+0} or double negations.
 *
 * <p>Every rule looks only at the new node and its immediate arguments. A rule may rebuild with
 * another rule (a*(-b) → -(a*b)), and on the unsimplified values of a user's formula
 * ({@code ----x}, {@code x/2/2/…/2}) such chains could be as deep as the formula; a depth budget of
 * {@link #DEPTH} nested rewrites bounds them, after which a node is built as is. So building costs
 * O(1) and never needs deep stack. Rules that move a minus sign or a constant keep the value
 * exactly (a sign change is exact in floating point) or change it by rounding only (merging two
 * constant factors, {@code a*(b/c) → a*b/c}). As is usual in computer algebra, {@code 0*x → 0}
 * and {@code x - x → 0} assume {@code x} is finite; the reverse sweep makes the same assumption when
 * it skips zero adjoints.
 */
final class Simplifier implements Algebra<Expr> {
    static final Simplifier INSTANCE = new Simplifier();
    /** How many rewrites may nest before a node is built without simplification. */
    static final int DEPTH = 12;

    private Simplifier() {
    }

    @Override
    public Expr constant(double value) {
        return Expr.constant(value);
    }

    @Override
    public Expr apply(Op op, Expr a, Expr b) {
        switch (op) {
            case ADD: return add(a, b, 0);
            case SUB: return sub(a, b, 0);
            case MUL: return mul(a, b, 0);
            case DIV: return div(a, b, 0);
            case NEG: return neg(a, 0);
            case POW: return pow(a, b);
            default:
                if (a.isConstant() && (op.unary() || b.isConstant())) {
                    return Expr.constant(op.apply(a.value, op.unary() ? 0 : b.value));
                }
                return Expr.apply(op, a, b);
        }
    }

    @Override
    public Expr apply(Op op, List<Expr> args) {
        if (args.size() <= 2) {
            return apply(op, args.get(0), args.size() > 1 ? args.get(1) : null);
        }
        if (args.stream().allMatch(Expr::isConstant)) {
            return Expr.constant(op.value(args.stream().mapToDouble(e -> e.value).toArray()));
        }
        return Expr.apply(op, args);
    }

    /** A custom function's call, folded to its value when every argument is a constant. */
    @Override
    public Expr call(CustomFunction f, List<Expr> args) {
        if (args.stream().allMatch(Expr::isConstant)) {
            return Expr.constant(f.value(args.stream().mapToDouble(e -> e.value).toArray()));
        }
        return Expr.apply(f, args);
    }

    private static boolean zero(Expr e) {
        return e.isConstant() && e.value == 0;
    }

    @Override
    public Expr add(Expr a, Expr b) {
        return add(a, b, 0);
    }

    private Expr add(Expr a, Expr b, int d) {
        if (d > DEPTH) {
            return Expr.apply(Op.ADD, a, b);
        }
        if (a.isConstant() && b.isConstant()) {
            return Expr.constant(a.value + b.value);
        }
        if (zero(a)) {
            return b;
        }
        if (zero(b)) {
            return a;
        }
        if (b.is(Op.NEG)) {
            return sub(a, b.a, d + 1);
        }
        if (b.isConstant() && b.value < 0) {
            return sub(a, Expr.constant(-b.value), d + 1);
        }
        if (a.is(Op.NEG)) {
            return sub(b, a.a, d + 1);
        }
        if (a.sameAs(b)) {
            return mul(Expr.constant(2), a, d + 1);
        }
        return Expr.apply(Op.ADD, a, b);
    }

    @Override
    public Expr sub(Expr a, Expr b) {
        return sub(a, b, 0);
    }

    private Expr sub(Expr a, Expr b, int d) {
        if (d > DEPTH) {
            return Expr.apply(Op.SUB, a, b);
        }
        if (a.isConstant() && b.isConstant()) {
            return Expr.constant(a.value - b.value);
        }
        if (zero(b)) {
            return a;
        }
        if (zero(a)) {
            return neg(b, d + 1);
        }
        if (a.sameAs(b)) {
            return Expr.ZERO;
        }
        if (b.is(Op.NEG)) {
            return add(a, b.a, d + 1);
        }
        if (b.isConstant() && b.value < 0) {
            return add(a, Expr.constant(-b.value), d + 1);
        }
        return Expr.apply(Op.SUB, a, b);
    }

    @Override
    public Expr neg(Expr a) {
        return neg(a, 0);
    }

    private Expr neg(Expr a, int d) {
        if (d > DEPTH) {
            return Expr.apply(Op.NEG, a, null);
        }
        if (a.isConstant()) {
            return Expr.constant(-a.value);
        }
        if (a.is(Op.NEG)) {
            return a.a;
        }
        if (a.is(Op.SUB)) {
            return Expr.apply(Op.SUB, a.b, a.a);
        }
        if ((a.is(Op.MUL) || a.is(Op.DIV)) && a.a.isConstant()) {
            return Expr.apply(a.op, Expr.constant(-a.a.value), a.b);
        }
        return Expr.apply(Op.NEG, a, null);
    }

    @Override
    public Expr mul(Expr a, Expr b) {
        return mul(a, b, 0);
    }

    private Expr mul(Expr a, Expr b, int d) {
        if (d > DEPTH) {
            return Expr.apply(Op.MUL, a, b);
        }
        if (a.isConstant() && b.isConstant()) {
            return Expr.constant(a.value * b.value);
        }
        if (zero(a) || zero(b)) {
            return Expr.ZERO;
        }
        if (a.is(1)) {
            return b;
        }
        if (b.is(1)) {
            return a;
        }
        if (a.is(-1)) {
            return neg(b, d + 1);
        }
        if (b.is(-1)) {
            return neg(a, d + 1);
        }
        if (a.is(Op.NEG)) {
            return neg(mul(a.a, b, d + 1), d + 1);
        }
        if (b.is(Op.NEG)) {
            return neg(mul(a, b.a, d + 1), d + 1);
        }
        if (b.is(Op.DIV)) {
            // a*(p/q) → a*p/q: reads as one fraction, and a*(1/q) becomes a/q.
            return div(mul(a, b.a, d + 1), b.b, d + 1);
        }
        if (a.is(Op.DIV)) {
            return div(mul(a.a, b, d + 1), a.b, d + 1);
        }
        if (a.isConstant()) {
            if (b.is(Op.MUL) && b.a.isConstant()) {
                return mul(Expr.constant(a.value * b.a.value), b.b, d + 1);
            }
            return Expr.apply(Op.MUL, a, b);
        }
        if (b.isConstant()) {
            if (a.is(Op.MUL) && a.a.isConstant()) {
                return mul(Expr.constant(a.a.value * b.value), a.b, d + 1);
            }
            // A constant factor goes in front of a single factor (3*cos(x)), after a product.
            return a.is(Op.MUL) || a.is(Op.DIV) ? Expr.apply(Op.MUL, a, b) : Expr.apply(Op.MUL, b, a);
        }
        if (b.is(Op.MUL) && b.a.isConstant()) {
            // a*(c*q) → (a*c)*q keeps products flat: x*cos(x)*2*(f - y), not x*cos(x)*(2*(f - y)).
            return Expr.apply(Op.MUL, mul(a, b.a, d + 1), b.b);
        }
        return Expr.apply(Op.MUL, a, b);
    }

    @Override
    public Expr div(Expr a, Expr b) {
        return div(a, b, 0);
    }

    private Expr div(Expr a, Expr b, int d) {
        if (d > DEPTH) {
            return Expr.apply(Op.DIV, a, b);
        }
        if (a.isConstant() && b.isConstant()) {
            return Expr.constant(a.value / b.value);
        }
        if (zero(a)) {
            return Expr.ZERO;
        }
        if (b.is(1)) {
            return a;
        }
        if (b.is(-1)) {
            return neg(a, d + 1);
        }
        if (a.is(Op.NEG)) {
            return neg(div(a.a, b, d + 1), d + 1);
        }
        if (b.is(Op.NEG)) {
            return neg(div(a, b.a, d + 1), d + 1);
        }
        return Expr.apply(Op.DIV, a, b);
    }

    private Expr pow(Expr a, Expr b) {
        if (a.isConstant() && b.isConstant()) {
            return Expr.constant(Math.pow(a.value, b.value));
        }
        if (b.is(1)) {
            return a;
        }
        if (zero(b)) {
            return Expr.ONE;
        }
        return Expr.apply(Op.POW, a, b);
    }
}
