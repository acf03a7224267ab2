package dev.backprop.book;

import dev.backprop.check.FiniteDifference;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Program;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Notebook 7.1's toy model, {@code f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x)))} with loss
 * {@code ℓ = (f − y)²}, written in the book's own steps, and its worked example: the trace, then
 * each parameter's derivative by backprop, by the closed form and by the notebook's forward
 * difference.
 */
public final class ToyModel {
    /** The toy loss, one line per step of the book's forward pass. */
    public static final String PROGRAM = String.join("\n",
            "f0 = beta0 + omega0*x",
            "h1 = sin(f0)",
            "f1 = beta1 + omega1*h1",
            "h2 = exp(f1)",
            "f2 = beta2 + omega2*h2",
            "h3 = cos(f2)",
            "f3 = beta3 + omega3*h3",
            "l = (f3 - y)^2");

    /** The parameters, in the order the notebook prints their derivatives. */
    public static final List<String> PARAMETERS = List.of(
            "beta3", "omega3", "beta2", "omega2", "beta1", "omega1", "beta0", "omega0");

    private static final Formula FORMULA = Formula.compile(PROGRAM);

    private ToyModel() {
    }

    /** The compiled toy program. */
    public static Formula formula() {
        return FORMULA;
    }

    /** The notebook's point: x = 2.3, y = 2.0, β = (1, 2, −3, 0.4), ω = (0.1, −0.4, 2, 3). */
    public static Map<String, Double> notebookPoint() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("x", 2.3);
        m.put("y", 2.0);
        m.put("beta0", 1.0);
        m.put("beta1", 2.0);
        m.put("beta2", -3.0);
        m.put("beta3", 0.4);
        m.put("omega0", 0.1);
        m.put("omega1", -0.4);
        m.put("omega2", 2.0);
        m.put("omega3", 3.0);
        return m;
    }

    /**
     * One parameter's derivative three ways.
     *
     * @param name             the parameter
     * @param backprop         reverse mode (Step 3 of the notebook)
     * @param closedForm       the closed-form derivative, evaluated
     * @param finiteDifference the notebook's forward difference with step 1e-5
     */
    public record Parameter(String name, double backprop, double closedForm, double finiteDifference) {
    }

    /**
     * The worked example.
     *
     * @param trace      forward and backward passes
     * @param parameters the eight parameter derivatives, in the notebook's order
     */
    public record Report(Trace trace, List<Parameter> parameters) {
    }

    /** Runs the worked example at {@code point} (values for x, y and the eight parameters). */
    public static Report run(Map<String, Double> point) {
        Trace trace = Trace.of(FORMULA, point);
        Program p = FORMULA.program();
        List<String> inputs = p.inputs();
        double[] x = new double[inputs.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = point.get(inputs.get(k));
        }
        List<Parameter> params = new ArrayList<>();
        for (String name : PARAMETERS) {
            double closed = FORMULA.derivative(name).valueAt(point);
            double fd = FiniteDifference.forward(FiniteDifference.of(p), x, inputs.indexOf(name),
                    FiniteDifference.NOTEBOOK_STEP);
            params.add(new Parameter(name, trace.gradient().get(name), closed, fd));
        }
        return new Report(trace, Collections.unmodifiableList(params));
    }
}
