package dev.backprop.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Two steps of each rule on L(φ) = φ², g = 2φ, from φ = 1, worked by hand from the book's equations. */
class OptimizerTest {
    static final Objective SQUARE = (p, g) -> {
        g[0] = 2 * p[0];
        return p[0] * p[0];
    };

    static double[] twoSteps(Optimizer o) {
        double[] p = {1.0};
        double l1 = o.step(p, SQUARE);
        double a = p[0];
        double l2 = o.step(p, SQUARE);
        return new double[] {a, p[0], l1, l2};
    }

    @Test
    void gradientDescent() {
        double[] r = twoSteps(Optimizer.gradientDescent(0.1));
        assertThat(r[0]).isCloseTo(0.8, within(1e-15));
        assertThat(r[1]).isCloseTo(0.64, within(1e-15));
        assertThat(r[2]).isEqualTo(1.0);
        assertThat(r[3]).isCloseTo(0.64, within(1e-15));
    }

    @Test
    void momentum() {
        // m1 = 0.1·2 = 0.2, φ1 = 1 − 0.1·0.2 = 0.98; g = 1.96, m2 = 0.9·0.2 + 0.1·1.96 = 0.376, φ2 = 0.9424
        double[] r = twoSteps(Optimizer.momentum(0.1, 0.9));
        assertThat(r[0]).isCloseTo(0.98, within(1e-15));
        assertThat(r[1]).isCloseTo(0.9424, within(1e-15));
    }

    @Test
    void nesterovTakesTheGradientAhead() {
        // step 1 as momentum; step 2: ahead = 0.98 − 0.1·0.9·0.2 = 0.962, g = 1.924,
        // m2 = 0.18 + 0.1924 = 0.3724, φ2 = 0.98 − 0.03724 = 0.94276; loss reported at the look-ahead
        double[] r = twoSteps(Optimizer.nesterov(0.1, 0.9));
        assertThat(r[0]).isCloseTo(0.98, within(1e-15));
        assertThat(r[1]).isCloseTo(0.94276, within(1e-15));
        assertThat(r[3]).isCloseTo(0.962 * 0.962, within(1e-15));
    }

    @Test
    void adamWithBiasCorrection() {
        double b = 0.9, c = 0.99, eps = 1e-8, lr = 0.1;
        // step 1: g = 2, m = 0.2, v = 0.04, corrected 2 and 4: φ1 = 1 − 0.1·2/(2 + ε)
        double phi1 = 1 - lr * 2 / (2 + eps);
        double g2 = 2 * phi1;
        double m2 = b * 0.2 + (1 - b) * g2;
        double v2 = c * 0.04 + (1 - c) * g2 * g2;
        double phi2 = phi1 - lr * (m2 / (1 - b * b)) / (Math.sqrt(v2 / (1 - c * c)) + eps);
        double[] r = twoSteps(Optimizer.adam(lr, b, c, eps));
        assertThat(r[0]).isCloseTo(phi1, within(1e-15));
        assertThat(r[1]).isCloseTo(phi2, within(1e-15));
        assertThat(phi1).isCloseTo(0.9, within(1e-8)); // Adam's first step has size α whatever g is
    }

    @Test
    void resetForgetsState() {
        Optimizer o = Optimizer.momentum(0.1, 0.9);
        twoSteps(o);
        o.reset();
        assertThat(twoSteps(o)[0]).isCloseTo(0.98, within(1e-15));
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> Optimizer.gradientDescent(0)).hasMessage("learning rate must be a positive number, got 0.0");
        assertThatThrownBy(() -> Optimizer.momentum(0.1, 1.0)).hasMessageContaining("momentum β must be in [0.0, 1.0)");
        assertThatThrownBy(() -> Optimizer.adam(0.1, 0.9, 0.999, -1)).hasMessageContaining("Adam ε");
    }

    @Test
    void convergesOnAQuadraticBowl() {
        Objective bowl = (p, g) -> {
            g[0] = 2 * (p[0] - 3);
            g[1] = 20 * (p[1] + 1);
            return (p[0] - 3) * (p[0] - 3) + 10 * (p[1] + 1) * (p[1] + 1);
        };
        for (Optimizer o : new Optimizer[] {Optimizer.gradientDescent(0.05), Optimizer.momentum(0.05, 0.9),
                Optimizer.nesterov(0.05, 0.9), Optimizer.adam(0.05, 0.9, 0.999, 1e-8)}) {
            double[] p = {0, 0};
            for (int i = 0; i < 2000; i++) {
                o.step(p, bowl);
            }
            assertThat(p[0]).as(o.getClass().getSimpleName()).isCloseTo(3, within(1e-3));
            assertThat(p[1]).as(o.getClass().getSimpleName()).isCloseTo(-1, within(1e-3));
        }
    }

    @Test
    void adamScalesEachCoordinateOnItsOwn() {
        // g = (2φ0, −200): after bias correction m̂ = g and v̂ = g², so step 1 moves each coordinate by
        // α·g/(|g| + ε) — the same size α whatever the gradient's scale, in the gradient's direction.
        Objective o = (p, g) -> {
            g[0] = 2 * p[0];
            g[1] = -200;
            return p[0] * p[0] - 200 * p[1];
        };
        double[] p = {1.0, 5.0};
        Optimizer.adam(0.1, 0.9, 0.999, 1e-8).step(p, o);
        assertThat(p[0]).isCloseTo(1 - 0.1 * 2 / (2 + 1e-8), within(1e-15));
        assertThat(p[1]).isCloseTo(5 + 0.1 * 200 / (200 + 1e-8), within(1e-15));
    }
}
