package dev.backprop.spark;

import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.fit.FitResult;
import dev.backprop.fit.FormulaFit;
import dev.backprop.fit.Loop;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.fit.SecondOrderProblem;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import dev.backprop.optim.Optimizer;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fitting a formula's parameters to data held by Spark: {@link FormulaFit} with the loss and its
 * gradient (and, for Newton's method, its Hessian) each computed by one distributed aggregation
 * per evaluation ({@link SparkSum}). The steps, the mini-batch sampling (the same seeded
 * permutation of the row numbers, so the same batches as on one machine), and the stopping rules
 * (divergence keeps the last finite parameters) are core's own training loop ({@link Loop}).
 *
 * <p>The row numbers of a partition are fixed by the data's order, so mini-batches are the same
 * rows as {@link FormulaFit}'s on the same data read in the same order. The loop keeps a
 * permutation of the rows on the driver: mini-batch fits are for data of up to 2³¹ − 1 rows.
 */
public final class SparkFit implements AutoCloseable {
    private final SparkSum sum;
    private final SparkData data;
    private final String source;
    private final List<String> parameters;

    private SparkFit(SparkSum sum, SparkData data, String source, List<String> parameters) {
        this.sum = sum;
        this.data = data;
        this.source = source;
        this.parameters = parameters;
    }

    /**
     * Prepares a fit of {@code formula}'s {@code parameters}; every other input must be a column of
     * {@code rows}. The columns used are read (lazily) and kept in the executors' memory.
     *
     * @param origin what messages call the data (a file name)
     * @throws IllegalArgumentException as {@link FormulaFit#of(Formula, Columns, Collection)}, with
     *                                  the same messages
     */
    public static SparkFit of(Formula formula, Dataset<Row> rows, String origin, Collection<String> parameters) {
        // FormulaFit's own checks, on the column names alone: the same rules, the same words.
        Map<String, double[]> names = new LinkedHashMap<>();
        for (String c : rows.columns()) {
            names.put(c, new double[0]);
        }
        FormulaFit shape = FormulaFit.of(formula, new Columns(names), parameters);
        SparkData data = SparkData.of(rows, shape.columns(), origin).cache();
        return new SparkFit(SparkSum.of(formula, shape.columns()), data, formula.source(), shape.parameters());
    }

    /** The parameters, in order. */
    public List<String> parameters() {
        return parameters;
    }

    /** The inputs bound to data columns, in the formula's order. */
    public List<String> columns() {
        return sum.columns();
    }

    /** The data (its columns cached). */
    public SparkData data() {
        return data;
    }

    /** The loss summed over every row at the given parameter values. */
    public double loss(Map<String, Double> params) {
        return sum.value(data, params).sum();
    }

    /**
     * Runs the optimiser from {@code init}, as {@link FormulaFit#fit} does.
     *
     * @throws IllegalArgumentException if {@code init} lacks a parameter or names another, or the
     *                                  data has no rows, or mini-batches are asked of more than 2³¹ − 1 rows
     */
    public FitResult fit(Map<String, Double> init, Optimizer optimizer, Schedule schedule, Progress progress,
                         AtomicBoolean interrupt) {
        double[] start = Loop.start(parameters, init);
        long n = data.rows();
        // As FormulaFit: the kernel chosen once for the whole run's work, so every step runs the same code.
        boolean simd = n > 0 && BatchProgram.compile(Formula.compile(source).program(), sum.columns())
                .forWork(schedule.workFor(n)).simd();
        SparkSum s = sum.withSimd(simd);
        List<String> names = s.scalars();
        return Loop.run(parameters, start, new SecondOrderProblem() {
            @Override
            public long rows() {
                return n;
            }

            @Override
            public double loss(int[] rows, double[] params, double[] gradient) {
                double[] r = s.run(data, bind(params), gradient != null, sorted(rows));
                if (gradient != null) {
                    for (int i = 0; i < gradient.length; i++) {
                        gradient[i] = r[2 + names.indexOf(parameters.get(i))];
                    }
                }
                return r[1];
            }

            @Override
            public double loss(int[] rows, double[] params, double[] gradient, double[][] hessian) {
                double[] r = hessian(s, bind(params), sorted(rows), simd);
                int p = parameters.size();
                for (int i = 0; i < p; i++) {
                    gradient[i] = r[1 + i];
                    for (int j = 0; j < p; j++) {
                        hessian[i][j] = r[1 + p + i * p + j];
                    }
                }
                return r[0];
            }
        }, optimizer, schedule, progress, interrupt);
    }

    private Map<String, Double> bind(double[] params) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i++) {
            m.put(parameters.get(i), params[i]);
        }
        return m;
    }

    private static int[] sorted(int[] rows) {
        if (rows == null) {
            return null;
        }
        int[] s = rows.clone();
        Arrays.sort(s);
        return s;
    }

    /**
     * The loss, its gradient and its Hessian in one aggregation: per partition the batch engine's
     * gradient of the loss and of each ∂loss/∂p (Hessian row p), as {@link FormulaFit} computes
     * them on one machine.
     */
    private double[] hessian(SparkSum s, Map<String, Double> at, int[] batch, boolean simd) {
        s.requireColumns(data);
        double[] values = s.values(at);
        List<String> scalars = s.scalars();
        List<String> params = parameters;
        List<String> cols = s.columns();
        String src = source;
        int p = params.size();
        int width = 1 + p + p * p;
        long[] starts = batch == null ? null : data.starts();
        SparkData.PartFunction f = part -> {
            double[] out = new double[width];
            Columns c = batch == null ? part.columns() : SparkSum.select(part, starts, batch);
            if (c.rows() == 0) {
                return out;
            }
            BatchProgram[] programs = Programs.get(src, cols, simd, params);
            Map<String, Double> m = SparkSum.bind(scalars, values);
            BatchResult r = programs[0].gradient(c, m);
            out[0] = r.sum();
            for (int i = 0; i < p; i++) {
                out[1 + i] = r.gradient().get(params.get(i));
                Map<String, Double> row = programs[1 + i].gradient(c, m).gradient();
                for (int j = 0; j < p; j++) {
                    out[1 + p + i * p + j] = row.get(params.get(j));
                }
            }
            return out;
        };
        return SparkSum.aggregate(data, width, f);
    }

    /** Releases the cached columns. */
    @Override
    public void close() {
        data.close();
    }
}
