package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code custom/reference.tsv}, made by {@code custom/make_reference.py} with PyTorch
 * (float64): a formula's value, gradient and Hessian at a point, the custom functions written out
 * in PyTorch.
 *
 * @param name     which formula ("test", "readme", "readme_square")
 * @param point    the inputs' values, in the formula's input order
 * @param value    the value there
 * @param gradient ∂/∂input, in input order
 * @param hessian  rows and columns in input order
 */
record TorchReference(String name, Map<String, Double> point, double value, Map<String, Double> gradient, double[][] hessian) {

    static List<TorchReference> all() {
        String text;
        try (InputStream in = TorchReference.class.getResourceAsStream("/custom/reference.tsv")) {
            assertThat(in).as("custom/reference.tsv on the test classpath").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<TorchReference> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            String[] rowTexts = f[4].split(";");
            double[][] h = new double[rowTexts.length][];
            for (int r = 0; r < h.length; r++) {
                String[] entries = rowTexts[r].split(",");
                h[r] = new double[entries.length];
                for (int c = 0; c < entries.length; c++) {
                    h[r][c] = Double.parseDouble(entries[c]);
                }
            }
            rows.add(new TorchReference(f[0], pairs(f[1]), Double.parseDouble(f[2]), pairs(f[3]), h));
        }
        return rows;
    }

    static List<TorchReference> named(String name) {
        return all().stream().filter(r -> r.name().equals(name)).toList();
    }

    private static Map<String, Double> pairs(String s) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String p : s.split(",")) {
            String[] kv = p.split("=");
            m.put(kv[0], Double.parseDouble(kv[1]));
        }
        return m;
    }
}
