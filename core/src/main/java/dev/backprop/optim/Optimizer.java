package dev.backprop.optim;

/**
 * One rule for updating parameters from gradients, as in chapter 6 of Understanding Deep Learning.
 * Parameters of any model, scalar formula parameters or the elements of tensors, are one flat
 * {@code double[]}; an optimiser keeps its own state (momentum, moment estimates) sized to it.
 *
 * <p>Optimisers are mutable and not thread-safe: one per training run. Create them with
 * {@link #gradientDescent}, {@link #momentum}, {@link #nesterov} or {@link #adam}.
 */
public interface Optimizer {

    /**
     * One update of {@code params} in place. The optimiser decides where the gradient is taken
     * (Nesterov looks ahead) and asks {@code objective} for it exactly once.
     *
     * @return the loss the objective reported during this step (at the point it was asked about)
     */
    double step(double[] params, Objective objective);

    /**
     * One update of named tensor parameters in place: {@code objective} records the loss on a
     * fresh {@link dev.backprop.tensor.TensorTape} from the parameters it is handed, and the
     * optimiser moves them against the gradient, as {@link #step(double[], Objective)} does for
     * a flat vector. One optimiser per set of parameters: its state is sized to them.
     *
     * <pre>{@code
     * Parameters model = new Parameters().add("w", Tensor.zeros(1, 3)).add("b", Tensor.zeros(1, 1));
     * Optimizer adam = Optimizer.adam(0.01);
     * double loss = adam.step(model, p -> p.get("w").matmul(p.constant(x)).add(p.get("b"))
     *         .sub(p.constant(y)).square().sum());
     * }</pre>
     *
     * @param params    the parameters, updated in place
     * @param objective the loss of the parameters it is handed, a single number
     * @return the loss the objective reported during this step
     */
    default double step(Parameters params, TensorObjective objective) {
        return params.step(this, objective);
    }

    /** Forgets accumulated state (momentum, moments, step count). */
    void reset();

    /** Plain (stochastic) gradient descent, eq. 6.3: φ ← φ − α·g. */
    static Optimizer gradientDescent(double learningRate) {
        return new Rules.GradientDescent(learningRate);
    }

    /**
     * Momentum as the book writes it, eq. 6.11: m ← β·m + (1 − β)·g(φ); φ ← φ − α·m.
     * (PyTorch's SGD momentum omits the 1 − β factor; its α differs by that factor.)
     */
    static Optimizer momentum(double learningRate, double beta) {
        return new Rules.Momentum(learningRate, beta, false);
    }

    /** Nesterov momentum, eq. 6.12: the gradient is taken at the look-ahead point φ − α·β·m. */
    static Optimizer nesterov(double learningRate, double beta) {
        return new Rules.Momentum(learningRate, beta, true);
    }

    /**
     * Adam with the usual defaults β = 0.9, γ = 0.999, ε = 10⁻⁸ (Kingma and Ba's, PyTorch's, and
     * {@code backprop fit}'s): {@code adam(learningRate, 0.9, 0.999, 1e-8)}.
     */
    static Optimizer adam(double learningRate) {
        return adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * Adam with bias correction, eqs. 6.15–6.17: m ← β·m + (1 − β)·g; v ← γ·v + (1 − γ)·g²;
     * φ ← φ − α·(m / (1 − β^t)) / (√(v / (1 − γ^t)) + ε).
     */
    static Optimizer adam(double learningRate, double beta, double gamma, double epsilon) {
        return new Rules.Adam(learningRate, beta, gamma, epsilon);
    }

    /**
     * Damped Newton's method, φ ← φ − α·(H + λI)⁻¹·g, with λ = 0 wherever the Hessian is positive
     * definite ({@link Newton}); α = 1 is the plain Newton step. Needs a {@link SecondOrderObjective}.
     */
    static Newton newton(double learningRate) {
        return new Newton(learningRate);
    }
}
