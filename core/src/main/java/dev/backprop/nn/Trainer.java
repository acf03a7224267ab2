package dev.backprop.nn;

import dev.backprop.op.Op;

import dev.backprop.tensor.Gemm;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a fully connected ReLU {@link Network}: the one production path for networks. {@link
 * #step} is plain stochastic gradient descent on one batch (forward pass, loss, backward pass,
 * update {@code θ ← θ − η·∂ℓ/∂θ}); {@link #lossAndGradient} with {@link #parameters(double[])}
 * and {@link #gradient(double[])} lets any optimiser drive it ({@code fit.NetworkFit} does, for
 * {@code backprop train}).
 *
 * <p>This is the fast path for training, next to the teaching path of {@link Network#backward}
 * (which keeps every intermediate as an immutable tensor): parameters live in arrays that are
 * updated in place, every intermediate goes into a buffer allocated once per batch size, and each
 * matrix product is one call to {@link Gemm}, with the transposed products of the backward pass
 * (∂ℓ/∂Ω_k = ∂ℓ/∂f_k·h_kᵀ, ∂ℓ/∂h_k = Ω_kᵀ·∂ℓ/∂f_k) read in place. A step of constant batch size
 * allocates nothing but a few small objects.
 *
 * <p>Layout as in the book and {@link Network}: inputs are D_i × N with one column per example,
 * targets D_o × N. The loss is averaged over the N examples (PyTorch's {@code reduction='mean'}
 * for cross-entropy), so the learning rate does not depend on the batch size; see {@link Loss}.
 * {@link #summed} gives the sum instead (the book's least squares, Σ(f − y)²).
 * The ReLU derivative at 0 is 0, as in PyTorch.
 *
 * <p>Not thread-safe (it holds the parameters and buffers); the products inside use all cores.
 */
public final class Trainer {

    /** The loss a {@link Trainer} minimises, each averaged over the examples of a batch. */
    public enum Loss {
        /** (1/N)·Σ_examples Σ_outputs (f − y)². */
        SQUARED_ERROR,
        /**
         * (1/N)·Σ_examples −Σ_outputs y·log softmax(f): the softmax cross-entropy of each output
         * column against a target column of class probabilities (one-hot for class labels; see
         * {@link Trainer#oneHot}). Computed with the log-sum-exp shift, so large outputs do not
         * overflow.
         */
        SOFTMAX_CROSS_ENTROPY
    }

    private final Loss loss;
    /** Whether the loss is summed over the examples of a batch rather than averaged. */
    private final boolean sum;
    private final int layers;          // K + 1 weight matrices
    private final int[] sizes;         // D_0 .. D_{K+1}
    private final double[][] w;        // Ω_k, D_{k+1} × D_k, row-major, updated in place
    private final double[][] b;        // β_k, D_{k+1}
    private final double[][] dw;       // ∂ℓ/∂Ω_k of the last step
    private final double[][] db;       // ∂ℓ/∂β_k of the last step
    private int batch = -1;
    private double[][] f;              // f_k, D_{k+1} × N
    private double[][] h;              // h_k = relu(f_{k−1}) for k ≥ 1; h[0] is the caller's input
    private double[][] df;             // ∂ℓ/∂f_k, D_{k+1} × N
    private double[] colA;             // per-example scratch for the loss (max, then log-sum-exp)
    private double[] colB;             // per-example scratch for the loss (Σ exp, then Σ y)
    private double[] colC;             // per-example scratch for cross-entropy's accuracy (max y)
    private int[] argmax;              // per-example scratch for cross-entropy's accuracy (first largest output)
    private int correct = -1;          // examples of the last cross-entropy batch classified right
    private int lastBatch;
    private boolean stepped;

    /** A trainer starting from {@code network}'s parameters (copied; the network is not changed). */
    public Trainer(Network network, Loss loss) {
        this(network, loss, false);
    }

    private Trainer(Network network, Loss loss, boolean sum) {
        if (loss == null) {
            throw new IllegalArgumentException("a trainer needs a loss");
        }
        this.loss = loss;
        this.sum = sum;
        this.layers = network.layers() + 1;
        this.sizes = new int[layers + 1];
        this.w = new double[layers][];
        this.b = new double[layers][];
        this.dw = new double[layers][];
        this.db = new double[layers][];
        sizes[0] = network.inputSize();
        for (int k = 0; k < layers; k++) {
            sizes[k + 1] = network.weight(k).dim(0);
            w[k] = network.weight(k).toArray();
            b[k] = network.bias(k).toArray();
            dw[k] = new double[w[k].length];
            db[k] = new double[b[k].length];
        }
    }

    /** A trainer like {@link #Trainer(Network, Loss)} whose loss is summed over a batch's examples, not averaged. */
    public static Trainer summed(Network network, Loss loss) {
        return new Trainer(network, loss, true);
    }

    /** The loss being minimised. */
    public Loss loss() {
        return loss;
    }

    /** How many parameters: Σ_k D_{k+1}·D_k + D_{k+1}. */
    public int parameterCount() {
        int c = 0;
        for (int k = 0; k < layers; k++) {
            c += w[k].length + b[k].length;
        }
        return c;
    }

    /** Sets every parameter from one vector in the order Ω_0, β_0, Ω_1, β_1, … (each row-major). */
    public void parameters(double[] flat) {
        if (flat.length != parameterCount()) {
            throw new IllegalArgumentException(flat.length + " parameters for a network of " + parameterCount());
        }
        int at = 0;
        for (int k = 0; k < layers; k++) {
            System.arraycopy(flat, at, w[k], 0, w[k].length);
            at += w[k].length;
            System.arraycopy(flat, at, b[k], 0, b[k].length);
            at += b[k].length;
        }
    }

    /** Copies the last {@link #lossAndGradient} into {@code flat}, in the order of {@link #parameters(double[])}. */
    public void gradient(double[] flat) {
        requireStep();
        if (flat.length != parameterCount()) {
            throw new IllegalArgumentException(flat.length + " numbers for the gradient of " + parameterCount() + " parameters");
        }
        int at = 0;
        for (int k = 0; k < layers; k++) {
            System.arraycopy(dw[k], 0, flat, at, dw[k].length);
            at += dw[k].length;
            System.arraycopy(db[k], 0, flat, at, db[k].length);
            at += db[k].length;
        }
    }

    /** The current parameters as an immutable network (a copy). */
    public Network network() {
        List<Tensor> ws = new ArrayList<>(layers);
        List<Tensor> bs = new ArrayList<>(layers);
        for (int k = 0; k < layers; k++) {
            ws.add(Tensor.of(w[k], sizes[k + 1], sizes[k]));
            bs.add(Tensor.of(b[k], sizes[k + 1], 1));
        }
        return new Network(ws, bs);
    }

    /** ∂ℓ/∂Ω_k of the last step, taken before its update. */
    public Tensor weightGradient(int k) {
        requireStep();
        return Tensor.of(dw[k], sizes[k + 1], sizes[k]);
    }

    /** ∂ℓ/∂β_k of the last step, taken before its update, shape (D_{k+1}, 1). */
    public Tensor biasGradient(int k) {
        requireStep();
        return Tensor.of(db[k], sizes[k + 1], 1);
    }

    /**
     * One SGD step on a batch: returns the loss at the parameters before the update.
     *
     * @param input        D_i × N, one column per example
     * @param target       D_o × N (class probabilities per column for cross-entropy)
     * @param learningRate η, finite
     */
    public double step(Tensor input, Tensor target, double learningRate) {
        int n = checkShapes(input, target);
        return step(input.toArray(), target.toArray(), n, learningRate);
    }

    /**
     * The same on row-major arrays, which are read and never kept: {@code input} holds D_i × N
     * numbers, {@code target} D_o × N.
     */
    public double step(double[] input, double[] target, int n, double learningRate) {
        if (!Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be a finite number, got " + learningRate);
        }
        double l = lossAndGradient(input, target, n);
        update(learningRate);
        return l;
    }

    /**
     * Forward pass, loss and backward pass on a batch, without an update: returns the loss; the
     * gradient is then {@link #gradient(double[])}, {@link #weightGradient} and {@link #biasGradient}.
     * {@code input} holds D_i × N numbers row-major, {@code target} D_o × N; neither is kept.
     */
    public double lossAndGradient(double[] input, double[] target, int n) {
        double l = forwardAndLoss(input, target, n);
        backward(n);
        stepped = true;
        return l;
    }

    /** The loss at the current parameters on row-major arrays, without a gradient (forward pass only). */
    public double evaluate(double[] input, double[] target, int n) {
        double l = forwardAndLoss(input, target, n);
        h[0] = null; // the input is not kept
        return l;
    }

    /** The loss at the current parameters, without a step (forward pass only). */
    public double evaluate(Tensor input, Tensor target) {
        int n = checkShapes(input, target);
        return evaluate(input.toArray(), target.toArray(), n);
    }

    /**
     * The fraction of the last batch's examples (of {@link #lossAndGradient} or {@link #evaluate})
     * classified right: those whose largest output (the first, on a tie) is where their target
     * column is largest; for one-hot targets, the predicted class is the label. Computed in the
     * loss's own passes over the outputs, so it costs no extra pass. NaN when the loss is the
     * squared error, or before any batch.
     */
    public double accuracy() {
        return loss == Loss.SOFTMAX_CROSS_ENTROPY && correct >= 0 ? (double) correct / lastBatch : Double.NaN;
    }

    /** D × N one-hot targets: column j is 1 at row {@code labels[j]}, 0 elsewhere. */
    public static Tensor oneHot(int[] labels, int classes) {
        double[] y = new double[classes * labels.length];
        for (int j = 0; j < labels.length; j++) {
            if (labels[j] < 0 || labels[j] >= classes) {
                throw new IllegalArgumentException("label " + j + " is " + labels[j] + ", outside 0.." + (classes - 1));
            }
            y[labels[j] * labels.length + j] = 1;
        }
        return Tensor.of(y, classes, labels.length);
    }

    /**
     * The index of the first value that is not a class label (a whole number 0, 1, 2, … below
     * 2³¹ − 1; −0 counts as 0), or −1 when every value is one.
     */
    public static int firstNonLabel(double[] values) {
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            // NaN fails every comparison, infinities fail rint's equality or the bound.
            if (!(v >= 0 && v < Integer.MAX_VALUE && v == Math.rint(v))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Class labels from a column of numbers that hold them.
     *
     * @throws IllegalArgumentException naming the first value that is not a class label (see {@link #firstNonLabel})
     */
    public static int[] labels(double[] values) {
        int bad = firstNonLabel(values);
        if (bad >= 0) {
            throw new IllegalArgumentException("the value at index " + bad + " is " + values[bad]
                    + ", not a class label (a whole number 0, 1, 2, …)");
        }
        int[] l = new int[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (int) values[i];
        }
        return l;
    }

    // ------------------------------------------------------------------ the step

    private double forwardAndLoss(double[] input, double[] target, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a batch needs at least one example, got " + n);
        }
        if (input.length != sizes[0] * n || target.length != sizes[layers] * n) {
            throw new IllegalArgumentException("a batch of " + n + " needs " + sizes[0] * n + " inputs and "
                    + sizes[layers] * n + " targets, got " + input.length + " and " + target.length);
        }
        allocate(n);
        h[0] = input;
        for (int k = 0; k < layers; k++) {
            int out = sizes[k + 1];
            double[] fk = f[k];
            // f_k = β_k + Ω_k·h_k: start from the bias in every column, then add the product.
            for (int i = 0; i < out; i++) {
                java.util.Arrays.fill(fk, i * n, i * n + n, b[k][i]);
            }
            Gemm.multiply(out, n, sizes[k], w[k], false, h[k], false, fk, true);
            if (k + 1 < layers) {
                double[] hk = h[k + 1];
                for (int i = 0; i < fk.length; i++) {
                    double v = fk[i];
                    hk[i] = Math.max(v, 0.0); // Op.RELU exactly (NaN stays NaN, −0 gives 0); a select, not a branch
                }
            }
        }
        return loss == Loss.SQUARED_ERROR ? squaredError(target, n) : crossEntropy(target, n);
    }

    /** The loss of the output f_K, and ∂ℓ/∂f_K into df[K]. */
    private double squaredError(double[] y, int n) {
        double[] out = f[layers - 1];
        double[] g = df[layers - 1];
        double sum = 0;
        double scale = this.sum ? 2.0 : 2.0 / n;
        for (int i = 0; i < out.length; i++) {
            double r = out[i] - y[i];
            sum += r * r;
            g[i] = scale * r;
        }
        return this.sum ? sum : sum / n;
    }

    /**
     * Per column: ℓ_j = −Σ_i y_ij·(f_ij − lse_j) with lse_j = log Σ_i exp f_ij, and
     * ∂ℓ_j/∂f_ij = softmax_ij·Σ_i y_ij − y_ij. Walks the (D_o × N) output row by row with one
     * scratch number per column, so every pass is contiguous.
     */
    private double crossEntropy(double[] y, int n) {
        double[] out = f[layers - 1];
        double[] g = df[layers - 1];
        int d = sizes[layers];
        double[] max = colA, sum = colB, ymax = colC;
        int[] arg = argmax;
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(arg, 0);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < n; j++) {
                double v = out[i * n + j];
                if (v > max[j]) {
                    arg[j] = i;
                }
                max[j] = Math.max(max[j], v); // NaN stays NaN, so the loss is NaN too
            }
        }
        java.util.Arrays.fill(sum, 0.0);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < n; j++) {
                double e = Math.exp(out[i * n + j] - max[j]);
                g[i * n + j] = e;
                sum[j] += e;
            }
        }
        double[] lse = max;
        for (int j = 0; j < n; j++) {
            lse[j] = max[j] + Math.log(sum[j]);
        }
        // sum now becomes Σ_i y_ij, the total target mass of each column (1 for one-hot).
        double total = 0;
        java.util.Arrays.fill(sum, 0.0);
        java.util.Arrays.fill(ymax, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < n; j++) {
                double yij = y[i * n + j];
                sum[j] += yij;
                ymax[j] = Math.max(ymax[j], yij);
                if (yij != 0) {
                    total -= yij * (out[i * n + j] - lse[j]);
                }
            }
        }
        int right = 0;
        for (int j = 0; j < n; j++) {
            // An example whose outputs hold a NaN (lse is NaN) has no prediction: it counts as wrong.
            right += y[arg[j] * n + j] == ymax[j] && !Double.isNaN(lse[j]) ? 1 : 0;
        }
        correct = right;
        lastBatch = n;
        double inv = this.sum ? 1.0 : 1.0 / n;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < n; j++) {
                int o = i * n + j;
                double softmax = Math.exp(out[o] - lse[j]);
                g[o] = inv * (softmax * sum[j] - y[o]);
            }
        }
        return total * inv;
    }

    private void backward(int n) {
        for (int k = layers - 1; k >= 0; k--) {
            int out = sizes[k + 1], in = sizes[k];
            double[] g = df[k];
            // ∂ℓ/∂Ω_k = ∂ℓ/∂f_k · h_kᵀ; ∂ℓ/∂β_k = Σ over examples of ∂ℓ/∂f_k.
            Gemm.multiply(out, in, n, g, false, h[k], true, dw[k], false);
            for (int i = 0; i < out; i++) {
                double s = 0;
                for (int j = i * n, e = j + n; j < e; j++) {
                    s += g[j];
                }
                db[k][i] = s;
            }
            if (k > 0) {
                // ∂ℓ/∂f_{k−1} = I[f_{k−1} > 0] ⊙ Ω_kᵀ·∂ℓ/∂f_k, from Ω_k before its update.
                double[] prev = df[k - 1];
                Gemm.multiply(in, n, out, w[k], true, g, false, prev, false);
                double[] fk = f[k - 1];
                for (int i = 0; i < prev.length; i++) {
                    // relu' = Op.STEP, through Op.contribution: NaN where f is NaN (unless the adjoint is 0).
                    prev[i] = fk[i] > 0 ? prev[i] : fk[i] <= 0 ? 0 : Op.contribution(prev[i], fk[i]);
                }
            }
        }
        h[0] = null; // the input is not kept
    }

    private void update(double eta) {
        for (int k = 0; k < layers; k++) {
            double[] wk = w[k], gk = dw[k];
            for (int i = 0; i < wk.length; i++) {
                wk[i] -= eta * gk[i];
            }
            double[] bk = b[k], gb = db[k];
            for (int i = 0; i < bk.length; i++) {
                bk[i] -= eta * gb[i];
            }
        }
    }

    private void allocate(int n) {
        if (n == batch) {
            return;
        }
        f = new double[layers][];
        df = new double[layers][];
        h = new double[layers][];
        for (int k = 0; k < layers; k++) {
            f[k] = new double[sizes[k + 1] * n];
            df[k] = new double[sizes[k + 1] * n];
            if (k > 0) {
                h[k] = new double[sizes[k] * n];
            }
        }
        colA = new double[n];
        colB = new double[n];
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
            colC = new double[n];
            argmax = new int[n];
        }
        batch = n;
    }

    private int checkShapes(Tensor input, Tensor target) {
        if (input.rank() != 2 || input.dim(0) != sizes[0]) {
            throw new IllegalArgumentException("input must have shape (" + sizes[0] + ", N), one column per example; got "
                    + Tensor.formatShape(input.shape()));
        }
        int n = input.dim(1);
        if (target.rank() != 2 || target.dim(0) != sizes[layers] || target.dim(1) != n) {
            throw new IllegalArgumentException("target must have shape (" + sizes[layers] + ", " + n + ") to match the input; got "
                    + Tensor.formatShape(target.shape()));
        }
        return n;
    }

    private void requireStep() {
        if (!stepped) {
            throw new IllegalStateException("no step has been taken yet");
        }
    }
}
