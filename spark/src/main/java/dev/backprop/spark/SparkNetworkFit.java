package dev.backprop.spark;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.Loop;
import dev.backprop.fit.NetworkFit;
import dev.backprop.fit.Problem;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.io.Columns;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.optim.Optimizer;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Training a ReLU {@link Network} on data held by Spark, data-parallel: by least squares ({@link
 * #of}) or as a classifier by softmax cross-entropy against a column of class labels ({@link
 * #classifier}). The parameters go out with each task, every partition runs the fast training path
 * ({@link Trainer}, loss summed over its rows) and the partitions' losses and gradients are added
 * by {@code treeAggregate}; the driver steps, dividing a classifier's sums by the batch's rows
 * (the averaged cross-entropy of {@link NetworkFit#classifier}). The loop, the mini-batches and
 * the stopping rules are core's ({@link Loop}), so a run matches {@link NetworkFit}'s on the same
 * rows within rounding.
 */
public final class SparkNetworkFit implements AutoCloseable {
    private final SparkData data;
    private final List<String> inputs;
    private final List<String> targets;
    /** The number of classes of a classifier (its one target column holds the labels); 0 for least squares. */
    private final int classes;

    private SparkNetworkFit(SparkData data, List<String> inputs, List<String> targets, int classes) {
        this.data = data;
        this.inputs = inputs;
        this.targets = targets;
        this.classes = classes;
    }

    /**
     * Least squares from named columns: the network maps {@code inputs} to {@code targets}.
     *
     * @throws IllegalArgumentException naming a missing column, or for no inputs or no targets
     */
    public static SparkNetworkFit of(Dataset<Row> rows, String origin, List<String> inputs, List<String> targets) {
        if (inputs.isEmpty() || targets.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one input and one target column");
        }
        List<String> cols = new ArrayList<>(inputs);
        cols.addAll(targets);
        return new SparkNetworkFit(SparkData.of(rows, cols, origin).cache(), List.copyOf(inputs), List.copyOf(targets), 0);
    }

    /**
     * A classifier from named columns, as {@link NetworkFit#classifier(Columns, List, String, int)}:
     * {@code labels} holds class labels 0 … classes − 1, the network has one output per class, and
     * the loss is the softmax cross-entropy averaged over the rows (of the step's batch). Checks
     * the labels in one Spark job, with the single machine's messages (the row index counted over
     * the partitions in order: the file's order for one CSV file).
     *
     * @param classes the number of classes, or 0 for the largest label + 1
     * @throws IllegalArgumentException naming a missing column or the first value that is not a label
     * @throws dev.backprop.io.DataException naming a cell of a used column that is not a number
     */
    public static SparkNetworkFit classifier(Dataset<Row> rows, String origin, List<String> inputs, String labels, int classes) {
        SparkNetworkFit f = unchecked(rows, origin, inputs, labels);
        try {
            Labels l = f.labels(classes == 0 ? Integer.MAX_VALUE : classes);
            if (l.firstBad() >= 0) {
                throw new IllegalArgumentException("column '" + labels + "': the value at index " + l.firstBad() + " is "
                        + l.badValue() + ", not a class label (a whole number 0, 1, 2, …)");
            }
            int c = classes == 0 ? l.max() + 1 : classes;
            if (c < 1) {
                throw new IllegalArgumentException("a classifier needs at least one class, got " + c);
            }
            if (l.firstOutside() >= 0) {
                // Trainer.oneHot's words, naming the same row.
                throw new IllegalArgumentException("label " + l.firstOutside() + " is " + l.outsideValue() + ", outside 0.." + (c - 1));
            }
            return f.withClasses(c);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** A classifier whose labels are not yet checked nor its classes known: the command line words its own errors. */
    static SparkNetworkFit unchecked(Dataset<Row> rows, String origin, List<String> inputs, String labels) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one input column");
        }
        List<String> cols = new ArrayList<>(inputs);
        cols.add(labels);
        return new SparkNetworkFit(SparkData.of(rows, cols, origin).cache(), List.copyOf(inputs), List.of(labels), -1);
    }

    /** This classifier with {@code c} classes, sharing the cached data (closing either releases it). */
    SparkNetworkFit withClasses(int c) {
        return new SparkNetworkFit(data, inputs, targets, c);
    }

    /**
     * What a classifier's label column holds.
     *
     * @param firstBad the index (0-based, over the partitions in order) of the first value that is
     *                 not a class label (see {@link Trainer#firstNonLabel}), or −1
     * @param badValue that value (NaN when there is none)
     * @param max      the largest label (of the valid ones), −1 when there are no rows
     * @param maxRow   the index of its first row
     * @param firstOutside the index of the first label not below the bound asked about, or −1
     * @param outsideValue that label (−1 when there is none)
     */
    public record Labels(long firstBad, double badValue, int max, long maxRow, long firstOutside, int outsideValue) {
    }

    /**
     * The label column checked, in one Spark job: the first value that is not a label, the
     * largest label, and the first label not below {@code bound} (the rows before the first bad
     * value only, as a check that stops there would see them).
     */
    public Labels labels(int bound) {
        String column = targets.get(0);
        long[] starts = data.starts();
        List<double[]> parts;
        try {
            parts = data.parts().map(p -> {
                double[] v = p.columns().column(column);
                long base = starts[p.partition()];
                int bad = Trainer.firstNonLabel(v);
                int top = -1;
                int outside = -1;
                for (int i = 0; i < v.length && (bad < 0 || i < bad); i++) {
                    if (top < 0 || v[i] > v[top]) {
                        top = i;
                    }
                    if (outside < 0 && v[i] >= bound) {
                        outside = i;
                    }
                }
                return new double[] {bad < 0 ? -1 : base + bad, bad < 0 ? Double.NaN : v[bad],
                    top < 0 ? -1 : v[top], top < 0 ? -1 : base + top, outside < 0 ? -1 : base + outside, outside < 0 ? -1 : v[outside]};
            }).collect();
        } catch (Exception e) { // a data error on an executor: see SparkData.failure
            throw data.failure(e);
        }
        long firstBad = -1;
        double badValue = Double.NaN;
        int max = -1;
        long maxRow = -1;
        long firstOutside = -1;
        int outsideValue = -1;
        for (double[] p : parts) {
            if (p[0] >= 0 && (firstBad < 0 || p[0] < firstBad)) {
                firstBad = (long) p[0];
                badValue = p[1];
            }
            if (p[3] >= 0 && (p[2] > max || p[2] == max && p[3] < maxRow)) {
                max = (int) p[2];
                maxRow = (long) p[3];
            }
            if (p[4] >= 0 && (firstOutside < 0 || p[4] < firstOutside)) {
                firstOutside = (long) p[4];
                outsideValue = (int) p[5];
            }
        }
        return new Labels(firstBad, badValue, max, maxRow, firstOutside, outsideValue);
    }

    /** The number of rows (one Spark job the first time). */
    public long rows() {
        return data.rows();
    }

    /**
     * At most {@code most} rows of the input and target columns on the driver, as
     * {@link SparkData#sample}: every row when there are no more, else a seeded random sample.
     */
    public Columns sample(int most, long seed) {
        return data.sample(most, seed);
    }

    /** Whether this trains a classifier. */
    public boolean isClassifier() {
        return classes != 0;
    }

    /** The loss of {@code network} over every row: least squares summed, or cross-entropy averaged. */
    public double loss(Network network) {
        requireShape(network);
        return run(NetworkFit.flatten(network), shapes(network), null, false)[0];
    }

    /** For a classifier, the fraction of the rows {@code network} classifies right; NaN for least squares. */
    public double accuracy(Network network) {
        requireShape(network);
        return isClassifier() ? run(NetworkFit.flatten(network), shapes(network), null, false)[1] : Double.NaN;
    }

    private void requireShape(Network net) {
        if (classes < 0) {
            throw new IllegalStateException("the classifier's labels are not checked yet");
        }
        int outputs = isClassifier() ? classes : targets.size();
        if (net.inputSize() != inputs.size() || net.outputSize() != outputs) {
            throw new IllegalArgumentException("the network maps " + net.inputSize() + " inputs to " + net.outputSize()
                    + " outputs, the data has " + inputs.size() + " and " + outputs);
        }
    }

    /**
     * Trains a copy of {@code init}, as {@link NetworkFit#fit(Network, Optimizer, Schedule, Progress, AtomicBoolean)} does
     * (a classifier's progress gets each step's batch accuracy, and its result the accuracy before and after).
     *
     * @throws IllegalArgumentException if the network's sizes do not match the columns, the data
     *                                  has no rows, or mini-batches are asked of more than 2³¹ − 1
     */
    public NetworkFit.Trained fit(Network init, Optimizer optimizer, Schedule schedule, Progress progress, AtomicBoolean interrupt) {
        requireShape(init);
        long n = data.rows();
        int[][] shapes = shapes(init);
        boolean classifier = isClassifier();
        double initialAccuracy = classifier && n > 0 ? accuracy(init) : Double.NaN;
        double[] stepAccuracy = {Double.NaN};
        Progress report = classifier ? (step, steps, l) -> progress.report(step, steps, l, stepAccuracy[0]) : progress;
        FitResult r = Loop.run(NetworkFit.names(init), NetworkFit.flatten(init), new Problem() {
            @Override
            public long rows() {
                return n;
            }

            @Override
            public boolean averaged() {
                return classifier;
            }

            @Override
            public double loss(int[] rows, double[] params, double[] gradient) {
                int[] batch = rows == null ? null : rows.clone();
                if (batch != null) {
                    Arrays.sort(batch);
                }
                double[] out = run(params, shapes, batch, gradient != null);
                if (gradient != null) {
                    System.arraycopy(out, 2, gradient, 0, gradient.length);
                    stepAccuracy[0] = out[1];
                }
                return out[0];
            }
        }, optimizer, schedule, report, interrupt);
        Network trained = NetworkFit.unflatten(init, r.params());
        if (!classifier) {
            return new NetworkFit.Trained(trained, r);
        }
        return new NetworkFit.Trained(trained, r, initialAccuracy, accuracy(trained));
    }

    /** Each weight's and bias's shape, in the order of {@link NetworkFit#flatten}. */
    private static int[][] shapes(Network net) {
        int[][] s = new int[2 * (net.layers() + 1)][];
        for (int k = 0; k <= net.layers(); k++) {
            s[2 * k] = net.weight(k).shape();
            s[2 * k + 1] = net.bias(k).shape();
        }
        return s;
    }

    /**
     * One aggregation over the rows (of {@code batch}, if not null): the loss, the fraction
     * classified right (a classifier's; else 0), then the gradient. Each partition sums; a
     * classifier's sums are divided here by the rows they cover, once, on the driver.
     */
    private double[] run(double[] params, int[][] shapes, int[] batch, boolean gradient) {
        int width = 3 + (gradient ? params.length : 0);
        long[] starts = batch == null ? null : data.starts();
        String[] in = inputs.toArray(new String[0]);
        String[] out = targets.toArray(new String[0]);
        int c = classes;
        Trainer.Loss kind = c > 0 ? Trainer.Loss.SOFTMAX_CROSS_ENTROPY : Trainer.Loss.SQUARED_ERROR;
        SparkData.PartFunction f = part -> {
            double[] acc = new double[width];
            Columns cols = batch == null ? part.columns() : SparkSum.select(part, starts, batch);
            int m = cols.rows();
            if (m == 0) {
                return acc;
            }
            Trainer t = Trainer.summed(network(shapes, params), kind);
            double[] x = stack(cols, in, m);
            double[] y = c > 0 ? oneHot(cols.column(out[0]), c, m) : stack(cols, out, m);
            if (gradient) {
                acc[0] = t.lossAndGradient(x, y, m);
                double[] g = new double[params.length];
                t.gradient(g);
                System.arraycopy(g, 0, acc, 3, g.length);
            } else {
                acc[0] = t.evaluate(x, y, m);
            }
            acc[1] = c > 0 ? Math.round(t.accuracy() * m) : 0;
            acc[2] = m;
            return acc;
        };
        double[] sums = SparkSum.aggregate(data, width, f);
        double[] result = new double[width - 1];
        result[0] = sums[0];
        System.arraycopy(sums, 3, result, 2, width - 3);
        if (c > 0) {
            double m = sums[2];
            result[0] /= m;
            result[1] = sums[1] / m;
            for (int k = 2; k < result.length; k++) {
                result[k] /= m;
            }
        }
        return result;
    }

    /** Labels (checked before any fit) as C × m one-hot columns. */
    private static double[] oneHot(double[] labels, int classes, int m) {
        double[] y = new double[classes * m];
        for (int j = 0; j < m; j++) {
            y[(int) labels[j] * m + j] = 1;
        }
        return y;
    }

    /** Named columns as a D × m row-major matrix, one column per example, as the trainer takes them. */
    private static double[] stack(Columns c, String[] names, int m) {
        double[] d = new double[names.length * m];
        for (int i = 0; i < names.length; i++) {
            c.copyTo(names[i], 0, d, i * m, m);
        }
        return d;
    }

    private static Network network(int[][] shapes, double[] params) {
        List<Tensor> ws = new ArrayList<>();
        List<Tensor> bs = new ArrayList<>();
        int at = 0;
        for (int k = 0; k < shapes.length; k++) {
            int size = shapes[k][0] * shapes[k][1];
            Tensor t = Tensor.of(Arrays.copyOfRange(params, at, at + size), shapes[k]);
            (k % 2 == 0 ? ws : bs).add(t);
            at += size;
        }
        return new Network(ws, bs);
    }

    /** Releases the cached columns. */
    @Override
    public void close() {
        data.close();
    }
}
