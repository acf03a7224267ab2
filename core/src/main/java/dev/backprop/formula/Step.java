package dev.backprop.formula;

/**
 * One row of a trace: a named step of a formula, what it computes, and where its value lives.
 *
 * @param name       the user's name for the step ({@code f0}), {@code value} for the output of a
 *                   bare expression, or {@code t1}, {@code t2}, … for the operations of a one-line
 *                   formula
 * @param expression what the step computes, as written (whitespace normalised) or, for the
 *                   operations of a one-line formula, in terms of earlier steps: {@code t1 * x}
 * @param node       the index of the step's value in {@link Formula#program()}
 */
public record Step(String name, String expression, int node) {}
