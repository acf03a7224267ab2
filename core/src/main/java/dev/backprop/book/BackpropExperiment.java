package dev.backprop.book;

import dev.backprop.nn.Backward;
import dev.backprop.nn.Forward;
import dev.backprop.nn.Indicator;
import dev.backprop.nn.Init;
import dev.backprop.nn.Network;

import dev.backprop.check.AllClose;
import dev.backprop.check.FiniteDifference;
import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Notebook 7.2, "Backpropagation": a deep ReLU network with random parameters, one input, its
 * forward pass, the explicit backward pass, and the notebook's finite-difference check of every
 * parameter. Everything the notebook prints is in the {@link Result}; with the defaults the output
 * is 1.907 and the loss 327.371, as the notebook says.
 *
 * <p>Cost: the check runs two forward passes per parameter, about K·D² parameters, so it grows
 * like K²·D⁴ (instant for the defaults, minutes for K = 50, D = 80).
 */
public final class BackpropExperiment {
    /** The notebook's seed. */
    public static final long DEFAULT_SEED = 0;
    /** The notebook's K. */
    public static final int DEFAULT_LAYERS = 5;
    /** The notebook's D. */
    public static final int DEFAULT_WIDTH = 6;
    /** The notebook's input. */
    public static final double DEFAULT_X = 1.2;
    /** The notebook's target. */
    public static final double DEFAULT_Y = 20.0;
    /** The notebook's finite-difference step {@code delta_fd}. */
    public static final double STEP = 1e-6;
    /** The notebook's comparison, {@code np.allclose(fd, backprop, rtol=1e-05, atol=1e-08)}. */
    public static final AllClose TOLERANCE = new AllClose(1e-5, 1e-8);

    private BackpropExperiment() {
    }

    /**
     * The finite-difference check of one layer's biases or weights.
     *
     * @param layer            k, 0..K
     * @param backprop         the derivatives from the backward pass
     * @param finiteDifference the forward differences (ℓ(θ + δ) − ℓ(θ)) / δ, same shape
     * @param matches          whether {@code np.allclose(finiteDifference, backprop)} holds: the
     *                         notebook's "Success!" (true) or "Failure!" (false)
     */
    public record LayerCheck(int layer, Tensor backprop, Tensor finiteDifference, boolean matches) {
    }

    /**
     * Everything notebook 7.2 computes.
     *
     * @param seed         the seed given to {@code np.random.seed}
     * @param network      the parameters drawn
     * @param input        the input column (D_i × 1, every element x)
     * @param target       the target column (D_o × 1, every element y)
     * @param forward      every f_k and h_k
     * @param backward     the explicit backward pass with I[f &gt; 0]: ∂ℓ/∂f_k, ∂ℓ/∂h_k and the
     *                     parameter gradients
     * @param biasChecks   the check of β_0..β_K, in the notebook's order
     * @param weightChecks the check of Ω_0..Ω_K
     */
    public record Result(long seed, Network network, Tensor input, Tensor target, Forward forward, Backward backward,
            List<LayerCheck> biasChecks, List<LayerCheck> weightChecks) {

        /** Copies the lists so the record stays immutable. */
        public Result {
            biasChecks = List.copyOf(biasChecks);
            weightChecks = List.copyOf(weightChecks);
        }

        /** The network's output f_K[0, 0] (1.907 for the defaults). */
        public double output() {
            return forward.output().get(0, 0);
        }

        /** The least-squares loss (327.371 for the defaults). */
        public double loss() {
            return backward.loss();
        }

        /** Pre-activations f_0..f_K (f_K is the output). */
        public List<Tensor> f() {
            return forward.f();
        }

        /** Activations h_0..h_K (h_0 is the input). */
        public List<Tensor> h() {
            return forward.h();
        }

        /** ∂ℓ/∂f_0..∂ℓ/∂f_K. */
        public List<Tensor> dlDf() {
            return backward.dlDf();
        }

        /** ∂ℓ/∂β_0..∂ℓ/∂β_K, each D_out × 1. */
        public List<Tensor> dlDbias() {
            return backward.dlDbias();
        }

        /** ∂ℓ/∂Ω_0..∂ℓ/∂Ω_K, each D_out × D_in. */
        public List<Tensor> dlDweight() {
            return backward.dlDweight();
        }

        /** ∂ℓ/∂input = Ω_0ᵀ·∂ℓ/∂f_0 (D_i × 1). */
        public Tensor dlDinput() {
            return backward.dlDinput();
        }

        /** Whether every bias and weight layer passed the check. */
        public boolean allMatch() {
            return biasChecks.stream().allMatch(LayerCheck::matches) && weightChecks.stream().allMatch(LayerCheck::matches);
        }
    }

