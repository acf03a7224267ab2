package dev.backprop.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named columns of numbers, all of the same length: a data set as the batch evaluator and the
 * fitting commands take it. Immutable: {@link #column(String)} returns a copy.
 *
 * <p>A column read from a file may hold text (an iris-style {@code species} column): it is
 * listed by {@link #names()} and {@link #has}, and only using it fails, with the place of its
 * first cell that is not a number ({@link #isNumeric}). So a command that does not use a column
 * never reads it as a number, and one that does gets the same error the reader would have given.
 */
public final class Columns {
    private final Map<String, double[]> columns;
    /** Every column in file order, text columns included. */
    private final List<String> names;
    /** Text columns: the message naming the first cell that is not a number. */
    private final Map<String, String> text;
    private final int rows;

    /**
     * Columns from a map of name to values (copied).
     *
     * @throws IllegalArgumentException if the columns differ in length
     */
    public Columns(Map<String, double[]> columns) {
        Map<String, double[]> m = new LinkedHashMap<>();
        int n = -1;
        String first = null;
        for (Map.Entry<String, double[]> e : columns.entrySet()) {
            if (n >= 0 && e.getValue().length != n) {
                throw new IllegalArgumentException("column '" + e.getKey() + "' has " + e.getValue().length
                        + " values but column '" + first + "' has " + n);
            }
            if (n < 0) {
                n = e.getValue().length;
                first = e.getKey();
            }
            m.put(e.getKey(), e.getValue().clone());
        }
        this.columns = Collections.unmodifiableMap(m);
        this.names = List.copyOf(m.keySet());
        this.text = Map.of();
        this.rows = Math.max(n, 0);
    }

    private Columns(Map<String, double[]> owned, List<String> names, Map<String, String> text, int rows) {
        this.columns = Collections.unmodifiableMap(owned);
        this.names = List.copyOf(names);
        this.text = Collections.unmodifiableMap(text);
        this.rows = rows;
    }

    /** Columns that take ownership of {@code m}'s arrays (a reader's own, never shared): no copy. */
    static Columns owning(LinkedHashMap<String, double[]> m) {
        int n = m.isEmpty() ? 0 : m.values().iterator().next().length;
        return new Columns(m, new ArrayList<>(m.keySet()), Map.of(), n);
    }

    /**
     * Columns of {@code rows} rows named {@code names} in order, owning {@code numbers}' arrays,
     * where each name in {@code text} is a column of text whose use fails with that message.
     */
    static Columns owning(List<String> names, LinkedHashMap<String, double[]> numbers, Map<String, String> text, int rows) {
        return new Columns(numbers, names, new LinkedHashMap<>(text), rows);
    }

    /** The number of rows (points). */
    public int rows() {
        return rows;
    }

    /** The column names, in file order (text columns included). */
    public List<String> names() {
        return new ArrayList<>(names);
    }

    /** Whether a column of that name exists (it may hold text: see {@link #isNumeric}). */
    public boolean has(String name) {
        return columns.containsKey(name) || text.containsKey(name);
    }

    /** Whether the named column exists and every cell of it is a number. */
    public boolean isNumeric(String name) {
        return columns.containsKey(name);
    }

    /**
     * A copy of the named column.
     *
     * @throws IllegalArgumentException if there is no such column
     * @throws DataException            if it holds text, naming the file, line and column of its first such cell
     */
    public double[] column(String name) {
        return numbers(name).clone();
    }

    /**
     * Copies {@code length} values of the named column, from row {@code from}, into {@code dst} at
     * {@code at}: block-wise access for the batch evaluator without copying whole columns per call.
     *
     * @throws IllegalArgumentException if there is no such column
     * @throws DataException if it holds text
     * @throws IndexOutOfBoundsException if the range lies outside the column or {@code dst}
     */
    public void copyTo(String name, int from, double[] dst, int at, int length) {
        System.arraycopy(numbers(name), from, dst, at, length);
    }

    private double[] numbers(String name) {
        double[] c = columns.get(name);
        if (c == null) {
            String why = text.get(name);
            if (why != null) {
                throw new DataException(why);
            }
            throw new IllegalArgumentException("no column '" + name + "' (columns: " + String.join(", ", names) + ")");
        }
        return c;
    }
}
