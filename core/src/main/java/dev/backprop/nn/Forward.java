package dev.backprop.nn;

import dev.backprop.tensor.Tensor;
import java.util.List;

/**
 * A forward pass through a {@link Network}, every intermediate kept (the book's eq. 7.5 / 7.16):
 * {@code h.get(0)} is the input, {@code f.get(k) = β_k + Ω_k·h.get(k)} for k = 0..K and
 * {@code h.get(k+1) = relu(f.get(k))}; the output is {@code f.get(K)}. Each is a matrix with one
 * column per example.
 *
 * @param f the pre-activations f_0..f_K
 * @param h the activations h_0..h_K (h_0 = input)
 */
public record Forward(List<Tensor> f, List<Tensor> h) {

    /** Copies the lists so the record stays immutable. */
    public Forward {
        f = List.copyOf(f);
        h = List.copyOf(h);
    }

    /** The network's output f_K. */
    public Tensor output() {
        return f.get(f.size() - 1);
    }

    /** The input h_0. */
    public Tensor input() {
        return h.get(0);
    }
}
