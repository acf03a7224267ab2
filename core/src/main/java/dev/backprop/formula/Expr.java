package dev.backprop.formula;

import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.List;

/**
 * A node of a printable expression: a constant, a name, or a rule (a primitive or a custom
 * function) applied to its arguments ({@link #a} and {@link #b} are the first two, {@link #args}
 * all of them). Expressions are shared freely (a DAG), so identity, not structure, is what counts;
 * nothing here walks an expression recursively.
 */
final class Expr {
    static final Expr ZERO = new Expr(0, null, null, List.of());
    static final Expr ONE = new Expr(1, null, null, List.of());

    final double value;
    final String name;
    /** The rule applied, or null for a leaf. */
    final Rule rule;
    /** {@link #rule} when it is a primitive; null for a leaf or a custom function's call. */
    final Op op;
    final Expr a;
    final Expr b;
    /** Every argument, in order; empty for a leaf. */
    final List<Expr> args;

    private Expr(double value, String name, Rule rule, List<Expr> args) {
        this.value = value;
        this.name = name;
        this.rule = rule;
        this.op = rule instanceof Op o ? o : null;
        this.args = args;
        this.a = args.isEmpty() ? null : args.get(0);
        this.b = args.size() < 2 ? null : args.get(1);
    }

    static Expr constant(double v) {
        if (v == 0 && Double.doubleToRawLongBits(v) == 0) {
            return ZERO;
        }
        if (v == 1) {
            return ONE;
        }
        return new Expr(v, null, null, List.of());
    }

    static Expr name(String name) {
        return new Expr(Double.NaN, name, null, List.of());
    }

    /** {@code op} applied as is, without simplification ({@code b} null for unary primitives). */
    static Expr apply(Op op, Expr a, Expr b) {
        return new Expr(Double.NaN, null, op, b == null || op.unary() ? List.of(a) : List.of(a, b));
    }

    /** {@code rule} applied as is to any number of arguments. */
    static Expr apply(Rule rule, List<Expr> args) {
        return new Expr(Double.NaN, null, rule, List.copyOf(args));
    }

    boolean isConstant() {
        return rule == null && name == null;
    }

    boolean isName() {
        return name != null;
    }

    boolean isLeaf() {
        return rule == null;
    }

    boolean is(double v) {
        return isConstant() && value == v && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(v);
    }

    boolean is(Op o) {
        return op == o;
    }

    /** Whether {@code this} and {@code o} are the same value for sure: the same node, constant or name. */
    boolean sameAs(Expr o) {
        if (this == o) {
            return true;
        }
        if (isName() && o.isName()) {
            return name.equals(o.name);
        }
        return isConstant() && o.isConstant()
                && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(o.value);
    }
}
