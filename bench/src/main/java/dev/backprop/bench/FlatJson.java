package dev.backprop.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the one-line JSON objects the reference scripts print: objects, arrays, strings without
 * escapes beyond the simple ones, numbers, true, false, null. Numbers become {@link Double}. Just
 * enough for {@code bench/compare}, which must not pull a JSON library into the benchmarks jar.
 */
final class FlatJson {
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    /** The object in {@code text}; IllegalArgumentException says where it is malformed. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text) {
        FlatJson p = new FlatJson(text);
        Object v = p.value();
        p.space();
        if (!(v instanceof Map) || p.i != text.length()) {
            throw new IllegalArgumentException("expected one JSON object, at character " + p.i);
        }
        return (Map<String, Object>) v;
    }

    private Object value() {
        space();
        if (i >= s.length()) {
            throw fail("unexpected end");
        }
        char c = s.charAt(i);
        if (c == '{') {
            return object();
        } else if (c == '[') {
            return array();
        } else if (c == '"') {
            return string();
        } else if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
        } else if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
        } else if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        return number();
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (peek('}')) {
            i++;
            return m;
        }
        while (true) {
            space();
            String key = string();
            space();
            expect(':');
            m.put(key, value());
            space();
            if (peek(',')) {
                i++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> a = new ArrayList<>();
        i++;
        space();
        if (peek(']')) {
            i++;
            return a;
        }
        while (true) {
            a.add(value());
            space();
            if (peek(',')) {
                i++;
            } else {
                expect(']');
                return a;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (i < s.length() && s.charAt(i) != '"') {
            char c = s.charAt(i++);
            if (c == '\\' && i < s.length()) {
                char e = s.charAt(i++);
                b.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                b.append(c);
            }
        }
        expect('"');
        return b.toString();
    }

    private Double number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String t = s.substring(start, i);
        if (s.startsWith("NaN", i)) {
            i += 3;
            return Double.NaN;
        } else if (s.startsWith("Infinity", i)) {
            i += 8;
            return t.equals("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        try {
            return Double.valueOf(t);
        } catch (NumberFormatException e) {
            throw fail("not a number: '" + t + "'");
        }
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private boolean peek(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw fail("expected '" + c + "'");
        }
        i++;
    }

    private IllegalArgumentException fail(String what) {
        return new IllegalArgumentException(what + " at character " + i);
    }
}
