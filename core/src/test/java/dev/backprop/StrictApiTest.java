package dev.backprop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.batch.BatchProgram;
import dev.backprop.formula.Derivative;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import dev.backprop.graph.Tape;
import dev.backprop.graph.Var;
import dev.backprop.io.Columns;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.TensorTape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java API refuses what the command line refuses: foreign values, duplicate and unknown names. */
class StrictApiTest {

    @Test
    void aGradientRefusesAValueOfAnotherTape() {
        Tape a = new Tape();
        Var x = a.input("x", 2.0);
        Tape b = new Tape();
        Var y = b.input("y", 5.0);
        b.input("z", 7.0).mul(y); // y's index on b is one a's gradient also has
        Gradient g = a.gradient(x.sin().mul(x));
        assertThatThrownBy(() -> g.of(y)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("that value was recorded on another tape");
        assertThat(g.of(x)).isCloseTo(Math.sin(2) + 2 * Math.cos(2), within(1e-15));
    }

    @Test
    void aProgramsGradientAcceptsTheValuesOfTheTapeItWasFrozenFromOnly() {
        Tape t = new Tape();
        Var x = t.input("x", 2.0);
        Program p = t.toProgram(x.sin().mul(x));
        Gradient g = p.evaluate(3.0).gradient();
        assertThat(g.of(x)).isCloseTo(Math.sin(3) + 3 * Math.cos(3), within(1e-15));
        Var other = new Tape().input("x", 3.0);
        assertThatThrownBy(() -> g.of(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another tape");
    }

    @Test
    void aTapeRefusesTwoInputsOfOneName() {
        Tape t = new Tape();
        t.input("x", 1.0);
        assertThatThrownBy(() -> t.input("x", 2.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this tape already has an input called 'x'");
        assertThatThrownBy(() -> t.input(null, 2.0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Tape().input("x", 1.0).name()).isEqualTo("x"); // another tape may reuse it
    }

    @Test
    void aTensorTapeRefusesTwoInputsOfOneName() {
        TensorTape t = new TensorTape();
        t.input("w", Tensor.zeros(2, 2));
        assertThatThrownBy(() -> t.input("w", Tensor.zeros(2, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this tape already has an input called 'w'");
        t.input(Tensor.zeros(1)); // unnamed inputs are not names
        t.input(Tensor.zeros(1));
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void evaluatingByNameRefusesAnUnknownOrMisspelledName() {
        Program p = Formula.compile("a*x + b").program();
        assertThatThrownBy(() -> p.evaluate(Map.of("a", 1.0, "X", 2.0, "b", 0.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'X' is not an input (inputs: a, x, b)");
        assertThatThrownBy(() -> p.evaluate(Map.of("a", 1.0, "x", 2.0, "b", 0.0, "c", 4.0)))
                .hasMessage("'c' is not an input (inputs: a, x, b)");
        Map<String, Double> withNull = new HashMap<>(Map.of("a", 1.0, "x", 2.0, "b", 0.0));
        withNull.put(null, 1.0);
        assertThatThrownBy(() -> p.evaluate(withNull)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.evaluate(Map.of("a", 1.0, "x", 2.0)))
                .hasMessage("missing value for input 'b'");
        assertThat(p.evaluate(Map.of("a", 3.0, "x", 2.0, "b", 0.5)).value()).isEqualTo(6.5);
    }

    @Test
    void aGradientByNameListsTheInputsWhenTheNameIsUnknown() {
        Gradient g = Formula.compile("a*x").program().evaluate(2.0, 3.0).gradient();
        assertThatThrownBy(() -> g.of("b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no input called 'b' (inputs: a, x)");
        assertThat(g.of("a")).isEqualTo(3.0);
    }

    @Test
    void aDerivativeIsEvaluatedAtAPointOfItsFormulaAndRefusesOtherNames() {
        Derivative d = Formula.compile("a*x").derivative("a"); // = x: a is not used
        assertThat(d.valueAt(Map.of("a", 5.0, "x", 2.0))).isEqualTo(2.0);
        assertThatThrownBy(() -> d.valueAt(Map.of("a", 5.0, "xx", 2.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'xx' is not an input of the formula (inputs: a, x)");
        assertThatThrownBy(() -> d.valueAt(Map.of("a", 5.0))).hasMessage("missing value for input 'x'");
    }

    @Test
    void aBatchRefusesAScalarValueThatIsNotAScalarInput() {
        BatchProgram b = BatchProgram.compile(Formula.compile("(a*x - y)^2").program(), List.of("x", "y"));
        Columns data = new Columns(Map.of("x", new double[] {1, 2}, "y", new double[] {2, 4}));
        assertThat(b.gradient(data, Map.of("a", 2.0)).sum()).isEqualTo(0.0);
        assertThatThrownBy(() -> b.gradient(data, Map.of("A", 2.0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'A' is not a scalar input (scalar inputs: a)");
        assertThatThrownBy(() -> b.value(data, Map.of("a", 2.0, "b", 1.0)))
                .hasMessage("'b' is not a scalar input (scalar inputs: a)");
        assertThatThrownBy(() -> b.pointValues(data, Map.of("a", 2.0, "x", 1.0)))
                .hasMessage("'x' is bound to a column of the data, so it takes no scalar value");
        assertThatThrownBy(() -> b.value(data, Map.of())).hasMessage("missing value for scalar input 'a'");
    }
}