    /** The notebook with its own settings. */
    public static Result run() {
        return run(DEFAULT_SEED, DEFAULT_LAYERS, DEFAULT_WIDTH, DEFAULT_X, DEFAULT_Y);
    }

    /**
     * The notebook with other settings: the parameters drawn as {@link #parameters}, the input a
     * 1×1 column holding {@code x}, the target a 1×1 column holding {@code y}.
     *
     * @throws IllegalArgumentException if {@code layers} or {@code width} is below 1, or x or y is
     *                                  not finite
     */
    public static Result run(long seed, int layers, int width, double x, double y) {
        return run(seed, layers, width, x, y, true);
    }

    /**
     * As {@link #run(long, int, int, double, double)}, optionally without the finite-difference
     * check, whose cost grows like K²·D⁴ (the check lists are then empty).
     */
    public static Result run(long seed, int layers, int width, double x, double y, boolean check) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("x and y must be finite numbers, got x " + x + " and y " + y);
        }
        Network net = parameters(seed, layers, width);
        Tensor input = Tensor.full(x, net.inputSize(), 1);
        Tensor target = Tensor.full(y, net.outputSize(), 1);
        Forward fw = net.forward(input);
        Backward bw = net.backward(fw, target, Indicator.POSITIVE);
        List<LayerCheck> biasChecks = new ArrayList<>();
        List<LayerCheck> weightChecks = new ArrayList<>();
        for (int k = 0; check && k <= layers; k++) {
            int layer = k;
            Tensor b = net.bias(k);
            Tensor fd = differences(b, p -> loss(net.withBias(layer, p), input, target));
            biasChecks.add(check(k, bw.dlDbias().get(k), fd));
        }
        for (int k = 0; check && k <= layers; k++) {
            int layer = k;
            Tensor w = net.weight(k);
            Tensor fd = differences(w, p -> loss(net.withWeight(layer, p), input, target));
            weightChecks.add(check(k, bw.dlDweight().get(k), fd));
        }
        return new Result(seed, net, input, target, fw, bw, biasChecks, weightChecks);
    }

    /**
     * The notebook's parameters: {@code np.random.seed(seed)}, then Ω_0 = normal(D×1),
     * Ω_K = normal(1×D), β_0 = normal(D×1), β_K = normal(1×1), then for each layer 1..K−1
     * Ω_k = normal(D×D) followed by β_k = normal(D×1).
     */
    public static Network parameters(long seed, int layers, int width) {
        Init.checkSizes(1, width, layers, 1);
        RandomState rng = new RandomState(seed);
        Tensor[] w = new Tensor[layers + 1];
        Tensor[] b = new Tensor[layers + 1];
        w[0] = Init.draw(rng, width, 1, 1);
        w[layers] = Init.draw(rng, 1, width, 1);
        b[0] = Init.draw(rng, width, 1, 1);
        b[layers] = Init.draw(rng, 1, 1, 1);
        for (int k = 1; k < layers; k++) {
            w[k] = Init.draw(rng, width, width, 1);
            b[k] = Init.draw(rng, width, 1, 1);
        }
        return new Network(List.of(w), List.of(b));
    }

    private static double loss(Network net, Tensor input, Tensor target) {
        return Network.leastSquares(net.output(input), target);
    }

    /** Forward differences of a loss in every element of one parameter tensor, as the notebook computes them. */
    private static Tensor differences(Tensor param, ToDoubleFunction<Tensor> loss) {
        int[] shape = param.shape();
        double[] theta = param.toArray();
        double[] d = new double[theta.length];
        ToDoubleFunction<double[]> f = p -> loss.applyAsDouble(Tensor.of(p, shape));
        for (int i = 0; i < theta.length; i++) {
            d[i] = FiniteDifference.forward(f, theta, i, STEP);
        }
        return Tensor.of(d, shape);
    }

    private static LayerCheck check(int layer, Tensor backprop, Tensor fd) {
        return new LayerCheck(layer, backprop, fd, TOLERANCE.allClose(fd.toArray(), backprop.toArray()));
    }
}
