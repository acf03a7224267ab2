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
 * Fitting a ReLU {@link Network} to inputs and targets by least squares, Σ(f_K − y)² over the
 * points of the step's batch. Gradients come from the fast training path ({@link Trainer}, whose
 * buffers are reused across steps), in the optimiser's one vector in the order Ω_0, β_0, Ω_1,
 * β_1, … (each row-major). Immutable and thread-safe: each {@link #fit} has a trainer of its own.
 * The book's explicit backward pass ({@link Network#backward(Tensor, Tensor)}) stays as teaching
 * code, and tests hold the two to the same numbers.
 */
public final class NetworkFit {
    private final double[] x; // D_i × N, row-major
    private final double[] y; // D_o × N
    private final int inputSize;
    private final int outputSize;
    private final int n;

    /** A network together with the run that produced it. */
    public record Trained(Network network, FitResult result) {
    }

    private NetworkFit(Tensor inputs, Tensor targets) {
        if (inputs.rank() != 2 || targets.rank() != 2 || inputs.dim(1) != targets.dim(1)) {
            throw new IllegalArgumentException("inputs must be D_i × N and targets D_o × N, got "
                    + Tensor.formatShape(inputs.shape()) + " and " + Tensor.formatShape(targets.shape()));
        }
        this.x = inputs.toArray();
        this.y = targets.toArray();
        this.inputSize = inputs.dim(0);
        this.outputSize = targets.dim(0);
        this.n = inputs.dim(1);
    }

    /** From matrices with one column per example: inputs D_i × N, targets D_o × N. */
    public static NetworkFit of(Tensor inputs, Tensor targets) {
        return new NetworkFit(inputs, targets);
    }

    /**
     * From named columns of a data set.
     *
     * @throws IllegalArgumentException naming a missing column
     */
    public static NetworkFit of(Columns data, List<String> inputs, List<String> targets) {
        if (inputs.isEmpty() || targets.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one input and one target column");
        }
        return new NetworkFit(stack(data, inputs), stack(data, targets));
    }

    private static Tensor stack(Columns data, List<String> names) {
        int rows = data.rows();
        double[] d = new double[names.size() * rows];
        for (int i = 0; i < names.size(); i++) {
            System.arraycopy(data.column(names.get(i)), 0, d, i * rows, rows);
        }
        return Tensor.of(d, names.size(), rows);
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

    /** The least-squares loss of {@code network} over every example. */
    public double loss(Network network) {
        return Network.leastSquares(network.output(Tensor.of(x, inputSize, n)), Tensor.of(y, outputSize, n));
    }

    /** {@link #fit(Network, Optimizer, Schedule, Progress, AtomicBoolean)} with no progress and no interrupt. */
    public Trained fit(Network init, Optimizer optimizer, Schedule schedule) {
        return fit(init, optimizer, schedule, Progress.NONE, new AtomicBoolean());
    }

    /**
     * Trains a copy of {@code init} (networks are immutable).
     *
     * @param interrupt checked before every step; raise it from another thread to stop the run
     * @throws IllegalArgumentException if the network's input or output size does not match the data
     */
    public Trained fit(Network init, Optimizer optimizer, Schedule schedule, Progress progress, AtomicBoolean interrupt) {
        if (init.inputSize() != inputSize || init.outputSize() != outputSize) {
            throw new IllegalArgumentException("the network maps " + init.inputSize() + " inputs to " + init.outputSize()
                    + " outputs, the data has " + inputSize + " and " + outputSize);
        }
        Trainer trainer = Trainer.summed(init, Trainer.Loss.SQUARED_ERROR);
        FitResult r = Loop.run(names(init), flatten(init), new Problem() {
            // The batch's columns, gathered anew each step into arrays kept for the run (a batch of
            // 256 of 784 inputs is 1.6 MB: allocating it every step costs more than filling it).
            private double[] batchX = new double[0];
            private double[] batchY = new double[0];

            @Override
            public int rows() {
                return n;
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
                return l;
            }
        }, optimizer, schedule, progress, interrupt);
        return new Trained(unflatten(init, r.params()), r);
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
