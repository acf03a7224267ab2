package dev.backprop.check;

import dev.backprop.check.AllClose;
import dev.backprop.check.FiniteDifference;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Program;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Backpropagation checked two independent ways, per input: against central finite differences and
 * against the closed-form derivative, each with numpy's {@code allclose} rule.
 *
 * @param entries one per input checked
 * @param rule    the tolerances used
 */
public record GradientCheck(List<Entry> entries, AllClose rule) {

    /**
     * One input's three derivatives.
     *
     * @param input            the input's name
     * @param backprop         reverse mode
     * @param finiteDifference central difference
     * @param closedForm       the symbolic derivative, evaluated
     * @param step             the finite-difference step used
     * @param finiteDifferenceError what rounding of the formula's values alone can make the
     *                         central difference err by ({@link FiniteDifference.Estimate}): large
     *                         where |f| is large against the step; backprop agrees with the finite
     *                         difference when within the tolerances or within this
     * @param agrees           whether backprop is close to both references
     */
    public record Entry(String input, double backprop, double finiteDifference, double closedForm,
                        double step, double finiteDifferenceError, boolean agrees) {
    }

    /** Whether every input agrees. */
    public boolean passed() {
        return entries.stream().allMatch(Entry::agrees);
    }

    /**
     * Runs the check.
     *
     * @param step the central-difference step, or NaN to pick one per input from its value
     */
    public static GradientCheck run(Formula formula, Map<String, Double> at, List<String> wrt,
                                    AllClose rule, double step) {
        Program p = formula.program();
        Map<String, Double> g = p.evaluate(at).gradient().inputs();
        List<String> inputs = p.inputs();
        double[] x = new double[inputs.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = at.get(inputs.get(k));
        }
        ToDoubleFunction<double[]> f = FiniteDifference.of(p);
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < x.length; k++) {
            index.put(inputs.get(k), k);
        }
        List<Entry> entries = new ArrayList<>();
        for (String name : wrt) {
            int k = index.get(name);
            double h = Double.isNaN(step) ? FiniteDifference.centralStep(x[k]) : step;
            FiniteDifference.Estimate fd = FiniteDifference.centralEstimate(f, x, k, h);
            double closed = formula.derivative(name).formula().program().evaluate(at).value();
            double bp = g.get(name);
            boolean fdAgrees = rule.isClose(bp, fd.value()) || Math.abs(bp - fd.value()) <= fd.roundingError();
            entries.add(new Entry(name, bp, fd.value(), closed, h, fd.roundingError(), fdAgrees && rule.isClose(bp, closed)));
        }
        return new GradientCheck(Collections.unmodifiableList(entries), rule);
    }
}
