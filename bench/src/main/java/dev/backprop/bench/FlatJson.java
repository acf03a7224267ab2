package dev.backprop.bench;

import dev.backprop.io.DataException;
import dev.backprop.io.JsonReader;
import java.util.Map;

/**
 * Reads the one-line JSON objects the reference scripts print (Python's {@code json}, so NaN and
 * Infinity may appear), through core's {@link JsonReader}: no JSON library in the benchmarks jar.
 */
final class FlatJson {
    private FlatJson() {
    }

    /** The object in {@code text}; IllegalArgumentException says where it is malformed. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text) {
        Object v;
        try {
            v = JsonReader.parse(text, "script output");
        } catch (DataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("script output: expected one JSON object");
        }
        return (Map<String, Object>) v;
    }
}
