package dev.backprop.book;

import dev.backprop.nn.Backward;
import dev.backprop.nn.Forward;
import dev.backprop.nn.Indicator;
import dev.backprop.nn.Init;
import dev.backprop.nn.Network;

import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Notebook 7.3, "Initialization": how the variance σ² of the initial weights makes activations
 * (forward) and gradients (backward) explode or vanish with depth, measured by their standard
 * deviation at each layer. With the defaults (K = 5, D = 8, σ² = 1, n = 1000) the forward
 * deviations are 0.811, 1.472, 4.547, 8.896, 10.106 and the backward ones for layers 4, 3, 2, 1 are
 * 56.472, 109.132, 340.657, 446.654, as in the notebook. He initialisation, σ² = 2/D, keeps them
 * steady.
 *
 * <p>Both experiments draw their parameters with the notebook's {@code init_params}, which
 * reseeds with 0 each time ({@link Init#normal} on a fresh {@code RandomState(0)}):
 * <ul>
 * <li>forward: then {@code data = normal(1×n)} from the same stream, one forward pass, and the
 *     population standard deviation (numpy's {@code np.std}, ddof 0) of all of h_k for k = 1..K;
 * <li>backward: the parameters drawn again, then for each of {@code examples} examples its own
 *     {@code normal(1×1)} input and target 0, the explicit backward pass with I[f ≥ 0] as in the
 *     notebook, and the standard deviation of ∂ℓ/∂f_k pooled over units and examples, for
 *     k = 1..K−1. (The notebook's printout calls it "std of dl_dh"; it is ∂ℓ/∂f_k.)
 * </ul>
 * The choice I[f ≥ 0] cannot change these numbers: with zero biases, f_k is exactly 0 only where
 * h_k is entirely 0, and then the output, the target and every gradient are 0 too.
 * Large cases work: K = 50, D = 80 reaches about 1e78 (σ² = 1) or 1e−37 (σ² = 0.005) without
 * overflow, as the deviations are computed on scaled values.
 */
public final class InitExperiment {
    /** The notebook's K. */
    public static final int DEFAULT_LAYERS = 5;
    /** The notebook's D. */
    public static final int DEFAULT_WIDTH = 8;
    /** The notebook's σ². */
    public static final double DEFAULT_SIGMA2 = 1.0;
    /** The notebook's number of inputs in the forward experiment. */
    public static final int DEFAULT_N = 1000;
    /** The notebook's number of examples in the backward experiment. */
    public static final int DEFAULT_EXAMPLES = 100;

    private InitExperiment() {
    }

    /**
     * The deviations per layer.
     *
     * @param layers      K
     * @param width       D
     * @param sigma2      σ²
     * @param n           inputs in the forward experiment
     * @param examples    examples in the backward experiment
     * @param forwardStd  standard deviation of h_k; element k−1 is layer k, for k = 1..K
     * @param backwardStd standard deviation of ∂ℓ/∂f_k; element k−1 is layer k, for k = 1..K−1
     *                    (empty when K = 1)
     */
    public record Result(int layers, int width, double sigma2, int n, int examples, List<Double> forwardStd,
            List<Double> backwardStd) {

        /** Copies the lists so the record stays immutable. */
        public Result {
            forwardStd = List.copyOf(forwardStd);
            backwardStd = List.copyOf(backwardStd);
        }

        /** The deviation of h_k, k = 1..K. */
        public double forwardStd(int layer) {
            if (layer < 1 || layer > layers) {
                throw new IllegalArgumentException("forward layers run from 1 to " + layers + ", got " + layer);
            }
            return forwardStd.get(layer - 1);
        }

        /** The deviation of ∂ℓ/∂f_k, k = 1..K−1. */
        public double backwardStd(int layer) {
            if (layer < 1 || layer > layers - 1) {
                throw new IllegalArgumentException("backward layers run from 1 to " + (layers - 1) + ", got " + layer);
            }
            return backwardStd.get(layer - 1);
        }
    }

    /** The notebook with its own settings. */
    public static Result run() {
        return run(DEFAULT_LAYERS, DEFAULT_WIDTH, DEFAULT_SIGMA2, DEFAULT_N, DEFAULT_EXAMPLES);
    }

    /** Both experiments with {@value #DEFAULT_EXAMPLES} examples in the backward one, as in the notebook. */
    public static Result run(int layers, int width, double sigma2, int n) {
        return run(layers, width, sigma2, n, DEFAULT_EXAMPLES);
    }

    /**
     * Both experiments.
     *
     * @throws IllegalArgumentException if a size is below 1 or σ² is negative or not finite
     */
    public static Result run(int layers, int width, double sigma2, int n, int examples) {
        if (n < 1 || examples < 1) {
            throw new IllegalArgumentException("n and examples must be at least 1, got " + n + " and " + examples);
        }
        return new Result(layers, width, sigma2, n, examples, forward(layers, width, sigma2, n),
                backward(layers, width, sigma2, examples));
    }

    /** The notebook's {@code init_params(K, D, σ²)}: the network drawn by {@link Init#normal} from a fresh {@code RandomState(0)}. */
    public static Network parameters(int layers, int width, double sigma2) {
        return Init.normal(new RandomState(0), 1, width, layers, 1, sigma2);
    }

    static List<Double> forward(int layers, int width, double sigma2, int n) {
        RandomState rng = new RandomState(0);
        Network net = Init.normal(rng, 1, width, layers, 1, sigma2);
        Tensor data = Init.draw(rng, 1, n, 1);
        Forward fw = net.forward(data);
        List<Double> std = new ArrayList<>();
        for (int k = 1; k <= layers; k++) {
            std.add(std(fw.h().get(k).toArray()));
        }
        return Collections.unmodifiableList(std);
    }

    static List<Double> backward(int layers, int width, double sigma2, int examples) {
        RandomState rng = new RandomState(0);
        Network net = Init.normal(rng, 1, width, layers, 1, sigma2);
        Tensor zero = Tensor.zeros(1, 1);
        // pooled[k][unit·examples + example], laid out like the notebook's D × n_data array
        double[][] pooled = new double[layers][width * examples];
        for (int c = 0; c < examples; c++) {
            Tensor x = Init.draw(rng, 1, 1, 1);
            Backward bw = net.backward(net.forward(x), zero, Indicator.NON_NEGATIVE);
            for (int k = 1; k < layers; k++) {
                Tensor d = bw.dlDf().get(k);
                for (int u = 0; u < width; u++) {
                    pooled[k][u * examples + c] = d.at(u);
                }
            }
        }
        List<Double> std = new ArrayList<>();
        for (int k = 1; k < layers; k++) {
            std.add(std(pooled[k]));
        }
        return Collections.unmodifiableList(std);
    }

    /**
     * numpy's {@code np.std} (ddof 0): the mean, then the root of the mean squared deviation. The
     * deviations are scaled by a power of two (exact) before squaring, so values near 1e±200 do
     * not overflow or underflow.
     */
    static double std(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v - mean));
        }
        if (max == 0 || !Double.isFinite(max)) {
            return max == 0 ? 0 : Double.NaN;
        }
        double scale = Math.scalb(1.0, -Math.getExponent(max));
        double ss = 0;
        for (double v : x) {
            double d = (v - mean) * scale;
            ss += d * d;
        }
        return Math.sqrt(ss / x.length) / scale;
    }
}
