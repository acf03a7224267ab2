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
    /** The same gradients as nodes of the tape, when the sweep was recorded; else null. */
    private final TensorVar[] recorded;

    TensorGradients(TensorTape tape, Tensor[] adjoint) {
        this(tape, adjoint, null);
    }

    TensorGradients(TensorTape tape, Tensor[] adjoint, TensorVar[] recorded) {
        this.tape = tape;
        this.adjoint = adjoint;
        this.recorded = recorded;
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
     * ∂output/∂v as a node of the tape, to compute with and differentiate again: available when
     * the gradients were taken with {@link TensorTape#gradient(TensorVar, boolean) createGraph}.
     * Where the output does not depend on v, a constant of zeros in v's shape.
     *
     * @throws IllegalStateException if the gradients were taken without {@code createGraph}
     */
    public TensorVar var(TensorVar v) {
        if (v.tape() != tape) {
            throw new IllegalArgumentException("that tensor was recorded on another tape");
        }
        if (recorded == null) {
            throw new IllegalStateException("these gradients are numbers only: take them with gradient(output, true) to differentiate them again");
        }
        TensorVar a = v.index() < recorded.length ? recorded[v.index()] : null;
        return a != null ? a : tape.constant(Tensor.zeros(v.value().shape));
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
