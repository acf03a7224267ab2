package dev.backprop.nn;

import dev.backprop.tensor.Tensor;

/**
 * The ReLU derivative used by the explicit backward pass, I[f &gt; 0] or I[f ≥ 0]. They differ only
 * where a pre-activation is exactly 0 (possible when biases are zero and a whole layer is off);
 * notebook 7.2 uses the first, notebook 7.3 the second. The autograd engine's relu uses
 * {@link #POSITIVE}, as PyTorch does.
 */
public enum Indicator {
    /** 1 where f &gt; 0, else 0 (notebook 7.2, PyTorch). */
    POSITIVE,
    /** 1 where f ≥ 0, else 0 (notebook 7.3). */
    NON_NEGATIVE;

    /** The indicator at one pre-activation; NaN at NaN, as {@code Op.STEP}, so a NaN is never hidden as 0. */
    public double at(double f) {
        if (f != f) {
            return f;
        }
        return (this == POSITIVE ? f > 0 : f >= 0) ? 1 : 0;
    }

    /** The indicator at every element. */
    public Tensor of(Tensor f) {
        double[] d = f.toArray();
        for (int i = 0; i < d.length; i++) {
            d[i] = at(d[i]);
        }
        return Tensor.of(d, f.shape());
    }
}
