package dev.backprop.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FiniteDifferenceTest {

    @Test
    void centralIsSecondOrderForwardFirstOrder() {
        double[] x = {1.0};
        double exact = Math.cos(1.0);
        double h = 1e-3;
        double fwd = FiniteDifference.forward(p -> Math.sin(p[0]), x, 0, h);
        double cen = FiniteDifference.central(p -> Math.sin(p[0]), x, 0, h);
        // forward error ≈ h/2·|sin 1| ≈ 4.2e-4; central error ≈ h²/6·|cos 1| ≈ 9e-8
        assertThat(fwd - exact).isCloseTo(-h / 2 * Math.sin(1.0), within(1e-6));
        assertThat(Math.abs(cen - exact)).isLessThan(1e-7);
        assertThat(x[0]).isEqualTo(1.0);
    }

    @Test
    void centralStepScalesWithTheValue() {
        assertThat(FiniteDifference.centralStep(0)).isEqualTo(FiniteDifference.centralStep(1));
        assertThat(FiniteDifference.centralStep(1000)).isCloseTo(1000 * FiniteDifference.centralStep(1), within(1e-12));
    }
}
