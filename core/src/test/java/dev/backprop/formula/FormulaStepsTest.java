package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows of a trace. */
class FormulaStepsTest {

    @Test
    void aBareExpressionIsSplitIntoPrimitiveOperations() {
        Formula f = Formula.compile("sin(x)*x");
        assertThat(f.steps()).containsExactly(new Step("t1", "sin(x)", 1), new Step("value", "t1 * x", 2));
        assertThat(f.outputName()).isEqualTo("value");
        assertThat(f.program().name(1)).isEqualTo("t1");
        assertThat(f.program().describe(2)).isEqualTo("t1 * x");
    }

    @Test
    void operationStepsShowConstantsAndEveryKindOfOperation() {
        Formula f = Formula.compile("-max(x, 2)^y / (1 - 3) + pow(x, 0.5)");
        List<String> rows = f.steps().stream().map(s -> s.name() + " = " + s.expression()).toList();
        assertThat(rows).containsExactly(
                "t1 = max(x, 2)", "t2 = t1^y", "t3 = -t2", "t4 = t3 / (-2)", "t5 = x^0.5", "value = t4 + t5");
        assertThat(f.steps()).allSatisfy(s -> assertThat(f.program().isOperation(s.node())).isTrue());
    }

    @Test
    void stepNamesAvoidInputNames() {
        Formula f = Formula.compile("t1*sin(t1)");
        assertThat(f.steps()).extracting(Step::name).containsExactly("t2", "value");
        assertThat(f.steps().get(1).expression()).isEqualTo("t1 * t2");
    }

    @Test
    void aBareInputOrConstantIsOneRow() {
        assertThat(Formula.compile("x").steps()).containsExactly(new Step("value", "x", 0));
        Formula c = Formula.compile("2 * 3");
        assertThat(c.steps()).containsExactly(new Step("value", "2 * 3", c.program().output()));
        assertThat(c.program().evaluate().value()).isEqualTo(6.0);
    }

    @Test
    void statementsAreRowsAsWrittenWithWhitespaceNormalised() {
        Formula f = Formula.compile("a =   x  *\t y   # product\nb = sin( a )+1;  b ** 2");
        assertThat(f.steps()).extracting(Step::name).containsExactly("a", "b", "value");
        assertThat(f.steps()).extracting(Step::expression).containsExactly("x * y", "sin( a )+1", "b ** 2");
        assertThat(f.steps().get(2).node()).isEqualTo(f.program().output());
        assertThat(f.program().name(f.program().output())).isEqualTo("value");
        for (Step s : f.steps().subList(0, 2)) {
            assertThat(f.program().name(s.node())).isEqualTo(s.name());
        }
    }

    @Test
    void stepsAreImmutable() {
        List<Step> steps = Formula.compile("a = x; b = a*2").steps();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> steps.add(new Step("c", "1", 0)));
        assertThat(steps).hasSize(2);
    }
}
