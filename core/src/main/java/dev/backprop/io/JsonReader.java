package dev.backprop.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small strict JSON reader: objects (key order kept, a repeated key is an error), arrays,
 * strings, numbers (as {@link Double}), booleans and null. It also reads {@code NaN},
 * {@code Infinity} and {@code -Infinity}, which Python's {@code json} module writes for
 * non-finite numbers. Parameter files, test fixtures and benchmark reports all go through it.
 * Errors are {@link DataException}s naming the origin and the character.
 */
public final class JsonReader {
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    private final String text;
    private final String origin;
    private int pos;

    private JsonReader(String text, String origin) {
        this.text = text;
        this.origin = origin;
    }

    /**
     * Parses one JSON value filling the whole text: a {@code Map<String, Object>} (in key order),
     * {@code List<Object>}, {@code String}, {@code Double}, {@code Boolean} or null.
     *
     * @param origin where the text came from (a file name), for error messages
     * @throws DataException naming {@code origin} and the character where the text stops being JSON
     */
    public static Object parse(String text, String origin) {
        JsonReader r = new JsonReader(text, origin);
        Object v = r.value();
        r.space();
        if (r.pos != text.length()) {
            throw r.error("unexpected text after the JSON value");
        }
        return v;
    }

    private DataException error(String what) {
        return new DataException(origin + ": not valid JSON at character " + (pos + 1) + ": " + what);
    }

    private void space() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /**
     * One value, with explicit stacks instead of recursion: nesting depth costs heap, never Java
     * stack, so {@code [[[[…]]]]} a million deep is read (or refused) like any other text.
     */
    private Object value() {
        List<Object> containers = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        while (true) {
            Object v;
            space();
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(pos);
            if (c == '{') {
                pos++;
                Map<String, Object> m = new LinkedHashMap<>();
                space();
                if (!peek('}')) {
                    containers.add(m);
                    keys.add(key());
                    continue;
                }
                v = m;
            } else if (c == '[') {
                pos++;
                List<Object> l = new ArrayList<>();
                space();
                if (!peek(']')) {
                    containers.add(l);
                    keys.add(null);
                    continue;
                }
                v = l;
            } else {
                v = scalar();
            }
            // v is complete: add it to the innermost open container, closing those it completes.
            while (true) {
                int top = containers.size() - 1;
                if (top < 0) {
                    return v;
                }
                Object container = containers.get(top);
                if (container instanceof Map<?, ?>) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) container;
                    String k = keys.get(top);
                    if (m.containsKey(k)) {
                        throw error("key " + Limits.quote(k) + " appears twice");
                    }
                    m.put(k, v);
                    space();
                    if (peek(',')) {
                        keys.set(top, key());
                        break;
                    }
                    expect('}');
                } else {
                    @SuppressWarnings("unchecked")
                    List<Object> l = (List<Object>) container;
                    l.add(v);
                    space();
                    if (peek(',')) {
                        break;
                    }
                    expect(']');
                }
                containers.remove(top);
                keys.remove(top);
                v = container;
            }
        }
    }

    /** A key in quotes and its colon. */
    private String key() {
        space();
        if (pos >= text.length() || text.charAt(pos) != '"') {
            throw error("expected a key in quotes");
        }
        String k = string();
        space();
        expect(':');
        return k;
    }

    private Object scalar() {
        if (text.charAt(pos) == '"') {
            return string();
        }
        for (String w : new String[] {"true", "false", "null"}) {
            if (text.startsWith(w, pos)) {
                pos += w.length();
                return w.equals("null") ? null : Boolean.valueOf(w);
            }
        }
        for (String w : new String[] {"NaN", "Infinity", "-Infinity"}) {
            if (text.startsWith(w, pos)) {
                pos += w.length();
                return Double.parseDouble(w);
            }
        }
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String num = text.substring(start, pos);
        if (!NUMBER.matcher(num).matches()) {
            pos = start;
            throw error("expected a value");
        }
        double d = Double.parseDouble(num);
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("number " + Limits.quote(num) + " is too large for a double");
        }
        return d;
    }

    private boolean peek(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("bad \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }
}
