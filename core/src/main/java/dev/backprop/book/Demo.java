package dev.backprop.book;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.FormulaFit;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;

import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import dev.backprop.optim.Optimizer;
import dev.backprop.random.RandomState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The toy model of notebook 7.1 fitted to data it generates itself, so a newcomer can watch a fit
 * with no files: {@value #POINTS} points with x uniform in [−4, 4] and y = f[x, φ_true] + N(0, 0.1²)
 * noise (numpy's {@code RandomState(seed)}: first the x's, then the noise), fitted from the
 * notebook's parameters β = (1, 2, −3, 0.4), ω = (0.1, −0.4, 2, 3) with Adam.
 *
 * <p>The fit drives the loss down to the noise floor (about N·0.1² = 1) from about 320, but the
 * toy model is not identifiable: β1 and ω2 enter only through ω2·exp(β1 + …), and sin and cos are
 * periodic, so different parameters give almost the same curve and the fitted values need not
 * equal the true ones.
 */
public final class Demo {
    /** Number of generated points. */
    public static final int POINTS = 100;
    /** Standard deviation of the Gaussian noise added to y. */
    public static final double NOISE = 0.1;
    /** The loss at one point: the toy model's least squares in the book's steps. */
    public static final String FORMULA = "f0 = beta0 + omega0*x; h1 = sin(f0); f1 = beta1 + omega1*h1; h2 = exp(f1); "
            + "f2 = beta2 + omega2*h2; h3 = cos(f2); f3 = beta3 + omega3*h3; l = (f3 - y)^2";
    /** Parameter names in the order results list them. */
    public static final List<String> PARAMETERS = List.of("beta0", "beta1", "beta2", "beta3", "omega0", "omega1", "omega2", "omega3");
    private static final double[] TRUE = {0.8, 2.2, -3.2, 0.2, 0.2, -0.6, 1.8, 2.6};
    private static final double[] INITIAL = {1.0, 2.0, -3.0, 0.4, 0.1, -0.4, 2.0, 3.0};

    private Demo() {
    }

    /** What the demo did. */
    public record Result(Map<String, Double> truth, Map<String, Double> initial, double trueLoss, FitResult fit, Columns data) {
    }

    /** The parameters the data was generated from. */
    public static Map<String, Double> truth() {
        return named(TRUE);
    }

    /** The notebook's parameters, where the fit starts. */
    public static Map<String, Double> initial() {
        return named(INITIAL);
    }

    /** The toy model f[x, φ] itself. */
    public static double model(Map<String, Double> p, double x) {
        double f0 = p.get("beta0") + p.get("omega0") * x;
        double f1 = p.get("beta1") + p.get("omega1") * Math.sin(f0);
        double f2 = p.get("beta2") + p.get("omega2") * Math.exp(f1);
        return p.get("beta3") + p.get("omega3") * Math.cos(f2);
    }

    /** The generated data, columns x and y. */
    public static Columns data(long seed) {
        RandomState rng = new RandomState(seed);
        Map<String, Double> t = truth();
        double[] x = new double[POINTS];
        double[] y = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = rng.uniform(-4, 4);
        }
        for (int i = 0; i < POINTS; i++) {
            y[i] = model(t, x[i]) + rng.normal(0, NOISE);
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        return new Columns(m);
    }

    /** The default optimiser: Adam, α = 0.01, β = 0.9, γ = 0.999, ε = 1e-8. */
    public static Optimizer defaultOptimizer() {
        return Optimizer.adam(0.01, 0.9, 0.999, 1e-8);
    }

    /** The default schedule: 2000 full-batch steps. */
    public static Schedule defaultSchedule() {
        return Schedule.steps(2000);
    }

    /** The demo with its defaults and data seed 0. */
    public static Result run() {
        return run(0, defaultOptimizer(), defaultSchedule(), Progress.NONE, new AtomicBoolean());
    }

    /**
     * Generates the data with {@code seed} and fits it.
     *
     * @param seed the data's seed (the schedule's own seed shuffles mini-batches, if any)
     */
    public static Result run(long seed, Optimizer optimizer, Schedule schedule, Progress progress, AtomicBoolean interrupt) {
        Columns data = data(seed);
        FormulaFit fit = FormulaFit.of(Formula.compile(FORMULA), data, PARAMETERS);
        FitResult r = fit.fit(initial(), optimizer, schedule, progress, interrupt);
        return new Result(truth(), initial(), fit.loss(truth()), r, data);
    }

    private static Map<String, Double> named(double[] v) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            m.put(PARAMETERS.get(i), v[i]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
