package dev.backprop.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Reads a CSV file into columns. */
    public static Columns read(Path file) {
        List<String> lines;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines = r.lines().toList();
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    /** Parses CSV lines; {@code name} is used in error messages. */
    public static Columns parse(String name, List<String> lines) {
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isBlank()) {
            last--;
        }
        if (last == 0) {
            throw new DataException(name + ": empty file (a header row of column names is needed)");
        }
        String[] header = split(lines.get(0));
        for (int c = 0; c < header.length; c++) {
            header[c] = unquote(header[c].strip());
            if (header[c].isEmpty()) {
                throw new DataException(name + ":1:" + (c + 1) + ": empty column name in the header");
            }
            if (header[c].startsWith("\uFEFF")) {
                header[c] = header[c].substring(1);
            }
            for (int d = 0; d < c; d++) {
                if (header[d].equals(header[c])) {
                    throw new DataException(name + ":1:" + (c + 1) + ": column '" + header[c] + "' appears twice");
                }
            }
        }
        int rows = last - 1;
        double[][] data = new double[header.length][rows];
        for (int i = 1; i < last; i++) {
            String line = lines.get(i);
            String[] cells = split(line);
            if (line.isBlank()) {
                throw new DataException(name + ":" + (i + 1) + ": empty row");
            }
            if (cells.length != header.length) {
                throw new DataException(name + ":" + (i + 1) + ": row has " + cells.length
                        + " cells, the header has " + header.length);
            }
            for (int c = 0; c < cells.length; c++) {
                String s = cells[c].strip();
                if (!NUMBER.matcher(s).matches()) {
                    throw new DataException(name + ":" + (i + 1) + ":" + (c + 1) + ": '" + s
                            + "' is not a number (column " + header[c] + ")");
                }
                data[c][i - 1] = parseNumber(s);
            }
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            m.put(header[c], data[c]);
        }
        return new Columns(m);
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

    private static String[] split(String line) {
        return line.split(",", -1);
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
