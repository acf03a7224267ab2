package dev.backprop.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.FormulaFit;
import dev.backprop.fit.Schedule;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Damped Newton: exact on quadratics, damped where the Hessian is not positive definite. */
class NewtonTest {

    @Test
    void oneStepSolvesALeastSquaresFit() {
        // y = 2x + 1 exactly: the loss is quadratic in (a, b), so one Newton step lands on (2, 1).
        Columns data = new Columns(Map.of("x", new double[] {0, 1, 2, 3}, "y", new double[] {1, 3, 5, 7}));
        FormulaFit fit = FormulaFit.of(Formula.compile("(a*x + b - y)^2"), data, List.of("a", "b"));
        Newton newton = Optimizer.newton(1);
        FitResult r = fit.fit(Map.of("a", -3.0, "b", 4.0), newton, new Schedule(1, 0, 0, 0));
        assertThat(r.paramMap().get("a")).isCloseTo(2.0, within(1e-12));
        assertThat(r.paramMap().get("b")).isCloseTo(1.0, within(1e-12));
        assertThat(newton.refusedSteps()).isZero();
    }

    @Test
    void aSaddleIsDampedAndCounted() {
        // f = x² − y² + y⁴/4 near y = 0 has negative curvature in y: a plain step would climb to the saddle.
        Columns data = new Columns(Map.of("one", new double[] {1}));
        FormulaFit fit = FormulaFit.of(Formula.compile("one*(x^2 - y^2 + y^4/4)"), data, List.of("x", "y"));
        Newton newton = Optimizer.newton(1);
        FitResult r = fit.fit(Map.of("x", 0.5, "y", 0.1), newton, new Schedule(30, 0, 0, 0));
        assertThat(newton.refusedSteps()).isPositive();
        assertThat(r.loss()).isLessThan(-0.99); // the minima at y = ±√2 have f = −1
    }

    @Test
    void choleskySolvesAndRefuses() {
        double[] d = Newton.solve(new double[][] {{4, 2}, {2, 3}}, new double[] {2, 1}, 0);
        assertThat(d[0]).isCloseTo(0.5, within(1e-15));
        assertThat(d[1]).isCloseTo(0.0, within(1e-15));
        assertThat(Newton.solve(new double[][] {{1, 0}, {0, -1}}, new double[] {1, 1}, 0)).isNull();
    }

    @Test
    void aFirstOrderObjectiveIsRefusedClearly() {
        assertThatThrownBy(() -> Optimizer.newton(1).step(new double[] {1}, (p, g) -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Hessian");
    }
}
