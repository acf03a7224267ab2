package dev.backprop.batch;

import java.util.Map;

/**
 * The output of a {@link BatchProgram} summed over N points.
 *
 * @param n        the number of points
 * @param sum      the sum of the output over the points
 * @param mean     {@code sum / n} (NaN when {@code n == 0})
 * @param gradient the gradient of the SUM with respect to every scalar input, in
 *                 {@link BatchProgram#scalars()} order; empty for {@link BatchProgram#value}
 */
public record BatchResult(int n, double sum, double mean, Map<String, Double> gradient) {
    /** Copies the gradient into an unmodifiable map that keeps its order. */
    public BatchResult {
        gradient = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gradient));
    }
}
