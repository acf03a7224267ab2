package dev.backprop.op;

import java.util.List;

/**
 * What an engine needs of a step it records, evaluates or differentiates: a primitive of the rule
 * table ({@link Op}) or a function a user registered ({@link CustomFunction}). Each gives its value,
 * its local partial derivatives as numbers and as expressions over an {@link Algebra}, and how
 * many arguments it takes, over an array (or list) of arguments.
 *
 * <p>Engines keep their fast paths for {@link Op} (its one- and two-argument forms, switched on by
 * ordinal) and reach a custom function through this interface only, so adding one costs the
 * built-in primitives nothing. Sealed: an engine that handles both kinds handles every rule.
 */
public sealed interface Rule permits Op, CustomFunction {

    /** The function name ({@code sin}, {@code swish}) or the infix symbol ({@code +}). */
    String symbol();

    /** The fewest arguments this rule takes. */
    int minArity();

    /** The most arguments this rule takes ({@link Op#VARIADIC} for any number from the minimum). */
    int maxArity();

    /** Whether this rule takes {@code n} arguments. */
    boolean accepts(int n);

    /** Whether this rule takes exactly one argument. */
    boolean unary();

    /** "takes 1 argument", "takes 2 or more arguments": for error messages. */
    String arityText();

    /** The value at {@code x}. */
    double value(double[] x);

    /** ∂y/∂x[arg] at {@code x}, where {@code y = value(x)}. */
    double partial(int arg, double[] x, double y);

    /** {@link #partial(int, double[], double)} as an expression built with {@code s}. */
    <E> E partial(int arg, Algebra<E> s, List<E> x, E y);

    /** Whether argument {@code arg}'s local derivative is a quotient ({@link Op#quotient}). */
    boolean quotient(int arg);

    /** The numerator of a {@link #quotient} rule; otherwise the local derivative itself. */
    double numerator(int arg, double[] x, double y);

    /** The denominator of a {@link #quotient} rule; otherwise 1. */
    double denominator(int arg, double[] x, double y);

    /** {@link #numerator(int, double[], double)} as an expression. */
    <E> E numerator(int arg, Algebra<E> s, List<E> x, E y);

    /** {@link #denominator(int, double[], double)} as an expression. */
    <E> E denominator(int arg, Algebra<E> s, List<E> x, E y);

    /** What this step passes back to argument {@code arg} for the adjoint {@code g}: {@link Op#vjp}'s rule. */
    double vjp(int arg, double g, double[] x, double y);
}
