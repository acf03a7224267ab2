package dev.backprop.tensor;

/**
 * The result of one reverse sweep on a {@link TensorTape}: ∂output/∂node for every node recorded
 * at or before the output, each in its node's shape.
 */
public final class TensorGradients {
    private final TensorTape tape;
    private final Tensor[] adjoint;

    TensorGradients(TensorTape tape, Tensor[] adjoint) {
        this.tape = tape;
        this.adjoint = adjoint;
    }

    /**
     * ∂output/∂v in v's shape; zeros where the output does not depend on v (or v is a constant,
     * or was recorded after the output).
     */
    public Tensor of(TensorVar v) {
        if (v.tape() != tape) {
            throw new IllegalArgumentException("that tensor was recorded on another tape");
        }
        Tensor a = v.index() < adjoint.length ? adjoint[v.index()] : null;
        return a != null ? a : Tensor.zeros(v.value().shape);
    }
}
