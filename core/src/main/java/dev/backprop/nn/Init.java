package dev.backprop.nn;

import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight initialisation as in notebook 7.3: every weight drawn from N(0, σ²), every bias zero.
 *
 * <p>The draws follow the notebook's {@code init_params} exactly, so a {@link RandomState} seeded
 * like numpy gives bit-identical networks: first Ω_0 (D × D_i), then Ω_K (D_o × D), then
 * Ω_1..Ω_{K−1} (D × D), each a row-major block of standard normals multiplied by √σ².
 */
public final class Init {
    private Init() {
    }

    /**
     * A network with weights drawn from N(0, σ²) in the notebook's order and zero biases.
     *
     * @param rng        the stream to draw from (advanced by the draws)
     * @param inputSize  D_i
     * @param width      D, units per hidden layer
     * @param layers     K ≥ 1 hidden layers
     * @param outputSize D_o
     * @param sigma2     the variance σ² ≥ 0
     */
    public static Network normal(RandomState rng, int inputSize, int width, int layers, int outputSize, double sigma2) {
        checkSizes(inputSize, width, layers, outputSize);
        if (!(sigma2 >= 0) || Double.isInfinite(sigma2)) {
            throw new IllegalArgumentException("the weight variance must be a finite number ≥ 0, got " + sigma2);
        }
        double scale = Math.sqrt(sigma2);
        Tensor[] w = new Tensor[layers + 1];
        List<Tensor> biases = new ArrayList<>();
        w[0] = draw(rng, width, inputSize, scale);
        w[layers] = draw(rng, outputSize, width, scale);
        for (int k = 1; k < layers; k++) {
            w[k] = draw(rng, width, width, scale);
        }
        for (int k = 0; k <= layers; k++) {
            biases.add(Tensor.zeros(w[k].dim(0), 1));
        }
        return new Network(List.of(w), biases);
    }

    /** He initialisation: {@link #normal} with σ² = 2/D, which keeps ReLU activations' scale stable with depth. */
    public static Network he(RandomState rng, int inputSize, int width, int layers, int outputSize) {
        checkSizes(inputSize, width, layers, outputSize);
        return normal(rng, inputSize, width, layers, outputSize, 2.0 / width);
    }

    /** A rows × cols matrix of standard normals in row-major order (numpy's {@code normal(size=(rows, cols))}), times scale. */
    public static Tensor draw(RandomState rng, int rows, int cols, double scale) {
        double[][] z = rng.normal(rows, cols);
        for (double[] row : z) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= scale;
            }
        }
        return Tensor.matrix(z);
    }

    /**
     * Checks the sizes of a network of {@code layers} hidden layers of {@code width} units.
     *
     * @throws IllegalArgumentException naming the size that is not at least 1
     */
    public static void checkSizes(int inputSize, int width, int layers, int outputSize) {
        if (layers < 1) {
            throw new IllegalArgumentException("a network needs at least 1 hidden layer, got " + layers);
        }
        if (inputSize < 1 || width < 1 || outputSize < 1) {
            throw new IllegalArgumentException("layer sizes must be at least 1, got input " + inputSize + ", width " + width
                    + ", output " + outputSize);
        }
    }
}
