package dev.backprop.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Each cause of a disagreement, on a function whose cause is known from its mathematics. */
class DiagnosisTest {
    private static final AllClose RULE = new AllClose(1e-5, 1e-8);

    private static Diagnosis central(ToDoubleFunction<double[]> f, double x, double derivative, double step) {
        double[] at = {x};
        return Diagnosis.of(f, at, 0, derivative, derivative, FiniteDifference.central(f, at, 0, step), step, true, RULE);
    }

    @Test
    void aKinkWithinTheStep() {
        // |x| at 1e-7 has slope 1; the step 6e-6 reaches over the kink at 0, where the slope is -1
        Diagnosis d = central(v -> Math.abs(v[0]), 1e-7, 1.0, 6e-6);
        assertThat(d.oddOneOut()).isEqualTo("finite difference");
        assertThat(d.cause()).startsWith("a kink within the step").contains("slope -1 on the left, 1 on the right");
        assertThat(d.suggestedStep()).isLessThan(1e-7);
    }

    @Test
    void aDiscontinuityWithinTheStep() {
        Diagnosis d = central(v -> v[0] >= 0 ? 1 : 0, 1e-7, 0.0, 6e-6);
        assertThat(d.cause()).startsWith("a discontinuity within the step: f jumps by 1");
    }

    @Test
    void aStepTooLargeForTheCurvature() {
        // exp(50x) at 0: derivative 50; a step of 1e-2 errs by h²·50³/6 ≈ 2 %
        Diagnosis d = central(v -> Math.exp(50 * v[0]), 0, 50, 1e-2);
        assertThat(d.cause()).startsWith("step 0.01 too large for the curvature");
        assertThat(d.suggestedStep()).isLessThan(1e-2);
        double[] at = {0};
        assertThat(FiniteDifference.central(v -> Math.exp(50 * v[0]), at, 0, d.suggestedStep())).isCloseTo(50, org.assertj.core.api.Assertions.within(50e-5));
    }

    @Test
    void aStepTooSmallForTheRounding() {
        // 1e6 + x: at a step of 1e-12 its values differ by rounding alone (the ulp of 1e6 is 1.2e-10)
        Diagnosis d = central(v -> 1e6 + v[0], 0, 1.0, 1e-12);
        assertThat(d.cause()).startsWith("step 1e-12 too small for the rounding");
    }

    @Test
    void aNonFiniteValueWithinTheStep() {
        Diagnosis d = central(v -> Math.sqrt(v[0]), 1e-7, 0.5 / Math.sqrt(1e-7), 6e-6);
        assertThat(d.cause()).startsWith("a non-finite value within the step");
    }

    @Test
    void backpropIsTheOddOneOutWhenTheOtherTwoAgree() {
        double[] at = {1};
        Diagnosis d = Diagnosis.of(v -> v[0] * v[0], at, 0, 3.0, 2.0, 2.0, 1e-6, true, RULE);
        assertThat(d.oddOneOut()).isEqualTo("backprop");
        assertThat(d.message()).startsWith("the backprop is the odd one out");
    }
}
