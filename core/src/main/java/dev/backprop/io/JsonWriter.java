package dev.backprop.io;

import java.util.List;
import java.util.Map;

/**
 * Minimal JSON output, the counterpart of {@link JsonReader}: maps (insertion order kept), lists,
 * {@code double[]} and {@code int[]} arrays, strings, numbers, booleans and null. Doubles print with
 * {@link Double#toString}, which round-trips exactly; NaN and the infinities, which strict JSON
 * cannot express, print as {@code NaN}, {@code Infinity} and {@code -Infinity}, as Python's
 * {@code json} module writes and reads them (and {@link JsonReader} reads them): a non-finite
 * result is a result, and {@code null} would lose which one it was.
 */
public final class JsonWriter {
    private JsonWriter() {
    }

    /**
     * The JSON text of {@code v}, on one line.
     *
     * @throws IllegalArgumentException for a value of another type
     */
    public static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Double d) {
            sb.append(Double.isNaN(d) ? "NaN" : d == Double.POSITIVE_INFINITY ? "Infinity"
                    : d == Double.NEGATIVE_INFINITY ? "-Infinity" : Double.toString(d));
        } else if (v instanceof Float f) {
            write(sb, (double) f);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof CharSequence s) {
            string(sb, s.toString());
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof double[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(sb, a[i]);
            }
            sb.append(']');
        } else if (v instanceof int[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(a[i]);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
