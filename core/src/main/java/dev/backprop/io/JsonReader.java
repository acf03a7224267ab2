package dev.backprop.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader: objects (key order kept, a repeated key is an error), arrays,
 * strings, numbers (as {@link Double}), booleans and null. It also reads {@code NaN},
 * {@code Infinity} and {@code -Infinity}, which Python's {@code json} module writes for
 * non-finite numbers. Parameter files, test fixtures and benchmark reports all go through it.
 * Errors are {@link DataException}s naming the origin and the character.
 */
public final class JsonReader {
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

    private Object value() {
        space();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            pos++;
            Map<String, Object> m = new LinkedHashMap<>();
            space();
            if (peek('}')) {
                return m;
            }
            do {
                space();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error("expected a key in quotes");
                }
                String k = string();
                space();
                expect(':');
                if (m.put(k, value()) != null) {
                    throw error("key '" + k + "' appears twice");
                }
                space();
            } while (peek(','));
            expect('}');
            return m;
        }
        if (c == '[') {
            pos++;
            List<Object> l = new ArrayList<>();
            space();
            if (peek(']')) {
                return l;
            }
            do {
                l.add(value());
                space();
            } while (peek(','));
            expect(']');
            return l;
        }
        if (c == '"') {
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
        if (!num.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            pos = start;
            throw error("expected a value");
        }
        return Double.parseDouble(num);
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
