package dev.backprop.batch;

/**
 * Where a sum over data stopped being finite: the first row whose value or derivative is NaN or
 * infinite, and why, from that row re-evaluated step by step by the scalar engine.
 *
 * @param row     the row's index (from 0), or -1 when every row is finite and only their sum overflows
 * @param message what went wrong there, e.g. {@code forward pass: step l = log(x) gave NaN}
 */
public record NonFiniteRow(int row, String message) {
    /** The message of row -1: every row finite, their sum not (also what a sum over a cluster says). */
    public static final String OVERFLOW = "the sum is not finite although every row is: the terms overflow when added";
}
