package dev.backprop.nn;

import dev.backprop.tensor.Tensor;
import java.util.List;

/**
 * The derivatives of the least-squares loss with respect to every intermediate and every
 * parameter of a {@link Network} (the book's eq. 7.21–7.24), whichever way they were computed.
 * Index k runs over layers 0..K in every list.
 *
 * <p>For a batch (one column per example) the loss is summed over examples, so the bias
 * gradients are ∂ℓ/∂f_k summed over columns; for one example they are ∂ℓ/∂f_k itself.
 *
 * @param loss      Σ (f_K − y)²
 * @param dlDf      ∂ℓ/∂f_k, same shape as f_k; {@code dlDf.get(K) = 2(f_K − y)}
 * @param dlDh      ∂ℓ/∂h_k = Ω_kᵀ·∂ℓ/∂f_k, same shape as h_k; {@code dlDh.get(0)} is ∂ℓ/∂input
 * @param dlDbias   ∂ℓ/∂β_k, shape (D_out, 1)
 * @param dlDweight ∂ℓ/∂Ω_k = ∂ℓ/∂f_k·h_kᵀ, shape (D_out, D_in) like Ω_k
 */
public record Backward(double loss, List<Tensor> dlDf, List<Tensor> dlDh, List<Tensor> dlDbias, List<Tensor> dlDweight) {

    /** Copies the lists so the record stays immutable. */
    public Backward {
        dlDf = List.copyOf(dlDf);
        dlDh = List.copyOf(dlDh);
        dlDbias = List.copyOf(dlDbias);
        dlDweight = List.copyOf(dlDweight);
    }

    /** ∂ℓ/∂input, the same as {@code dlDh().get(0)}. */
    public Tensor dlDinput() {
        return dlDh.get(0);
    }

    /** ∂ℓ/∂output, the same as {@code dlDf().get(K)}. */
    public Tensor dlDoutput() {
        return dlDf.get(dlDf.size() - 1);
    }
}
