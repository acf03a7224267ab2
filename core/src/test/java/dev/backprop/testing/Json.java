package dev.backprop.testing;

import dev.backprop.io.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixtures written by Python's {@code json} module, read with {@link JsonReader} (objects
 * become {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Double}, so
 * repr-printed floats round-trip exactly), plus helpers that turn nested arrays into Java arrays.
 */
public final class Json {
    private Json() {
    }

    /** Parses a class-path resource. */
    public static Object resource(String path) {
        try (InputStream in = Json.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path);
            }
            return JsonReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a JSON text. */
    public static Object parse(String text) {
        return JsonReader.parse(text, "JSON text");
    }

    /** A JSON array of numbers (any nesting) flattened in order. */
    public static double[] flat(Object o) {
        List<Double> out = new ArrayList<>();
        List<Object> stack = new ArrayList<>();
        stack.add(o);
        while (!stack.isEmpty()) {
            Object x = stack.remove(stack.size() - 1);
            if (x instanceof List<?> l) {
                for (int k = l.size() - 1; k >= 0; k--) {
                    stack.add(l.get(k));
                }
            } else {
                out.add((Double) x);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A JSON array of arrays of numbers as rows. */
    public static double[][] matrix(Object o) {
        List<?> rows = (List<?>) o;
        double[][] m = new double[rows.size()][];
        for (int r = 0; r < m.length; r++) {
            m[r] = flat(rows.get(r));
        }
        return m;
    }
}
