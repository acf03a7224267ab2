package dev.backprop.check;

import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Second derivatives by backprop (the reverse sweep recorded and swept again, {@link
 * Evaluation#hessian()}) against central differences of the backprop gradient: the check behind
 * {@code backprop check --order 2}.
 *
 * @param entries one per pair of checked inputs, row by row
 * @param rule    the tolerance used
 */
public record HessianCheck(List<Entry> entries, AllClose rule) {

    /**
     * One second derivative ∂²f/∂row∂col.
     *
     * @param backprop         by backprop
     * @param finiteDifference the central difference of ∂f/∂row along col
     * @param agrees           within the rule, or within the difference's own rounding error
     */
    public record Entry(String row, String col, double backprop, double finiteDifference, boolean agrees) {
    }

    /** Whether every entry agrees. */
    public boolean passed() {
        return entries.stream().allMatch(Entry::agrees);
    }

    /**
     * Checks the second derivatives of {@code program} with respect to {@code wrt} at {@code at}.
     *
     * @param step the difference step, or NaN for {@link FiniteDifference#centralStep} per input
     */
    public static HessianCheck run(Program program, Map<String, Double> at, List<String> wrt, AllClose rule, double step) {
        List<String> inputs = program.inputs();
        double[] x = new double[inputs.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = at.get(inputs.get(k));
        }
        double[][] h = program.evaluate(x).hessian();
        List<Entry> entries = new ArrayList<>();
        for (String r : wrt) {
            int i = inputs.indexOf(r);
            for (String c : wrt) {
                int j = inputs.indexOf(c);
                double hj = Double.isNaN(step) ? FiniteDifference.centralStep(x[j]) : step;
                FiniteDifference.Estimate fd = FiniteDifference.centralEstimate(
                        p -> program.evaluate(p).gradient().of(r), x, j, hj);
                boolean agrees = rule.isClose(h[i][j], fd.value())
                        || Math.abs(h[i][j] - fd.value()) <= fd.roundingError();
                entries.add(new Entry(r, c, h[i][j], fd.value(), agrees));
            }
        }
        return new HessianCheck(List.copyOf(entries), rule);
    }
}
