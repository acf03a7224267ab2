package dev.backprop.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named columns of numbers, all of the same length: a data set as the batch evaluator and the
 * fitting commands take it. Immutable: {@link #column(String)} returns a copy.
 */
public final class Columns {
    private final Map<String, double[]> columns;
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
        this.rows = Math.max(n, 0);
    }

    private Columns(Map<String, double[]> owned, int rows) {
        this.columns = Collections.unmodifiableMap(owned);
        this.rows = rows;
    }

    /** Columns that take ownership of {@code m}'s arrays (a reader's own, never shared): no copy. */
    static Columns owning(LinkedHashMap<String, double[]> m) {
        int n = m.isEmpty() ? 0 : m.values().iterator().next().length;
        return new Columns(m, n);
    }

    /** The number of rows (points). */
    public int rows() {
        return rows;
    }

    /** The column names, in file order. */
    public List<String> names() {
        return new ArrayList<>(columns.keySet());
    }

    /** Whether a column of that name exists. */
    public boolean has(String name) {
        return columns.containsKey(name);
    }

    /** A copy of the named column. */
    public double[] column(String name) {
        double[] c = columns.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no column '" + name + "' (columns: " + String.join(", ", columns.keySet()) + ")");
        }
        return c.clone();
    }

    /**
     * Copies {@code length} values of the named column, from row {@code from}, into {@code dst} at
     * {@code at}: block-wise access for the batch evaluator without copying whole columns per call.
     *
     * @throws IllegalArgumentException if there is no such column
     * @throws IndexOutOfBoundsException if the range lies outside the column or {@code dst}
     */
    public void copyTo(String name, int from, double[] dst, int at, int length) {
        double[] c = columns.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no column '" + name + "' (columns: " + String.join(", ", columns.keySet()) + ")");
        }
        System.arraycopy(c, from, dst, at, length);
    }
}
