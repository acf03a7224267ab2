package dev.backprop.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.formula.Formula;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain rule spelled out: each adjoint is the sum of its terms, one per step that reads the value. */
class TraceTermsTest {

    @Test
    void aValueReadTwiceCollectsTwoTerms() {
        // t1 = sin(y), t2 = y^2, value = t1 + t2: ∂/∂y = 1·cos(y) + 1·2y
        Trace t = Trace.of(Formula.compile("sin(y) + y^2"), Map.of("y", 0.3));
        List<Trace.Term> terms = t.terms().get("y");
        assertThat(terms).extracting(Trace.Term::from).containsExactly("t1", "t2");
        assertThat(terms.get(0).local()).isCloseTo(Math.cos(0.3), within(1e-15));
        assertThat(terms.get(1).local()).isCloseTo(0.6, within(1e-15));
        assertThat(terms.get(0).upstream()).isEqualTo(1.0);
        assertThat(terms.get(0).product() + terms.get(1).product()).isEqualTo(t.gradient().get("y"));
    }

    @Test
    void theToysTermsSumToItsAdjoints() {
        Trace t = Trace.of(Formula.compile(ToyModel.PROGRAM), ToyModel.notebookPoint());
        Map<String, Double> adjoint = new java.util.HashMap<>(t.gradient());
        t.backward().forEach(r -> adjoint.put(r.name(), r.number()));
        for (Map.Entry<String, List<Trace.Term>> e : t.terms().entrySet()) {
            double sum = e.getValue().stream().mapToDouble(Trace.Term::product).sum();
            assertThat(sum).as(e.getKey()).isCloseTo(adjoint.get(e.getKey()), within(1e-12 * Math.max(1, Math.abs(sum))));
        }
        // ∂l/∂omega0 = ∂l/∂f0 · x: one term, from f0, local x = 2.3
        assertThat(t.terms().get("omega0")).singleElement().satisfies(term -> {
            assertThat(term.from()).isEqualTo("f0");
            assertThat(term.local()).isEqualTo(2.3);
        });
    }

    @Test
    void aStepThatRenamesAValuePassesItsAdjointOnOnce() {
        // value = l renames l: ∂value/∂l = 1, and x's one term comes from l (2x = 2), not twice
        Trace t = Trace.of(Formula.compile("l = x^2; u = 2*z; l"), Map.of("x", 1.0, "z", 2.0));
        assertThat(t.terms().get("l")).singleElement().satisfies(term -> {
            assertThat(term.from()).isEqualTo("value");
            assertThat(term.local()).isEqualTo(1.0);
        });
        assertThat(t.terms().get("x")).extracting(Trace.Term::from).containsExactly("l");
        assertThat(t.terms().get("x").get(0).product()).isEqualTo(2.0);
        // y = x renames an input: l reads y, and y's adjoint reaches x through a term of 1
        Trace r = Trace.of(Formula.compile("y = x; l = y^2"), Map.of("x", 3.0));
        assertThat(r.terms().get("y")).singleElement().satisfies(term -> assertThat(term.local()).isEqualTo(6.0));
        assertThat(r.terms().get("x")).singleElement().satisfies(term -> {
            assertThat(term.from()).isEqualTo("y");
            assertThat(term.product()).isEqualTo(6.0);
        });
    }
}
