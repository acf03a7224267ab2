package dev.backprop.optim;

/**
 * What an optimiser minimises: a loss and its gradient at a point in parameter space.
 * Implementations may look at a different mini-batch on each call.
 */
@FunctionalInterface
public interface Objective {
    /**
     * The loss at {@code params}; writes ∂loss/∂params into {@code gradient} (same length).
     * Must not modify {@code params}.
     */
    double evaluate(double[] params, double[] gradient);
}
