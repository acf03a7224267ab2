package dev.backprop.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Notebook 7.1 reproduced: every number against numpy's, computed from the notebook's own equations
 * by {@code src/test/resources/toy/make_reference.py}.
 */
class Notebook71Test {
    static String json;
    static ToyModel.Report report;

    @BeforeAll
    static void run() throws IOException {
        try (InputStream in = Notebook71Test.class.getResourceAsStream("/toy/notebook71.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        report = ToyModel.run(section("point"));
    }

    /** The flat {"name": number, …} object under {@code key} in the fixture. */
    static Map<String, Double> section(String key) {
        Matcher block = Pattern.compile("\"" + key + "\": \\{([^}]*)\\}").matcher(json);
        assertThat(block.find()).as("fixture section %s", key).isTrue();
        Matcher pair = Pattern.compile("\"([^\"]+)\": (-?[0-9.eE+-]+)").matcher(block.group(1));
        Map<String, Double> m = new LinkedHashMap<>();
        while (pair.find()) {
            m.put(pair.group(1), Double.parseDouble(pair.group(2)));
        }
        return m;
    }

    static double scalar(String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.eE+-]+)").matcher(json);
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    static void close(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
    }

    @Test
    void loss() {
        close(report.trace().value(), scalar("loss"));
    }

    @Test
    void forwardPass() {
        Map<String, Double> expected = section("forward");
        assertThat(report.trace().forward()).extracting(Trace.Row::name)
                .containsExactlyElementsOf(expected.keySet());
        report.trace().forward().forEach(r -> close(r.number(), expected.get(r.name())));
    }

    @Test
    void backwardPass() {
        Map<String, Double> expected = section("backward");
        assertThat(report.trace().backward()).extracting(Trace.Row::name)
                .containsExactlyElementsOf(expected.keySet());
        report.trace().backward().forEach(r -> close(r.number(), expected.get(r.name())));
    }

    @Test
    void parameterDerivativesThreeWays() {
        Map<String, Double> backprop = section("parameters");
        Map<String, Double> fd = section("finite_difference");
        Map<String, Double> closed = section("closed_form");
        assertThat(report.parameters()).extracting(ToyModel.Parameter::name)
                .containsExactlyElementsOf(backprop.keySet());
        for (ToyModel.Parameter p : report.parameters()) {
            close(p.backprop(), backprop.get(p.name()));
            close(p.closedForm(), backprop.get(p.name()));
            // Forward differences: the same formula in a different order of operations, so the
            // difference quotient agrees only to about 1e-11/1e-5.
            assertThat(p.finiteDifference()).isCloseTo(fd.get(p.name()), within(1e-6));
        }
        close(report.parameters().get(0).closedForm(), closed.get("beta3"));
        close(report.parameters().get(7).closedForm(), closed.get("omega0"));
    }
}
