package dev.backprop.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.formula.Formula;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientCheckTest {

    static GradientCheck check(String formula, Map<String, Double> at, double step) {
        Formula f = Formula.compile(formula);
        return GradientCheck.run(f, at, f.program().inputs(), AllClose.NUMPY, step);
    }

    /** 0^(−h) is infinite, so the rounding allowance was infinite and a difference of −∞ "agreed" with 0. */
    @Test
    void anInfiniteAllowanceExcusesNothing() {
        GradientCheck c = check("a^b", Map.of("a", 0.0, "b", 0.0), Double.NaN);
        GradientCheck.Entry b = c.entries().stream().filter(e -> e.input().equals("b")).findFirst().orElseThrow();
        assertThat(b.finiteDifference()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(b.backprop()).isFinite();
        assertThat(b.agrees()).isFalse();
        assertThat(b.reason()).contains(GradientCheck.NOT_FINITE);
        assertThat(c.passed()).isFalse();
    }

    /** With h = 1e-300, f(1 ± h) = f(1): a difference of 0 passed with an allowance of ~1e285. */
    @Test
    void aStepTooSmallToSeeTheDerivativeFails() {
        GradientCheck c = check("x^2", Map.of("x", 1.0), 1e-300);
        GradientCheck.Entry x = c.entries().get(0);
        assertThat(x.finiteDifference()).isZero();
        assertThat(x.step()).isEqualTo(1e-300); // the user's step is kept
        assertThat(x.agrees()).isFalse();
        assertThat(x.reason()).isEqualTo(GradientCheck.INCONCLUSIVE);
        assertThat(c.passed()).isFalse();
        // A sound step still passes.
        assertThat(check("x^2", Map.of("x", 1.0), 1e-6).passed()).isTrue();
    }

    @Test
    void aConclusiveDisagreementSaysSo() {
        FiniteDifference.Estimate fd = new FiniteDifference.Estimate(3.0, 1e-9);
        assertThat(GradientCheck.agreesWith(AllClose.NUMPY, 3.5, fd)).isFalse();
        assertThat(GradientCheck.agreesWith(AllClose.NUMPY, 3.0 + 5e-10, new FiniteDifference.Estimate(3.0, 1e-9))).isTrue();
        // The allowance excuses up to itself only while it is no larger than the numbers compared.
        assertThat(GradientCheck.agreesWith(AllClose.NUMPY, 3.0, new FiniteDifference.Estimate(0.0, 2.9))).isFalse();
        assertThat(GradientCheck.agreesWith(AllClose.NUMPY, 3.0, new FiniteDifference.Estimate(0.5, 2.9))).isTrue();
        assertThat(GradientCheck.agreesWith(AllClose.NUMPY, 0.0,
                new FiniteDifference.Estimate(0.0, Double.POSITIVE_INFINITY))).isTrue(); // equal: allclose alone
        assertThat(GradientCheck.agreesWith(AllClose.NUMPY, 1.0,
                new FiniteDifference.Estimate(1.5, Double.POSITIVE_INFINITY))).isFalse();
    }

    /** |f| ≈ 1e15: the default step is widened until the difference is conclusive, and then agrees. */
    @Test
    void theDefaultStepWidensWhereRoundingSwampsTheDifference() {
        GradientCheck c = check("x^2 + 1e15", Map.of("x", 1.5), Double.NaN);
        GradientCheck.Entry x = c.entries().get(0);
        assertThat(c.passed()).as(x.toString()).isTrue();
        assertThat(x.step()).isGreaterThan(FiniteDifference.centralStep(1.5));
        assertThat(x.finiteDifferenceError()).isLessThanOrEqualTo(3.0);
        assertThat(Math.abs(x.finiteDifference() - 3.0)).isLessThanOrEqualTo(x.finiteDifferenceError());
    }

    @Test
    void aClosedFormNaNFromZeroTimesInfinityDoesNotFailWhatTheFiniteDifferenceConfirms() {
        // d/dx sqrt(relu(x)) at x = -1: backprop 0 (strong zero), finite difference 0, closed form step(x)·0.5/0 = NaN.
        GradientCheck c = GradientCheck.run(Formula.compile("sqrt(relu(x))"), java.util.Map.of("x", -1.0),
                java.util.List.of("x"), new AllClose(1e-5, 1e-8), Double.NaN);
        GradientCheck.Entry e = c.entries().get(0);
        assertThat(e.backprop()).isEqualTo(0.0);
        assertThat(e.closedForm()).isNaN();
        assertThat(e.agrees()).isTrue();
        assertThat(e.reason()).contains("strong zero");
        // A NaN closed form beside a backprop the finite difference does not confirm still fails.
        GradientCheck bad = GradientCheck.run(Formula.compile("sqrt(x)"), java.util.Map.of("x", 0.0),
                java.util.List.of("x"), new AllClose(1e-5, 1e-8), Double.NaN);
        assertThat(bad.passed()).isFalse();
    }
}
