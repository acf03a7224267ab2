package dev.backprop.fit;

import dev.backprop.io.Columns;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.optim.Optimizer;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fitting a ReLU {@link Network} to data: by least squares, Σ(f_K − y)² summed over the points of
 * the step's batch ({@link #of}), or as a classifier by softmax cross-entropy against class labels,
 * averaged over the batch as PyTorch's {@code cross_entropy} does ({@link #classifier}). Gradients
 * come from the fast training path ({@link Trainer}, whose buffers are reused across steps), in
 * the optimiser's one vector in the order Ω_0, β_0, Ω_1, β_1, … (each row-major). Immutable and
 * thread-safe: each {@link #fit} has a trainer of its own. The book's explicit backward pass
 * ({@link Network#backward(Tensor, Tensor)}) stays as teaching code, and tests hold the two to the
 * same numbers.
 */
public final class NetworkFit {
    private final double[] x; // D_i × N, row-major
    private final double[] y; // D_o × N (one-hot columns for a classifier)
    private final int inputSize;
    private final int outputSize;
    private final int n;
    private final Trainer.Loss loss;

    /**
     * A network together with the run that produced it.
     *
     * @param initialAccuracy for a classifier, the fraction of the rows the starting network
     *                        classifies right; NaN for least squares
     * @param accuracy        the same for the trained network
     */
    public record Trained(Network network, FitResult result, double initialAccuracy, double accuracy) {
        /** A least-squares run's network and result: no accuracy. */
        public Trained(Network network, FitResult result) {
            this(network, result, Double.NaN, Double.NaN);
        }
    }

    private NetworkFit(Tensor inputs, Tensor targets, Trainer.Loss loss) {
        if (inputs.rank() != 2 || targets.rank() != 2 || inputs.dim(1) != targets.dim(1)) {
            throw new IllegalArgumentException("inputs must be D_i × N and targets D_o × N, got "
                    + Tensor.formatShape(inputs.shape()) + " and " + Tensor.formatShape(targets.shape()));
        }
        this.x = inputs.toArray();
        this.y = targets.toArray();
        this.inputSize = inputs.dim(0);
        this.outputSize = targets.dim(0);
        this.n = inputs.dim(1);
        this.loss = loss;
    }

    /** Least squares, from matrices with one column per example: inputs D_i × N, targets D_o × N. */
    public static NetworkFit of(Tensor inputs, Tensor targets) {
        return new NetworkFit(inputs, targets, Trainer.Loss.SQUARED_ERROR);
    }

    /**
     * Least squares, from named columns of a data set.
     *
     * @throws IllegalArgumentException naming a missing column
     * @throws dev.backprop.io.DataException naming the first cell of a used column that is not a number
     */
    public static NetworkFit of(Columns data, List<String> inputs, List<String> targets) {
        if (inputs.isEmpty() || targets.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one input and one target column");
        }
        return new NetworkFit(stack(data, inputs), stack(data, targets), Trainer.Loss.SQUARED_ERROR);
    }

    /**
     * A classifier of {@code classes} classes, from inputs D_i × N and one class label per example:
     * the network has one output per class, and the loss is the softmax cross-entropy averaged
     * over the batch, whose gradient with respect to the outputs is (softmax − one-hot) / N.
     *
     * @throws IllegalArgumentException if a label is outside 0 … classes − 1 or the counts differ
     */
    public static NetworkFit classifier(Tensor inputs, int[] labels, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("a classifier needs at least one class, got " + classes);
        }
        if (inputs.rank() != 2 || inputs.dim(1) != labels.length) {
            throw new IllegalArgumentException("inputs must be D_i × N with one column per label, got "
                    + Tensor.formatShape(inputs.shape()) + " for " + labels.length + " labels");
        }
        return new NetworkFit(inputs, Trainer.oneHot(labels, classes), Trainer.Loss.SOFTMAX_CROSS_ENTROPY);
    }

    /**
     * A classifier from named columns: {@code labels} holds class labels 0 … classes − 1.
     *
     * @param classes the number of classes, or 0 for the largest label + 1
     * @throws IllegalArgumentException naming a missing column or the first value that is not a label
     * @throws dev.backprop.io.DataException naming the first cell of a used column that is not a number
     */
    public static NetworkFit classifier(Columns data, List<String> inputs, String labels, int classes) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one input column");
        }
        int[] l;
        try {
            l = Trainer.labels(data.column(labels));
        } catch (IllegalArgumentException e) {
            if (!data.has(labels)) {
                throw e;
            }
            throw new IllegalArgumentException("column '" + labels + "': " + e.getMessage());
        }
        int c = classes;
        if (c == 0) {
            for (int v : l) {
                c = Math.max(c, v + 1);
            }
        }
        return classifier(stack(data, inputs), l, c);
    }

    private static Tensor stack(Columns data, List<String> names) {
        int rows = data.rows();
        double[] d = new double[names.size() * rows];
        for (int i = 0; i < names.size(); i++) {
            data.copyTo(names.get(i), 0, d, i * rows, rows);
        }
        return Tensor.of(d, names.size(), rows);
    }

    /** Whether this fits a classifier (softmax cross-entropy) rather than by least squares. */
    public boolean isClassifier() {
        return loss == Trainer.Loss.SOFTMAX_CROSS_ENTROPY;
    }

    /** D_i. */
    public int inputSize() {
        return inputSize;
    }

    /** D_o. */
    public int outputSize() {
        return outputSize;
    }

    /** N, the number of examples. */
    public int rows() {
        return n;
    }

    /** The loss of {@code network} over every example: least squares summed, or cross-entropy averaged. */
    public double loss(Network network) {
        return trainer(network).evaluate(x, y, n);
    }

    /** For a classifier, the fraction of the examples {@code network} classifies right; NaN for least squares. */
    public double accuracy(Network network) {
        Trainer t = trainer(network);
        t.evaluate(x, y, n);
        return t.accuracy();
    }

    private Trainer trainer(Network network) {
        requireShape(network);
        return isClassifier() ? new Trainer(network, loss) : Trainer.summed(network, loss);
    }

    private void requireShape(Network net) {
        if (net.inputSize() != inputSize || net.outputSize() != outputSize) {
            throw new IllegalArgumentException("the network maps " + net.inputSize() + " inputs to " + net.outputSize()
                    + " outputs, the data has " + inputSize + " and " + outputSize);
        }
    }

    /** {@link #fit(Network, Optimizer, Schedule, Progress, AtomicBoolean)} with no progress and no interrupt. */
    public Trained fit(Network init, Optimizer optimizer, Schedule schedule) {
        return fit(init, optimizer, schedule, Progress.NONE, new AtomicBoolean());
    }

    /**
     * Trains a copy of {@code init} (networks are immutable). A classifier's progress gets each
     * step's batch accuracy through {@link Progress#report(int, int, double, double)}.
     *
     * @param interrupt checked before every step; raise it from another thread to stop the run
     * @throws IllegalArgumentException if the network's input or output size does not match the data
     */
    public Trained fit(Network init, Optimizer optimizer, Schedule schedule, Progress progress, AtomicBoolean interrupt) {
        requireShape(init);
        Trainer trainer = trainer(init);
        boolean classifier = isClassifier();
        double initialAccuracy = Double.NaN;
        if (classifier) {
            trainer.evaluate(x, y, n);
            initialAccuracy = trainer.accuracy();
        }
        // The accuracy of the batch of the step being reported (the last gradient taken).
        double[] stepAccuracy = {Double.NaN};
        Progress report = classifier ? (step, total, l) -> progress.report(step, total, l, stepAccuracy[0]) : progress;
        FitResult r = Loop.run(names(init), flatten(init), new Problem() {
            // The batch's columns, gathered anew each step into arrays kept for the run (a batch of
            // 256 of 784 inputs is 1.6 MB: allocating it every step costs more than filling it).
            private double[] batchX = new double[0];
            private double[] batchY = new double[0];

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
                trainer.parameters(params);
                int m = rows == null ? n : rows.length;
                if (rows != null && batchX.length != inputSize * m) {
                    batchX = new double[inputSize * m];
                    batchY = new double[outputSize * m];
                }
                double[] in = rows == null ? x : gather(x, inputSize, rows, batchX);
                double[] out = rows == null ? y : gather(y, outputSize, rows, batchY);
                if (gradient == null) {
                    return trainer.evaluate(in, out, m);
                }
                double l = trainer.lossAndGradient(in, out, m);
                trainer.gradient(gradient);
                if (classifier) {
                    stepAccuracy[0] = trainer.accuracy();
                }
                return l;
            }
        }, optimizer, schedule, report, interrupt);
        Network trained = unflatten(init, r.params());
        if (!classifier) {
            return new Trained(trained, r);
        }
        trainer.parameters(r.params());
        trainer.evaluate(x, y, n);
        return new Trained(trained, r, initialAccuracy, trainer.accuracy());
    }

    /** Columns {@code rows} of the dim × N matrix {@code m}, in that order, into {@code d} (dim × rows.length). */
    private double[] gather(double[] m, int dim, int[] rows, double[] d) {
        int b = rows.length;
        for (int i = 0; i < dim; i++) {
            int from = i * n;
            int to = i * b;
            for (int j = 0; j < b; j++) {
                d[to + j] = m[from + rows[j]];
            }
        }
        return d;
    }

    /** The parameters of {@code net} as one vector: Ω_0, β_0, Ω_1, β_1, …, each row-major. */
    public static double[] flatten(Network net) {
        List<double[]> parts = new ArrayList<>();
        int size = 0;
        for (int k = 0; k <= net.layers(); k++) {
            double[] w = net.weight(k).toArray();
            double[] b = net.bias(k).toArray();
            parts.add(w);
            parts.add(b);
            size += w.length + b.length;
        }
        double[] out = new double[size];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A network shaped like {@code like} holding {@code params} (the order of {@link #flatten}). */
    public static Network unflatten(Network like, double[] params) {
        List<Tensor> ws = new ArrayList<>();
        List<Tensor> bs = new ArrayList<>();
        int at = 0;
        for (int k = 0; k <= like.layers(); k++) {
            int[] ws0 = like.weight(k).shape();
            int[] bs0 = like.bias(k).shape();
            int wn = ws0[0] * ws0[1];
            int bn = bs0[0] * bs0[1];
            ws.add(Tensor.of(java.util.Arrays.copyOfRange(params, at, at + wn), ws0));
            at += wn;
            bs.add(Tensor.of(java.util.Arrays.copyOfRange(params, at, at + bn), bs0));
            at += bn;
        }
        if (at != params.length) {
            throw new IllegalArgumentException(params.length + " parameters for a network of " + at);
        }
        return new Network(ws, bs);
    }

    /** Names in the order of {@link #flatten}: {@code omega0[i,j]}, {@code beta0[i]}, …. */
    public static List<String> names(Network net) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k <= net.layers(); k++) {
            Tensor w = net.weight(k);
            for (int i = 0; i < w.dim(0); i++) {
                for (int j = 0; j < w.dim(1); j++) {
                    names.add("omega" + k + "[" + i + "," + j + "]");
                }
            }
            for (int i = 0; i < net.bias(k).dim(0); i++) {
                names.add("beta" + k + "[" + i + "]");
            }
        }
        return names;
    }
}
