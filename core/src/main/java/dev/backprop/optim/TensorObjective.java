package dev.backprop.optim;

import dev.backprop.tensor.TensorVar;

/**
 * A loss of named tensor parameters, for {@link Optimizer#step(Parameters, TensorObjective)}:
 * records the computation on the tape of the {@link Parameters.Recording} it is handed and returns
 * the loss, a single number. It may be called at points other than the parameters' current values
 * (Nesterov momentum looks ahead), so it takes the parameters from the recording, never from
 * elsewhere.
 */
@FunctionalInterface
public interface TensorObjective {
    /**
     * Records the loss.
     *
     * @param p the parameters as values on a fresh tape, and that tape for data
     * @return the loss, recorded on {@code p}'s tape, holding one number
     */
    TensorVar loss(Parameters.Recording p);
}
