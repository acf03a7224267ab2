package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.graph.Evaluation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Input whose depth a user controls must never overflow the Java stack. */
class FormulaDeepInputTest {
    static final int DEEP = 100_000;

    @Test
    void hundredThousandNestedParentheses() {
        String src = "(".repeat(DEEP) + "x*2" + ")".repeat(DEEP) + " + 1";
        Formula f = Formula.compile(src);
        assertThat(f.program().evaluate(3.0).value()).isEqualTo(7.0);
        assertThat(f.derivative("x").text()).isEqualTo("dvalue_dx = 2");
    }

    @Test
    void hundredThousandNestedCallsDifferentiateInClosedForm() {
        String src = "sin(".repeat(DEEP) + "x" + ")".repeat(DEEP);
        Formula f = Formula.compile(src);
        double x = 0.9;
        double v = x;
        double dv = 1;
        for (int i = 0; i < DEEP; i++) {
            dv *= Math.cos(v);
            v = Math.sin(v);
        }
        Evaluation e = f.program().evaluate(x);
        assertThat(e.value()).isEqualTo(v);
        assertThat(e.gradient().of("x")).isCloseTo(dv, within(1e-12 * dv));
        assertThat(f.steps()).hasSize(DEEP);

        Derivative d = f.derivative("x");
        // Shared subexpressions and long products are split into temporaries, so the text stays
        // linear in the size of the formula rather than quadratic.
        assertThat(d.text().length()).isLessThan(200 * DEEP);
        assertThat(d.text().lines().mapToInt(String::length).max().getAsInt()).isLessThan(4 * Symbolic.LINE_LIMIT);
        assertThat(d.formula().program().evaluate(x).value()).isCloseTo(dv, within(1e-12 * dv));
    }

    @Test
    void hundredThousandNestedUnaryMinusesAndPowers() {
        Formula neg = Formula.compile("-".repeat(DEEP + 1) + "x");
        assertThat(neg.program().evaluate(2.0).value()).isEqualTo(-2.0);
        assertThat(neg.derivative("x").text()).isEqualTo("dvalue_dx = -1");

        Formula pow = Formula.compile("x" + "^x".repeat(DEEP));
        assertThat(pow.program().evaluate(1.0).value()).isEqualTo(1.0);
        assertThat(pow.program().evaluate(1.0).gradient().of("x")).isEqualTo(1.0);

        Formula calls = Formula.compile("max(".repeat(DEEP) + "x" + ", 1)".repeat(DEEP));
        assertThat(calls.program().evaluate(3.0).value()).isEqualTo(3.0);
        assertThat(calls.program().evaluate(-3.0).value()).isEqualTo(1.0);
    }

    /**
     * The unsimplified values of deep chains appear inside derivatives as local partials; the
     * simplifier must not chase a chain of rewrites down them.
     */
    @Test
    void deepChainsInsideDerivatives() {
        String negations = "(" + "-".repeat(DEEP) + "x)";
        String halvings = "(x" + "/2".repeat(DEEP) + ")";
        String doublings = "2*(".repeat(DEEP) + "x" + ")".repeat(DEEP);
        String[] sources = {
                "sin(z)*" + negations,
                "x*z + z*" + negations,
                "sin(z)*" + halvings,
                "(3*z)*(" + doublings + ")",
                negations + "/sin(z)",
        };
        double x = 0.75;
        double z = 0.5;
        for (String src : sources) {
            Formula f = Formula.compile(src);
            Map<String, Double> point = f.inputs().contains("x") ? Map.of("x", x, "z", z) : Map.of("z", z);
            double reverse = f.program().evaluate(point).gradient().of("z");
            Derivative d = f.derivative("z");
            double closed = d.valueAt(point);
            assertThat(closed).as(src.substring(0, 12)).isCloseTo(reverse, within(1e-12 * Math.abs(reverse)));
        }
    }

    @Test
    void aMillionTermSum() {
        int n = 1_000_000;
        StringBuilder sb = new StringBuilder(2 * n);
        sb.append('x');
        for (int i = 1; i < n; i++) {
            sb.append("+x");
        }
        Formula f = Formula.compile(sb.toString());
        assertThat(f.program().evaluate(0.5).value()).isEqualTo(0.5 * n);
        assertThat(f.program().evaluate(0.5).gradient().of("x")).isEqualTo(n);
        assertThat(f.derivative("x").text()).isEqualTo("dvalue_dx = 1000000");
    }

    @Test
    void deepErrorsAreReportedNotOverflowed() {
        FormulaException open = org.assertj.core.api.Assertions.catchThrowableOfType(
                FormulaException.class, () -> Formula.compile("(".repeat(DEEP) + "x"));
        assertThat(open.getMessage()).isEqualTo("1:" + (DEEP + 2) + ": expected ')' but found end of input");
        FormulaException calls = org.assertj.core.api.Assertions.catchThrowableOfType(
                FormulaException.class, () -> Formula.compile("sin(".repeat(DEEP) + "x, y" + ")".repeat(DEEP)));
        assertThat(calls.detail()).isEqualTo("sin takes 1 argument, got 2");
        assertThat(calls.column()).isEqualTo(4 * DEEP - 3);
    }
}
