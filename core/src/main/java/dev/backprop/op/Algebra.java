package dev.backprop.op;

/**
 * Something that can build expressions out of constants and primitive applications.
 *
 * <p>The derivative rules in {@link Op} are written once against this interface, so the same rule
 * yields a number (when {@code E} is a value) or a printable closed form (when {@code E} is a
 * syntax node). Implementations may simplify as they build ({@code 0*x → 0}, {@code 1*x → x}).
 *
 * <p>A {@link CustomFunction}'s expression partials are written against it too, and may call
 * other custom functions ({@link #call}).
 *
 * @param <E> the kind of expression built
 */
public interface Algebra<E> {

    /** A constant. */
    E constant(double value);

    /** {@code op} applied to {@code a} (unary operations) or to {@code a} and {@code b}. */
    E apply(Op op, E a, E b);

    /** {@code op} applied to one argument. */
    default E apply(Op op, E a) {
        return apply(op, a, null);
    }

    /** {@code op} applied to any number of arguments its {@link Op#accepts} ({@code max(a, b, c)}). */
    E apply(Op op, java.util.List<E> args);

    /**
     * A {@link CustomFunction} applied to its arguments. An algebra that cannot represent one
     * refuses, naming the function, rather than building something else.
     *
     * @throws IllegalArgumentException unless overridden
     */
    default E call(CustomFunction f, java.util.List<E> args) {
        throw new IllegalArgumentException("the custom function " + f.name() + " cannot be used here");
    }

    /** {@code rule} applied to its arguments: {@link #apply(Op, java.util.List)} or {@link #call}. */
    default E apply(Rule rule, java.util.List<E> args) {
        return rule instanceof Op op ? apply(op, args) : call((CustomFunction) rule, args);
    }

    default E add(E a, E b) {
        return apply(Op.ADD, a, b);
    }

    default E sub(E a, E b) {
        return apply(Op.SUB, a, b);
    }

    default E mul(E a, E b) {
        return apply(Op.MUL, a, b);
    }

    default E div(E a, E b) {
        return apply(Op.DIV, a, b);
    }

    default E neg(E a) {
        return apply(Op.NEG, a);
    }
}
