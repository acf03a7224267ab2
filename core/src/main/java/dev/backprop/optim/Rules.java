package dev.backprop.optim;

/** The update rules behind {@link Optimizer}'s factories. */
final class Rules {
    private Rules() {
    }

    static void check(String what, double v, double lo, double hi, boolean hiInclusive) {
        if (!(v >= lo && (hiInclusive ? v <= hi : v < hi))) {
            throw new IllegalArgumentException(what + " must be in [" + lo + ", " + hi + (hiInclusive ? "]" : ")")
                    + ", got " + v);
        }
    }

    static void positive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a positive number, got " + v);
        }
    }

    static final class GradientDescent implements Optimizer {
        private final double lr;
        private double[] g;

        GradientDescent(double lr) {
            positive("learning rate", lr);
            this.lr = lr;
        }

        @Override
        public double step(double[] params, Objective objective) {
            if (g == null || g.length != params.length) {
                g = new double[params.length];
            }
            double loss = objective.evaluate(params, g);
            for (int i = 0; i < params.length; i++) {
                params[i] -= lr * g[i];
            }
            return loss;
        }

        @Override
        public void reset() {
            g = null;
        }
    }

    static final class Momentum implements Optimizer {
        private final double lr;
        private final double beta;
        private final boolean nesterov;
        private double[] m;
        private double[] g;
        private double[] ahead;

        Momentum(double lr, double beta, boolean nesterov) {
            positive("learning rate", lr);
            check("momentum β", beta, 0, 1, false);
            this.lr = lr;
            this.beta = beta;
            this.nesterov = nesterov;
        }

        @Override
        public double step(double[] params, Objective objective) {
            int n = params.length;
            if (m == null || m.length != n) {
                m = new double[n];
                g = new double[n];
                ahead = new double[n];
            }
            double loss;
            if (nesterov) {
                for (int i = 0; i < n; i++) {
                    ahead[i] = params[i] - lr * beta * m[i];
                }
                loss = objective.evaluate(ahead, g);
            } else {
                loss = objective.evaluate(params, g);
            }
            for (int i = 0; i < n; i++) {
                m[i] = beta * m[i] + (1 - beta) * g[i];
                params[i] -= lr * m[i];
            }
            return loss;
        }

        @Override
        public void reset() {
            m = null;
        }
    }

    static final class Adam implements Optimizer {
        private final double lr;
        private final double beta;
        private final double gamma;
        private final double eps;
        private double[] m;
        private double[] v;
        private double[] g;
        private int t;

        Adam(double lr, double beta, double gamma, double eps) {
            positive("learning rate", lr);
            check("Adam β", beta, 0, 1, false);
            check("Adam γ", gamma, 0, 1, false);
            positive("Adam ε", eps);
            this.lr = lr;
            this.beta = beta;
            this.gamma = gamma;
            this.eps = eps;
        }

        @Override
        public double step(double[] params, Objective objective) {
            int n = params.length;
            if (m == null || m.length != n) {
                m = new double[n];
                v = new double[n];
                g = new double[n];
                t = 0;
            }
            double loss = objective.evaluate(params, g);
            t++;
            double mc = 1 - Math.pow(beta, t);
            double vc = 1 - Math.pow(gamma, t);
            for (int i = 0; i < n; i++) {
                m[i] = beta * m[i] + (1 - beta) * g[i];
                v[i] = gamma * v[i] + (1 - gamma) * g[i] * g[i];
                params[i] -= lr * (m[i] / mc) / (Math.sqrt(v[i] / vc) + eps);
            }
            return loss;
        }

        @Override
        public void reset() {
            m = null;
        }
    }
}
