package dev.backprop.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Comma-separated numbers with a header row of column names. Strict on purpose: every row must have
 * as many cells as the header, or reading stops with the file and line of the first problem, and
 * nothing is skipped silently (only trailing blank lines). A column with a cell that is not a
 * number is kept as a column of text: naming it is fine, using its values fails with the file,
 * line and column of that first cell ({@link Columns#column}), so a data set may carry labels in
 * words beside its numbers.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * Reads a CSV file into columns, one line at a time. A million rows of two 17-digit numbers
     * take about a second here, most of it in {@link Double#parseDouble}. A file that obviously
     * cannot fit in the Java heap is refused by its size before it is read; a stream of unknown
     * size (a pipe, {@code /dev/zero}) is read with a bound on each line and on the data.
     */
    public static Columns read(Path file) {
        String name = file.toString();
        Parser p = new Parser(name);
        try {
            if (Files.isDirectory(file)) {
                throw new DataException(name + ": is a folder, not a file");
            }
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                // How much memory the values need depends on how long the cells are (8 bytes a value,
                // from 2 bytes a cell for "1," to 25 for numpy's savetxt); a file larger than the heap
                // is refused here, and the columns' growth is checked as the rows arrive.
                Limits.requireHeap(size, name + ": " + size + " bytes of CSV");
            }
            try (InputStream in = Files.newInputStream(file)) {
                Reader r = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
                lines(r, name, p);
            }
            return p.columns();
        } catch (OutOfMemoryError e) {
            p.data = null;
            throw Limits.outOfMemory(name);
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DataException(name + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new DataException(name + ": not UTF-8 text (near line " + (p.lineNumber + 1) + ")");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException(name + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Splits text into lines (ended by \n, \r or \r\n, as {@link java.io.BufferedReader#readLine}
     * does) and gives each to {@code p}; a line may not be longer than {@link #maxLine()}
     * characters, and a NUL character (binary data, {@code /dev/zero}) stops reading at once.
     */
    private static void lines(Reader r, String name, Parser p) throws IOException {
        char[] buf = new char[1 << 16];
        StringBuilder line = new StringBuilder();
        long limit = maxLine();
        boolean cr = false;
        for (int n; (n = r.read(buf)) >= 0; ) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (c == '\n' || c == '\r') {
                    if (c == '\n' && cr && i == from && line.length() == 0) {
                        from = i + 1; // the \n of \r\n
                        cr = false;
                        continue;
                    }
                    line.append(buf, from, i - from);
                    p.accept(line.toString());
                    line.setLength(0);
                    from = i + 1;
                    cr = c == '\r';
                } else {
                    cr = false;
                    if (c == 0) {
                        throw new DataException(name + ":" + (p.lineNumber + 1) + ": not a text file (a NUL character)");
                    }
                }
            }
            line.append(buf, from, n - from);
            if (line.length() > limit) {
                throw new DataException(name + ":" + (p.lineNumber + 1) + ": line longer than " + limit
                        + " characters; is it the right file?");
            }
        }
        if (line.length() > 0) {
            p.accept(line.toString());
        }
    }

    /** The longest line read: a sixteenth of the heap, at least 1 M characters, at most 256 M. */
    private static long maxLine() {
        return Math.max(1 << 20, Math.min(1 << 28, Runtime.getRuntime().maxMemory() / 16));
    }

    /** Reads CSV text from {@code r} as {@link #read(Path)} reads a file; {@code name} is used in error messages. */
    static Columns read(String name, Reader r) throws IOException {
        Parser p = new Parser(name);
        lines(r, name, p);
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
        double[][] data;
        /** Per column: null while every cell is a number, else the message naming the first that is not. */
        private String[] text;
        private int rows;
        /** Room in each numeric column's array. */
        private int capacity = 16;
        int lineNumber;
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
            Map<String, Integer> seen = new HashMap<>(h.length * 2);
            for (int c = 0; c < h.length; c++) {
                h[c] = unquote(h[c].strip());
                if (h[c].isEmpty()) {
                    throw new DataException(name + ":" + lineNumber + ":" + (c + 1) + ": empty column name in the header");
                }
                Integer first = seen.putIfAbsent(h[c], c);
                if (first != null) {
                    throw new DataException(name + ":" + lineNumber + ":" + (c + 1) + ": column " + Limits.quote(h[c])
                            + " appears twice (first as column " + (first + 1) + ")");
                }
            }
            header = h;
            data = new double[h.length][16];
            text = new String[h.length];
        }

        private void row(String line) {
            int cells = 1;
            for (int k = line.indexOf(','); k >= 0; k = line.indexOf(',', k + 1)) {
                cells++;
            }
            if (cells != header.length) {
                throw new DataException(name + ":" + lineNumber + ": row has " + cells
                        + (cells == 1 ? " cell" : " cells") + ", the header has " + header.length);
            }
            if (rows == capacity) {
                int grown = rows > Integer.MAX_VALUE / 2 - 8 ? Integer.MAX_VALUE - 8 : Math.max(16, rows * 2);
                if (rows == grown) {
                    throw new DataException(name + ":" + lineNumber + ": more rows than a Java array holds");
                }
                // The new arrays, and the trimmed copies made at the end.
                Limits.requireHeap(16L * grown * data.length, name + ": " + rows + " rows × " + data.length + " columns");
                for (int c = 0; c < data.length; c++) {
                    if (data[c] != null) {
                        data[c] = Arrays.copyOf(data[c], grown);
                    }
                }
                capacity = grown;
            }
            int from = 0;
            for (int c = 0; c < cells; c++) {
                int comma = line.indexOf(',', from);
                int to = comma < 0 ? line.length() : comma;
                if (data[c] != null) {
                    cell(line, from, to, c);
                }
                from = to + 1;
            }
            rows++;
        }

        /** Parses a cell into its column, or turns the column into text at the first cell that is not a number. */
        private void cell(String line, int from, int to, int column) {
            while (from < to && Character.isWhitespace(line.charAt(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
                to--;
            }
            String s = line.substring(from, to);
            try {
                data[column][rows] = Numbers.parse(s);
            } catch (NumberFormatException e) {
                text[column] = name + ":" + lineNumber + ":" + (column + 1) + ": " + Limits.quote(s)
                        + " " + e.getMessage() + " (column " + Limits.shortName(header[column]) + ")";
                data[column] = null; // its numbers so far are of no use now
            }
        }

        Columns columns() {
            if (header == null) {
                throw new DataException(name + ": empty file (a header row of column names is needed)");
            }
            LinkedHashMap<String, double[]> m = new LinkedHashMap<>();
            Map<String, String> words = new HashMap<>();
            for (int c = 0; c < header.length; c++) {
                if (data[c] == null) {
                    words.put(header[c], text[c]);
                } else {
                    m.put(header[c], data[c].length == rows ? data[c] : Arrays.copyOf(data[c], rows));
                }
                data[c] = null;
            }
            return Columns.owning(Arrays.asList(header), m, words, rows);
        }
    }

    /** Whether {@code s} is a decimal number (no nan or inf): see {@link Numbers}. */
    static boolean isDecimal(String s) {
        return Numbers.isDecimal(s);
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
