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
 * Training a ReLU {@link Network} by least squares on data held by Spark, data-parallel: the
 * parameters go out with each task, every partition runs the fast training path ({@link Trainer},
 * loss summed over its rows) and the partitions' losses and gradients are added by {@code
 * treeAggregate}; the driver steps. The loop, the mini-batches and the stopping rules are core's
 * ({@link Loop}), so the run matches {@link NetworkFit#of(Columns, List, List)}'s within rounding.
 * (The classifier's averaged cross-entropy is not offered here.)
 */
public final class SparkNetworkFit implements AutoCloseable {
    private final SparkData data;
    private final List<String> inputs;
    private final List<String> targets;

    private SparkNetworkFit(SparkData data, List<String> inputs, List<String> targets) {
        this.data = data;
        this.inputs = inputs;
        this.targets = targets;
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
        return new SparkNetworkFit(SparkData.of(rows, cols, origin).cache(), List.copyOf(inputs), List.copyOf(targets));
    }

    /** The loss of {@code network} summed over every row. */
    public double loss(Network network) {
        return run(NetworkFit.flatten(network), shapes(network), null, false)[0];
    }

    /**
     * Trains a copy of {@code init}, as {@link NetworkFit#fit(Network, Optimizer, Schedule, Progress, AtomicBoolean)} does.
     *
     * @throws IllegalArgumentException if the network's sizes do not match the columns, or the data
     *                                  has no rows or more than 2³¹ − 1
     */
    public NetworkFit.Trained fit(Network init, Optimizer optimizer, Schedule schedule, Progress progress, AtomicBoolean interrupt) {
        if (init.inputSize() != inputs.size() || init.outputSize() != targets.size()) {
            throw new IllegalArgumentException("the network maps " + init.inputSize() + " inputs to " + init.outputSize()
                    + " outputs, the data has " + inputs.size() + " and " + targets.size());
        }
        long total = data.rows();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(data.origin() + ": " + total + " rows; a fit numbers its rows with an int");
        }
        int n = (int) total;
        int[][] shapes = shapes(init);
        FitResult r = Loop.run(NetworkFit.names(init), NetworkFit.flatten(init), new Problem() {
            @Override
            public int rows() {
                return n;
            }

            @Override
            public double loss(int[] rows, double[] params, double[] gradient) {
                int[] batch = rows == null ? null : rows.clone();
                if (batch != null) {
                    Arrays.sort(batch);
                }
                double[] out = run(params, shapes, batch, gradient != null);
                if (gradient != null) {
                    System.arraycopy(out, 1, gradient, 0, gradient.length);
                }
                return out[0];
            }
        }, optimizer, schedule, progress, interrupt);
        return new NetworkFit.Trained(NetworkFit.unflatten(init, r.params()), r);
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

    /** One aggregation: the loss summed over the rows (of {@code batch}, if not null), then its gradient. */
    private double[] run(double[] params, int[][] shapes, int[] batch, boolean gradient) {
        int width = 1 + (gradient ? params.length : 0);
        long[] starts = batch == null ? null : data.starts();
        String[] in = inputs.toArray(new String[0]);
        String[] out = targets.toArray(new String[0]);
        SparkData.PartFunction f = part -> {
            double[] acc = new double[width];
            Columns c = batch == null ? part.columns() : SparkSum.select(part, starts, batch);
            int m = c.rows();
            if (m == 0) {
                return acc;
            }
            Trainer t = Trainer.summed(network(shapes, params), Trainer.Loss.SQUARED_ERROR);
            double[] x = stack(c, in, m);
            double[] y = stack(c, out, m);
            if (gradient) {
                acc[0] = t.lossAndGradient(x, y, m);
                double[] g = new double[params.length];
                t.gradient(g);
                System.arraycopy(g, 0, acc, 1, g.length);
            } else {
                acc[0] = t.evaluate(x, y, m);
            }
            return acc;
        };
        return SparkSum.aggregate(data, width, f);
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
