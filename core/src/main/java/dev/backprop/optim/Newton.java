package dev.backprop.optim;

/**
 * Damped Newton's method (chapter 6 of Understanding Deep Learning mentions it): φ ← φ − α·d with
 * (H + λI)·d = g, g and H the gradient and Hessian of the loss. λ is 0 when H is positive definite,
 * so a step is a plain Newton step, which on a quadratic loss lands on the minimum at once. Where
 * H is not positive definite (a saddle, a maximum, a flat direction) the plain step would climb or
 * jump, so it is refused and λ grows tenfold from 10⁻⁸·max|Hᵢᵢ| until H + λI is: the step then
 * bends towards gradient descent. {@link #refusedSteps()} counts those refusals, for the user.
 *
 * <p>Needs a {@link SecondOrderObjective}. Mutable; one per run.
 */
public final class Newton implements Optimizer {
    private final double lr;
    private int refused;
    private double[] g;
    private double[][] h;

    Newton(double learningRate) {
        Rules.positive("learning rate", learningRate);
        this.lr = learningRate;
    }

    /** How many steps found the Hessian not positive definite and took a damped step instead. */
    public int refusedSteps() {
        return refused;
    }

    @Override
    public double step(double[] params, Objective objective) {
        if (!(objective instanceof SecondOrderObjective second)) {
            throw new IllegalArgumentException("Newton's method needs the Hessian of the loss, which this objective does not give");
        }
        int n = params.length;
        if (g == null || g.length != n) {
            g = new double[n];
            h = new double[n][n];
        }
        double loss = second.evaluate(params, g, h);
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(h[i][i]));
        }
        double lambda = 0;
        double[] d = solve(h, g, 0);
        if (d == null) {
            refused++;
            lambda = Math.max(1e-8 * scale, 1e-12);
            for (int tries = 0; d == null && tries < 40; tries++) {
                d = solve(h, g, lambda);
                lambda *= 10;
            }
        }
        if (d == null) {
            // Not even H + λI with λ far beyond H's scale factors: the Hessian is not finite.
            for (int i = 0; i < n; i++) {
                params[i] = Double.NaN;
            }
            return loss;
        }
        for (int i = 0; i < n; i++) {
            params[i] -= lr * d[i];
        }
        return loss;
    }

    /** (H + λI)⁻¹·g by Cholesky, or null if H + λI is not (numerically) positive definite. */
    static double[] solve(double[][] hess, double[] grad, double lambda) {
        int n = grad.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                // The symmetric part: a recorded Hessian is symmetric to rounding only.
                double s = 0.5 * (hess[i][j] + hess[j][i]) + (i == j ? lambda : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0) || !Double.isFinite(s)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = grad[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    @Override
    public void reset() {
        refused = 0;
    }

    @Override
    public String toString() {
        return "Newton(lr=" + lr + ")";
    }
}
