package dev.backprop.tensor;

import dev.backprop.io.Limits;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * The gradients of the named nodes, as tensors: {@code TensorGradients[w=Tensor(2, 2) [[…]],
     * b=Tensor(2, 1) [[…]]]} (at most ten, each tensor {@linkplain Tensor#toString() summarised}).
     */
    @Override
    public String toString() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < adjoint.length; i++) {
            String name = adjoint[i] == null ? null : tape.name(new TensorVar(tape, i));
            if (name != null) {
                named.put(name, adjoint[i]);
            }
        }
        return "TensorGradients[" + Limits.entries(named) + "]";
    }
}
