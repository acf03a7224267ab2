package dev.backprop.optim;

/**
 * An {@link Objective} that can also give the Hessian of its loss, which {@link Newton} needs.
 * A formula fit is one (its Hessian is the reverse sweep recorded and swept again, summed over
 * the data by the batch engine).
 */
public interface SecondOrderObjective extends Objective {
    /**
     * The loss at {@code params}; writes ∂loss/∂params into {@code gradient} and ∂²loss/∂params²
     * into {@code hessian} (n rows of n). Must not modify {@code params}.
     */
    double evaluate(double[] params, double[] gradient, double[][] hessian);
}
