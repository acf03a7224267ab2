package dev.backprop.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Comma-separated numbers with a header row of column names. Strict on purpose: every row must have
 * as many cells as the header and every cell must be a number, or reading stops with the file,
 * line and column of the first problem. Nothing is skipped silently (only trailing blank lines).
 */
public final class Csv {
    /** Decimal numbers as numpy and spreadsheets write them, plus nan and ±inf; no hex, no 1.5f. */
    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?|(?i:nan|inf|infinity))");

    private Csv() {
    }

    /**
     * Reads a CSV file into columns, one line at a time. A million rows of two 17-digit numbers
     * take about a second here, most of it in {@link Double#parseDouble}.
     */
    public static Columns read(Path file) {
        Parser p = new Parser(file.toString());
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                p.accept(line);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        return p.columns();
    }

    /** Parses CSV lines; {@code name} is used in error messages. */
    public static Columns parse(String name, List<String> lines) {
        Parser p = new Parser(name);
        lines.forEach(p::accept);
        return p.columns();
    }

    /** The reader's state: the header once seen, the columns so far, and a blank line pending. */
    private static final class Parser {
        private final String name;
        private String[] header;
        private double[][] data;
        private int rows;
        private int lineNumber;
        /** The first blank line since the last row: an error if another row follows, fine at the end. */
        private int blankLine;

        Parser(String name) {
            this.name = name;
        }

        void accept(String line) {
            lineNumber++;
            if (line.isBlank()) {
                if (blankLine == 0) {
                    blankLine = lineNumber;
                }
                return;
            }
            if (blankLine != 0) {
                // The first line is the header even when blank; later blank lines are empty rows.
                throw new DataException(header == null
                        ? name + ":1:1: empty column name in the header"
                        : name + ":" + blankLine + ": empty row");
            }
            if (header == null) {
                header(line);
            } else {
                row(line);
            }
        }

        private void header(String line) {
            String[] h = (line.startsWith("\uFEFF") ? line.substring(1) : line).split(",", -1);
            for (int c = 0; c < h.length; c++) {
                h[c] = unquote(h[c].strip());
                if (h[c].isEmpty()) {
                    throw new DataException(name + ":" + lineNumber + ":" + (c + 1) + ": empty column name in the header");
                }
                for (int d = 0; d < c; d++) {
                    if (h[d].equals(h[c])) {
                        throw new DataException(name + ":" + lineNumber + ":" + (c + 1) + ": column '" + h[c] + "' appears twice");
                    }
                }
            }
            header = h;
            data = new double[h.length][1024];
        }

        private void row(String line) {
            int cells = 1;
            for (int k = line.indexOf(','); k >= 0; k = line.indexOf(',', k + 1)) {
                cells++;
            }
            if (cells != header.length) {
                throw new DataException(name + ":" + lineNumber + ": row has " + cells
                        + " cells, the header has " + header.length);
            }
            if (rows == data[0].length) {
                for (int c = 0; c < data.length; c++) {
                    data[c] = Arrays.copyOf(data[c], rows * 2);
                }
            }
            int from = 0;
            for (int c = 0; c < cells; c++) {
                int comma = line.indexOf(',', from);
                int to = comma < 0 ? line.length() : comma;
                data[c][rows] = cell(line, from, to, c);
                from = to + 1;
            }
            rows++;
        }

        private double cell(String line, int from, int to, int column) {
            while (from < to && Character.isWhitespace(line.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
                to--;
            }
            String s = line.substring(from, to);
            if (isDecimal(s)) {
                return Double.parseDouble(s);
            }
            if (!NUMBER.matcher(s).matches()) {
                throw new DataException(name + ":" + lineNumber + ":" + (column + 1) + ": '" + s
                        + "' is not a number (column " + header[column] + ")");
            }
            return parseNumber(s);
        }

        Columns columns() {
            if (header == null) {
                throw new DataException(name + ": empty file (a header row of column names is needed)");
            }
            Map<String, double[]> m = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                m.put(header[c], Arrays.copyOf(data[c], rows));
            }
            return new Columns(m);
        }
    }

    /**
     * The decimal part of {@link #NUMBER}, by hand because the regular expression took most of the
     * time of reading a large file: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?.
     */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int intDigits = digits(s, i);
        i += intDigits;
        int fracDigits = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            fracDigits = digits(s, i);
            i += fracDigits;
        }
        if (intDigits == 0 && fracDigits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = digits(s, i);
            if (expDigits == 0) {
                return false;
            }
            i += expDigits;
        }
        return i == n;
    }

    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    private static double parseNumber(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        boolean neg = l.startsWith("-");
        String body = l.startsWith("-") || l.startsWith("+") ? l.substring(1) : l;
        if (body.equals("nan")) {
            return Double.NaN;
        }
        if (body.equals("inf") || body.equals("infinity")) {
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(s);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Writes columns as CSV with a header; doubles round-trip exactly. */
    public static void write(Writer out, Map<String, double[]> columns) throws IOException {
        List<String> names = new ArrayList<>(columns.keySet());
        out.write(String.join(",", names));
        out.write('\n');
        int n = names.isEmpty() ? 0 : columns.get(names.get(0)).length;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            for (int c = 0; c < names.size(); c++) {
                if (c > 0) {
                    sb.append(',');
                }
                sb.append(columns.get(names.get(c))[i]);
            }
            sb.append('\n');
            out.write(sb.toString());
        }
    }
}
