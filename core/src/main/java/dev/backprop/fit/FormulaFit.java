package dev.backprop.fit;

import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Program;
import dev.backprop.io.Columns;
import dev.backprop.io.Limits;
import dev.backprop.optim.Optimizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fitting a formula's parameters to data: the loss is the formula's output summed over the points
 * (or over a mini-batch of them). Every input of the formula is either a column of the data or a
 * parameter, never both. Immutable and thread-safe; each {@link #fit} call is its own run.
 *
 * <pre>{@code
 * Formula f = Formula.compile("(a*sin(b*x) - y)^2");
 * FormulaFit fit = FormulaFit.of(f, Csv.read(Path.of("data.csv")), List.of("a", "b"));
 * FitResult r = fit.fit(Map.of("a", 1.0, "b", 1.0), Optimizer.adam(0.01, 0.9, 0.999, 1e-8),
 *         Schedule.steps(2000));
 * }</pre>
 */
public final class FormulaFit {
    private final BatchProgram batch;
    private final Columns data;
    private final List<String> parameters;
    private final List<String> columns;
    private final double[][] columnValues;
    /** One batch program per parameter giving its row of the Hessian; compiled when Newton first asks. */
    private volatile BatchProgram[] hessianRows;

    private FormulaFit(BatchProgram batch, Columns data, List<String> parameters, List<String> columns) {
        this.batch = batch;
        this.data = data;
        this.parameters = parameters;
        this.columns = columns;
        this.columnValues = new double[columns.size()][];
        for (int c = 0; c < columns.size(); c++) {
            columnValues[c] = data.column(columns.get(c));
        }
    }

    /**
     * Prepares a fit of a formula, as {@link #of(Program, Columns, Collection)} does, after
     * {@link Formula#checkColumns}: a column named like a constant the formula uses ({@code e},
     * {@code pi}) is an error, not silently ignored.
     *
     * @throws IllegalArgumentException as {@link #of(Program, Columns, Collection)}, and for such a column
     */
    public static FormulaFit of(Formula formula, Columns data, Collection<String> parameters) {
        formula.checkColumns(data.names());
        return of(formula.program(), data, parameters);
    }

    /**
     * Prepares a fit. (Of a compiled {@link Program}, which no longer knows which of its
     * constants were named {@code e} or {@code pi}; prefer {@link #of(Formula, Columns, Collection)}.)
     *
     * @param program    the loss at one point
     * @param data       the points; columns the formula does not use are ignored
     * @param parameters the inputs to fit, in the order results list them
     * @throws IllegalArgumentException for a parameter that is not an input, a parameter that is
     *                                  also a column, or an input that is neither
     */
    public static FormulaFit of(Program program, Columns data, Collection<String> parameters) {
        Set<String> params = new LinkedHashSet<>(parameters);
        Set<String> inputs = new LinkedHashSet<>(program.inputs());
        for (String p : params) {
            if (!inputs.contains(p)) {
                throw new IllegalArgumentException("unknown parameter " + Limits.quote(p) + ": not an input of the formula (inputs: "
                        + Limits.list(inputs) + ")");
            }
            if (data.has(p)) {
                throw new IllegalArgumentException("'" + p + "' is both a parameter and a column of the data");
            }
        }
        List<String> cols = new ArrayList<>();
        for (String in : inputs) {
            if (params.contains(in)) {
                continue;
            }
            if (!data.has(in)) {
                throw new IllegalArgumentException("input '" + in + "' is neither a column of the data (columns: "
                        + Limits.list(data.names()) + ") nor a parameter with a starting value");
            }
            cols.add(in);
        }
        if (params.isEmpty()) {
            throw new IllegalArgumentException("nothing to fit: no parameters given");
        }
        BatchProgram bp = BatchProgram.compile(program, cols);
        return new FormulaFit(bp, data, List.copyOf(params), List.copyOf(cols));
    }

    /** The parameters, in order. */
    public List<String> parameters() {
        return parameters;
    }

    /** The inputs bound to data columns, in the formula's order. */
    public List<String> columns() {
        return columns;
    }

    /** The loss summed over every point at the given parameter values. */
    public double loss(Map<String, Double> params) {
        return batch.value(data, params).sum();
    }

    /** The formula's output at each point for the given parameters (what the loss sums). */
    public double[] pointLosses(Map<String, Double> params) {
        return batch.pointValues(data, params);
    }

    /**
     * The fitted curve of a loss over two columns: at each {@code xs[i]}, the value of the column
     * {@code target} where the loss is smallest, the parameters at {@code params}. It is the root
     * of ∂loss/∂target, found by one secant step between target 0 and 1: exact for a loss that is
     * quadratic in the target (squared error), an approximation for other losses; NaN where
     * ∂loss/∂target does not depend on the target.
     *
     * @throws IllegalArgumentException unless {@code x} and {@code target} are the formula's only two columns
     */
    public double[] bestTargets(String x, String target, double[] xs, Map<String, Double> params) {
        if (columns.size() != 2 || !columns.contains(x) || !columns.contains(target) || x.equals(target)) {
            throw new IllegalArgumentException("a fitted curve needs a formula of exactly two columns, x and the target; this one has "
                    + String.join(", ", columns));
        }
        Program p = batch.program();
        Map<String, Double> at = new LinkedHashMap<>(params);
        int targetNode = p.inputNode(target);
        double[] curve = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            at.put(x, xs[i]);
            at.put(target, 0.0);
            double g0 = p.evaluate(at).gradient().of(targetNode);
            at.put(target, 1.0);
            double g1 = p.evaluate(at).gradient().of(targetNode);
            curve[i] = g1 == g0 ? Double.NaN : -g0 / (g1 - g0);
        }
        return curve;
    }

    /**
     * Whether the loss is quadratic in {@code target} with positive curvature at every point of
     * {@code xs}: then {@link #bestTargets} is exact, and for a squared error it is the model's
     * prediction. Tested by ∂loss/∂target being affine in the target (equal rises from −1 to 0.5
     * to 2) and rising.
     */
    public boolean quadraticInTarget(String x, String target, double[] xs, Map<String, Double> params) {
        Program p = batch.program();
        Map<String, Double> at = new LinkedHashMap<>(params);
        int node = p.inputNode(target);
        for (double v : xs) {
            at.put(x, v);
            double[] g = new double[3];
            double[] t = {-1, 0.5, 2};
            for (int k = 0; k < 3; k++) {
                at.put(target, t[k]);
                g[k] = p.evaluate(at).gradient().of(node);
            }
            double a = g[1] - g[0];
            double b = g[2] - g[1];
            if (!(a > 0) || Math.abs(a - b) > 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12 * Math.abs(g[1])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The target value where the loss is smallest at each of {@code xs}, for any loss whose
     * ∂loss/∂target changes sign once (|m − y|, Huber, squared error): bracketed from [−1, 1],
     * widened up to ±2⁴⁰, then bisected on the sign of the derivative. NaN where the loss has no
     * smallest value in the target (its derivative never changes sign: cross-entropy, linear in y).
     */
    public double[] minimisingTargets(String x, String target, double[] xs, Map<String, Double> params) {
        Program p = batch.program();
        Map<String, Double> at = new LinkedHashMap<>(params);
        int node = p.inputNode(target);
        double[] curve = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            at.put(x, xs[i]);
            java.util.function.DoubleUnaryOperator g = t -> {
                at.put(target, t);
                return p.evaluate(at).gradient().of(node);
            };
            double lo = -1;
            double hi = 1;
            while (!(g.applyAsDouble(lo) < 0) && lo > -0x1p40) {
                lo *= 2;
            }
            while (!(g.applyAsDouble(hi) > 0) && hi < 0x1p40) {
                hi *= 2;
            }
            if (!(g.applyAsDouble(lo) < 0 && g.applyAsDouble(hi) > 0)) {
                curve[i] = Double.NaN;
                continue;
            }
            for (int k = 0; k < 200 && hi - lo > Math.ulp(Math.max(Math.abs(lo), Math.abs(hi))); k++) {
                double mid = 0.5 * (lo + hi);
                double d = g.applyAsDouble(mid);
                if (d == 0) {
                    lo = mid;
                    hi = mid;
                } else if (d < 0) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            curve[i] = 0.5 * (lo + hi);
        }
        return curve;
    }

    /** {@link #fit(Map, Optimizer, Schedule, Progress, AtomicBoolean)} with no progress and no interrupt. */
    public FitResult fit(Map<String, Double> init, Optimizer optimizer, Schedule schedule) {
        return fit(init, optimizer, schedule, Progress.NONE, new AtomicBoolean());
    }

    /**
     * Runs the optimiser from {@code init}.
     *
     * @param init      a starting value for every parameter, and nothing else
     * @param interrupt checked before every step; raise it from another thread to stop the run
     * @throws IllegalArgumentException if {@code init} lacks a parameter or names another
     */
    public FitResult fit(Map<String, Double> init, Optimizer optimizer, Schedule schedule, Progress progress,
                         AtomicBoolean interrupt) {
        double[] start = Loop.start(parameters, init);
        // The kernel is chosen for the whole run, so every step of it runs the same code.
        BatchProgram batch = this.batch.forWork(schedule.workFor(data.rows()));
        return Loop.run(parameters, start, new SecondOrderProblem() {
            @Override
            public long rows() {
                return data.rows();
            }

            @Override
            public double loss(int[] rows, double[] params, double[] gradient) {
                Columns on = rows == null ? data : gather(rows);
                Map<String, Double> at = bind(params);
                if (gradient == null) {
                    return batch.value(on, at).sum();
                }
                BatchResult r = batch.gradient(on, at);
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] = r.gradient().get(parameters.get(i));
                }
                return r.sum();
            }

            @Override
            public double loss(int[] rows, double[] params, double[] gradient, double[][] hessian) {
                double loss = loss(rows, params, gradient);
                Columns on = rows == null ? data : gather(rows);
                Map<String, Double> at = bind(params);
                BatchProgram[] rowPrograms = hessianRows(batch);
                for (int i = 0; i < hessian.length; i++) {
                    Map<String, Double> row = rowPrograms[i].gradient(on, at).gradient();
                    for (int j = 0; j < hessian.length; j++) {
                        hessian[i][j] = row.get(parameters.get(j));
                    }
                }
                return loss;
            }
        }, optimizer, schedule, progress, interrupt);
    }

    /**
     * One batch program per parameter p whose output is ∂loss/∂p (the reverse sweep recorded as a
     * program): its gradient summed over the rows is row p of the Hessian. Compiled on first use,
     * with the kernel choice of {@code like}.
     */
    private BatchProgram[] hessianRows(BatchProgram like) {
        if (hessianRows == null) {
            BatchProgram[] rows = new BatchProgram[parameters.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = BatchProgram.compile(batch.program().derivative(parameters.get(i)), columns).withSimd(like.simd());
            }
            hessianRows = rows;
        }
        return hessianRows;
    }

    private Map<String, Double> bind(double[] params) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i++) {
            m.put(parameters.get(i), params[i]);
        }
        return m;
    }

    private Columns gather(int[] rows) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            double[] src = columnValues[c];
            double[] dst = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                dst[i] = src[rows[i]];
            }
            m.put(columns.get(c), dst);
        }
        return new Columns(m);
    }
}
