package dev.backprop.nn;

import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.TensorGradients;
import dev.backprop.tensor.TensorTape;
import dev.backprop.tensor.TensorVar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fully connected ReLU network with K hidden layers, as in chapter 7 of the book:
 * {@code f_k = β_k + Ω_k·h_k}, {@code h_{k+1} = relu(f_k)}, output {@code f_K}, with weights
 * Ω_0..Ω_K and biases β_0..β_K (column vectors). Immutable; inputs are matrices with one column
 * per example.
 *
 * <p>Its gradient comes two ways that must agree: {@link #backward} is the book's explicit
 * layer-by-layer recursion, keeping every step for a learner to print; {@link #autograd} records
 * the same computation on a {@link TensorTape} and lets the engine do it.
 */
public final class Network {
    private final List<Tensor> weights;
    private final List<Tensor> biases;

    /**
     * A network from its parameters: {@code weights.get(k)} is Ω_k (D_{k+1} × D_k) and
     * {@code biases.get(k)} is β_k (D_{k+1} × 1), for k = 0..K.
     *
     * @throws IllegalArgumentException if the lists are empty or of different lengths, or the
     *                                  shapes do not chain
     */
    public Network(List<Tensor> weights, List<Tensor> biases) {
        if (weights.isEmpty() || weights.size() != biases.size()) {
            throw new IllegalArgumentException("a network needs as many bias vectors as weight matrices, at least one; got "
                    + weights.size() + " and " + biases.size());
        }
        for (int k = 0; k < weights.size(); k++) {
            int[] w = weights.get(k).shape();
            int[] b = biases.get(k).shape();
            if (w.length != 2) {
                throw new IllegalArgumentException("weight " + k + " must be a matrix, got shape " + shape(w));
            }
            if (b.length != 2 || b[0] != w[0] || b[1] != 1) {
                throw new IllegalArgumentException("bias " + k + " must have shape (" + w[0] + ", 1) to match weight " + k
                        + " " + shape(w) + ", got " + shape(b));
            }
            if (k > 0 && w[1] != weights.get(k - 1).dim(0)) {
                throw new IllegalArgumentException("weight " + k + " " + shape(w) + " does not take the "
                        + weights.get(k - 1).dim(0) + " outputs of weight " + (k - 1) + " " + shape(weights.get(k - 1).shape()));
            }
        }
        this.weights = List.copyOf(weights);
        this.biases = List.copyOf(biases);
    }

    /** K, the number of hidden layers (one less than the number of weight matrices). */
    public int layers() {
        return weights.size() - 1;
    }

    /** D_i, the length of one input column. */
    public int inputSize() {
        return weights.get(0).dim(1);
    }

    /** D_o, the length of one output column. */
    public int outputSize() {
        return weights.get(layers()).dim(0);
    }

    /** Ω_0..Ω_K. */
    public List<Tensor> weights() {
        return weights;
    }

    /** β_0..β_K. */
    public List<Tensor> biases() {
        return biases;
    }

    /** Ω_k. */
    public Tensor weight(int k) {
        return weights.get(k);
    }

    /** β_k. */
    public Tensor bias(int k) {
        return biases.get(k);
    }

    /** The same network with Ω_k replaced (used by finite differences). */
    public Network withWeight(int k, Tensor w) {
        List<Tensor> ws = new ArrayList<>(weights);
        ws.set(k, w);
        return new Network(ws, biases);
    }

    /** The same network with β_k replaced. */
    public Network withBias(int k, Tensor b) {
        List<Tensor> bs = new ArrayList<>(biases);
        bs.set(k, b);
        return new Network(weights, bs);
    }

    /**
     * The forward pass keeping every f_k and h_k.
     *
     * @param input D_i × N, one column per example
     */
    public Forward forward(Tensor input) {
        checkInput(input);
        int k = layers();
        List<Tensor> f = new ArrayList<>(k + 1);
        List<Tensor> h = new ArrayList<>(k + 1);
        h.add(input);
        for (int layer = 0; layer < k; layer++) {
            f.add(biases.get(layer).add(weights.get(layer).matmul(h.get(layer))));
            h.add(f.get(layer).relu());
        }
        f.add(biases.get(k).add(weights.get(k).matmul(h.get(k))));
        return new Forward(f, h);
    }

    /** The network's output f_K for a batch of inputs. */
    public Tensor output(Tensor input) {
        return forward(input).output();
    }

    /** The least-squares loss Σ(output − target)² over every element. */
    public static double leastSquares(Tensor output, Tensor target) {
        checkSame("least squares", output, target);
        Tensor r = output.sub(target);
        return r.mul(r).sum().item();
    }

    /**
     * The book's explicit backward pass (eq. 7.21–7.24), from the output down:
     * ∂ℓ/∂f_K = 2(f_K − y); then for k = K..0: ∂ℓ/∂β_k = ∂ℓ/∂f_k (summed over examples),
     * ∂ℓ/∂Ω_k = ∂ℓ/∂f_k·h_kᵀ, ∂ℓ/∂h_k = Ω_kᵀ·∂ℓ/∂f_k and, for k &gt; 0,
     * ∂ℓ/∂f_{k−1} = I[f_{k−1}]⊙∂ℓ/∂h_k. Every step is kept.
     *
     * @param forward   a forward pass of this network
     * @param target    y, shaped like the output
     * @param indicator which ReLU derivative to use at exactly 0
     */
    public Backward backward(Forward forward, Tensor target, Indicator indicator) {
        int k = layers();
        if (forward.f().size() != k + 1) {
            throw new IllegalArgumentException("backward: the forward pass has " + (forward.f().size() - 1)
                    + " hidden layers, the network " + k);
        }
        Tensor out = forward.output();
        checkSame("backward", out, target);
        Tensor[] dlDf = new Tensor[k + 1];
        Tensor[] dlDh = new Tensor[k + 1];
        Tensor[] dlDb = new Tensor[k + 1];
        Tensor[] dlDw = new Tensor[k + 1];
        dlDf[k] = out.sub(target).mul(2);
        for (int layer = k; layer >= 0; layer--) {
            dlDb[layer] = dlDf[layer].sum(1, true);
            dlDw[layer] = dlDf[layer].matmul(forward.h().get(layer).transpose());
            dlDh[layer] = weights.get(layer).transpose().matmul(dlDf[layer]);
            if (layer > 0) {
                dlDf[layer - 1] = indicator.of(forward.f().get(layer - 1)).mul(dlDh[layer]);
            }
        }
        return new Backward(leastSquares(out, target), Arrays.asList(dlDf), Arrays.asList(dlDh),
                Arrays.asList(dlDb), Arrays.asList(dlDw));
    }

    /** The forward pass and the explicit backward pass with I[f &gt; 0], as in notebook 7.2. */
    public Backward backward(Tensor input, Tensor target) {
        return backward(forward(input), target, Indicator.POSITIVE);
    }

    /**
     * The same derivatives from the tensor autograd engine: the forward pass and the loss are
     * recorded on a {@link TensorTape} and differentiated in one reverse sweep. Its ReLU
     * derivative at 0 is 0, so it agrees with {@code backward(…, Indicator.POSITIVE)}.
     */
    public Backward autograd(Tensor input, Tensor target) {
        checkInput(input);
        int k = layers();
        TensorTape tape = new TensorTape();
        TensorVar[] w = new TensorVar[k + 1];
        TensorVar[] b = new TensorVar[k + 1];
        TensorVar[] f = new TensorVar[k + 1];
        TensorVar[] h = new TensorVar[k + 1];
        h[0] = tape.input("h0", input);
        for (int layer = 0; layer <= k; layer++) {
            w[layer] = tape.input("omega" + layer, weights.get(layer));
            b[layer] = tape.input("beta" + layer, biases.get(layer));
            f[layer] = b[layer].add(w[layer].matmul(h[layer])).named("f" + layer);
            if (layer < k) {
                h[layer + 1] = f[layer].relu().named("h" + (layer + 1));
            }
        }
        checkSame("autograd", f[k].value(), target);
        TensorVar loss = f[k].sub(tape.constant(target)).square().sum();
        TensorGradients g = tape.gradient(loss);
        List<Tensor> dlDf = new ArrayList<>();
        List<Tensor> dlDh = new ArrayList<>();
        List<Tensor> dlDb = new ArrayList<>();
        List<Tensor> dlDw = new ArrayList<>();
        for (int layer = 0; layer <= k; layer++) {
            dlDf.add(g.of(f[layer]));
            dlDh.add(g.of(h[layer]));
            dlDb.add(g.of(b[layer]));
            dlDw.add(g.of(w[layer]));
        }
        return new Backward(loss.value().item(), dlDf, dlDh, dlDb, dlDw);
    }

    private void checkInput(Tensor input) {
        if (input.rank() != 2 || input.dim(0) != inputSize()) {
            throw new IllegalArgumentException("input must have shape (" + inputSize() + ", N), one column per example; got "
                    + shape(input.shape()));
        }
    }

    private static void checkSame(String what, Tensor output, Tensor target) {
        if (!output.sameShape(target)) {
            throw new IllegalArgumentException(what + ": output shape " + shape(output.shape()) + " and target shape "
                    + shape(target.shape()) + " differ");
        }
    }

    private static String shape(int[] s) {
        return Tensor.formatShape(s);
    }
}
