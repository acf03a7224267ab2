package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Gradient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The toy model of Understanding Deep Learning, notebook 7.1, as a formula program. Reference
 * numbers come from PyTorch (core/src/test/python/formula_toy_reference.py) and from plain
 * {@link Math} in this test, never from our own printed output.
 */
class FormulaToyModelTest {

    static final String TOY = "f0 = beta0 + omega0*x; h1 = sin(f0); f1 = beta1 + omega1*h1; h2 = exp(f1); "
            + "f2 = beta2 + omega2*h2; h3 = cos(f2); f3 = beta3 + omega3*h3; l = (f3 - y)^2";

    static final Map<String, Double> POINT = Map.of(
            "x", 2.3, "y", 2.0,
            "beta0", 1.0, "beta1", 2.0, "beta2", -3.0, "beta3", 0.4,
            "omega0", 0.1, "omega1", -0.4, "omega2", 2.0, "omega3", 3.0);

    static Map<String, Double> reference() throws IOException {
        Map<String, Double> ref = new LinkedHashMap<>();
        try (InputStream in = FormulaToyModelTest.class.getResourceAsStream("toy-reference.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] p = line.trim().split("\\s+");
                    ref.put(p[0], Double.parseDouble(p[1]));
                }
            }
        }
        return ref;
    }

    @Test
    void compilesWithTheBooksNamesAndInputs() {
        Formula f = Formula.compile(TOY);
        assertThat(f.inputs()).containsExactly("beta0", "omega0", "x", "beta1", "omega1", "beta2", "omega2",
                "beta3", "omega3", "y");
        assertThat(f.outputName()).isEqualTo("l");
        assertThat(f.steps()).extracting(Step::name).containsExactly("f0", "h1", "f1", "h2", "f2", "h3", "f3", "l");
        assertThat(f.steps()).extracting(Step::expression).containsExactly(
                "beta0 + omega0*x", "sin(f0)", "beta1 + omega1*h1", "exp(f1)", "beta2 + omega2*h2", "cos(f2)",
                "beta3 + omega3*h3", "(f3 - y)^2");
        for (Step s : f.steps()) {
            assertThat(f.program().name(s.node())).isEqualTo(s.name());
        }
        assertThat(f.steps().get(7).node()).isEqualTo(f.program().output());
    }

    @Test
    void valuesAtTheNotebookPoint() throws IOException {
        Formula f = Formula.compile(TOY);
        Evaluation e = f.program().evaluate(POINT);
        Map<String, Double> step = new HashMap<>();
        for (Step s : f.steps()) {
            step.put(s.name(), e.value(s.node()));
        }
        // By hand, with Math, in the notebook's order of operations.
        double f0 = 1.0 + 0.1 * 2.3;
        double h1 = Math.sin(f0);
        double f1 = 2.0 + -0.4 * h1;
        double h2 = Math.exp(f1);
        double f2 = -3.0 + 2.0 * h2;
        double h3 = Math.cos(f2);
        double f3 = 0.4 + 3.0 * h3;
        double l = Math.pow(f3 - 2.0, 2);
        assertThat(step.get("f0")).isEqualTo(f0);
        assertThat(step.get("h1")).isEqualTo(h1);
        assertThat(step.get("h2")).isEqualTo(h2);
        assertThat(step.get("f3")).isEqualTo(f3);
        assertThat(e.value()).isEqualTo(l);
        // The notebook prints l_i=0.139; PyTorch gives the full value.
        Map<String, Double> ref = reference();
        assertThat(e.value()).isCloseTo(ref.get("l"), within(1e-15));
        assertThat(e.value()).isCloseTo(0.1385805664, within(1e-10));
        for (String name : new String[] {"f0", "h1", "f1", "h2", "f2", "h3", "f3"}) {
            assertThat(step.get(name)).as(name).isCloseTo(ref.get(name), within(1e-14 * Math.abs(ref.get(name))));
        }
    }

    @Test
    void reverseModeMatchesPyTorch() throws IOException {
        Formula f = Formula.compile(TOY);
        Gradient g = f.program().evaluate(POINT).gradient();
        Map<String, Double> ref = reference();
        for (String in : f.inputs()) {
            double want = ref.get("dl_d" + in);
            assertThat(g.of(in)).as(in).isCloseTo(want, within(1e-13 * Math.max(1, Math.abs(want))));
        }
    }

    @Test
    void closedFormReadsLikeTheHandDerivationAndAgrees() throws IOException {
        Formula f = Formula.compile(TOY);
        Derivative d = f.derivative("omega0");
        assertThat(d.wrt()).isEqualTo("omega0");
        assertThat(d.name()).isEqualTo("dl_domega0");
        String text = d.text();
        String last = text.substring(text.lastIndexOf('\n') + 1);
        assertThat(last).startsWith("dl_domega0 = ");
        // In terms of the book's intermediates, with no 0*…, 1*…, …+ 0 clutter.
        assertThat(last).contains("cos(f0)", "h2", "sin(f2)", "f3 - y", "omega1", "omega2", "omega3", "x");
        Pattern clutter = Pattern.compile("(?<![\\w.])[01]\\*|\\*[01](?![\\w.])|[+-] 0(?![\\w.])|--");
        assertThat(clutter.matcher(text).find()).as(text).isFalse();
        // It keeps exactly the statements it needs: everything but l.
        assertThat(text).startsWith("f0 = beta0 + omega0*x\nh1 = sin(f0)\n").doesNotContain("\nl = ");
        assertThat(d.formula().outputName()).isEqualTo("dl_domega0");

        double closed = d.formula().program().evaluate(POINT).value();
        double reverse = f.program().evaluate(POINT).gradient().of("omega0");
        assertThat(closed).isCloseTo(reverse, within(1e-12 * Math.abs(reverse)));
        assertThat(closed).isCloseTo(reference().get("dl_domega0"), within(1e-12 * Math.abs(reverse)));
    }

    @Test
    void everyClosedFormAgreesWithReverseMode() throws IOException {
        Formula f = Formula.compile(TOY);
        Gradient g = f.program().evaluate(POINT).gradient();
        Map<String, Double> ref = reference();
        for (String in : f.inputs()) {
            Derivative d = f.derivative(in);
            assertThat(d.name()).isEqualTo("dl_d" + in);
            double closed = d.formula().program().evaluate(POINT).value();
            assertThat(closed).as(d.text()).isCloseTo(g.of(in), within(1e-12 * Math.max(1, Math.abs(g.of(in)))));
            assertThat(closed).as(in).isCloseTo(ref.get("dl_d" + in), within(1e-12 * Math.max(1, Math.abs(g.of(in)))));
        }
    }
}
