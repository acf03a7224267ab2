package dev.backprop.explain;

import dev.backprop.check.AllClose;
import dev.backprop.check.FiniteDifference;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import java.util.ArrayList;
import java.util.Collections;
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
     * @param agrees           whether backprop is close to both references
     */
    public record Entry(String input, double backprop, double finiteDifference, double closedForm,
                        double step, boolean agrees) {
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
        Gradient g = p.evaluate(at).gradient();
        List<String> inputs = p.inputs();
        double[] x = new double[inputs.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = at.get(inputs.get(k));
        }
        ToDoubleFunction<double[]> f = FiniteDifference.of(p);
        List<Entry> entries = new ArrayList<>();
        for (String name : wrt) {
            int k = inputs.indexOf(name);
            double h = Double.isNaN(step) ? FiniteDifference.centralStep(x[k]) : step;
            double fd = FiniteDifference.central(f, x, k, h);
            double closed = formula.derivative(name).formula().program().evaluate(at).value();
            double bp = g.of(name);
            entries.add(new Entry(name, bp, fd, closed, h, rule.isClose(bp, fd) && rule.isClose(bp, closed)));
        }
        return new GradientCheck(Collections.unmodifiableList(entries), rule);
    }
}
