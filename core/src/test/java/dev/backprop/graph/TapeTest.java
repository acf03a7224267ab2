package dev.backprop.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TapeTest {

    @Test
    void productRule() {
        Tape t = new Tape();
        Var x = t.input("x", 2.0);
        Var y = x.sin().mul(x);
        Gradient g = t.gradient(y);
        assertThat(y.value()).isEqualTo(Math.sin(2) * 2);
        assertThat(g.of(x)).isCloseTo(Math.sin(2) + 2 * Math.cos(2), within(1e-15));
    }

    @Test
    void aValueUsedTwiceCollectsBothContributions() {
        Tape t = new Tape();
        Var x = t.input("x", 3.0);
        Var y = t.input("y", -1.5);
        Var z = x.mul(y).add(x.mul(x)).add(y.exp()); // xy + x² + e^y
        Gradient g = t.gradient(z);
        assertThat(g.of(x)).isCloseTo(-1.5 + 6.0, within(1e-15));
        assertThat(g.of(y)).isCloseTo(3.0 + Math.exp(-1.5), within(1e-15));
        assertThat(g.inputs()).containsOnlyKeys("x", "y");
    }

    @Test
    void constantsNeverReceiveGradientSoNegativeBasesAreFine() {
        Tape t = new Tape();
        Var f = t.input("f", 1.0);
        Var y = t.input("y", 3.0);
        Var loss = f.sub(y).pow(2);
        Gradient g = t.gradient(loss);
        assertThat(g.of(f)).isEqualTo(-4.0);
        assertThat(g.firstNonFinite()).isEmpty();
    }

    @Test
    void tenMillionNodeChainNeedsNoStack() {
        int n = 10_000_000;
        Tape t = new Tape(n + 2);
        Var x = t.input("x", 0.5);
        Var v = x;
        for (int i = 0; i < n / 2; i++) { // two nodes a step
            v = v.mul(1.0000001).sin();
        }
        Gradient g = t.gradient(v);
        assertThat(t.size()).isGreaterThan(n);
        assertThat(Double.isFinite(g.of(x))).isTrue();
        // sin shrinks every step, so the derivative is a product of cosines: small but positive.
        assertThat(g.of(x)).isGreaterThan(0.0);
    }

    /** A default tape grows past several storage chunks; reading back across them must agree. */
    @Test
    void tapesLongerThanOneChunkKeepEveryNodeAndName() {
        int steps = 3 * Nodes.CHUNK + 123;
        Tape t = new Tape();
        Var x = t.input("x", 0.3);
        Var v = x;
        Var named = null;
        for (int i = 0; i < steps; i++) {
            v = v.mul(0.99999).add(x); // v ← c·v + x, two nodes a step
            if (i == 2 * Nodes.CHUNK) {
                named = v.named("late");
            }
        }
        Program p = t.toProgram(v);
        for (double at : new double[] {0.3, -1.25}) {
            // Plain-Java forward mode of the same recurrence: value and d/dx.
            double val = at;
            double dx = 1;
            for (int i = 0; i < steps; i++) {
                val = 0.99999 * val + at;
                dx = 0.99999 * dx + 1;
            }
            Evaluation e = p.evaluate(at);
            assertThat(e.value()).isCloseTo(val, within(1e-9 * Math.abs(val)));
            assertThat(e.gradient().of("x")).isCloseTo(dx, within(1e-9 * dx));
        }
        assertThat(t.gradient(v).of(x)).isCloseTo(p.evaluate(0.3).gradient().of("x"), within(0.0));
        assertThat(p.name(named.index())).isEqualTo("late");
        assertThat(p.label(named.index() - 1)).startsWith("t");
    }

    @Test
    void programReevaluatesAtOtherPoints() {
        Tape t = new Tape();
        Var x = t.input("x", Double.NaN);
        Var y = t.input("y", Double.NaN);
        Var out = x.mul(y).add(x.log());
        Program p = t.toProgram(out);
        Evaluation e = p.evaluate(Map.of("x", 2.0, "y", 5.0));
        assertThat(e.value()).isCloseTo(10 + Math.log(2), within(1e-15));
        Gradient g = e.gradient();
        assertThat(g.of("x")).isCloseTo(5 + 0.5, within(1e-15));
        assertThat(g.of("y")).isEqualTo(2.0);
        assertThatThrownBy(() -> p.evaluate(Map.of("x", 1.0)))
                .hasMessage("missing value for input 'y'");
    }

    @Test
    void nonFiniteIsTracedToTheFirstStep() {
        Tape t = new Tape();
        Var x = t.input("x", -1.0);
        Var l = x.log().named("l");
        Var out = l.mul(2).named("out");
        Program p = t.toProgram(out);
        Evaluation e = p.evaluate(-1.0);
        assertThat(e.firstNonFinite()).get().extracting(NonFinite::name, NonFinite::operation)
                .containsExactly("l", "log(x)");
        Evaluation e0 = p.evaluate(0.0);
        assertThat(e0.firstNonFinite().get().name()).isEqualTo("l");
        Tape s = new Tape();
        Var z = s.input("z", 0.0);
        Var r = z.sqrt().named("r");
        Gradient g = s.gradient(r);
        assertThat(g.firstNonFinite()).get().extracting(NonFinite::name, NonFinite::operation)
                .containsExactly("r", "sqrt(z)");
    }
}
