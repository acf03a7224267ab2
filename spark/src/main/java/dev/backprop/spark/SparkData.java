package dev.backprop.spark;

import dev.backprop.io.Columns;
import dev.backprop.io.DataException;
import dev.backprop.io.Limits;
import dev.backprop.io.Numbers;
import dev.backprop.random.RandomState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

/**
 * The numeric columns of a Spark {@link Dataset} that a formula reads, held as one block of
 * columns ({@link Columns}) per partition: what the batch engine takes. Rows are turned into
 * columns once, when a partition is first computed; every gradient after that runs over arrays.
 *
 * <p>Columns are bound by name, as {@code grad --data} binds CSV columns. A numeric column (any
 * Spark numeric type) is read as doubles; a text column (CSV read without a schema) is parsed cell
 * by cell with the command line's own number syntax ({@link Numbers}), so a cell that is not a
 * number fails with the message a CSV file gets, but naming the row instead of the line, which
 * Spark does not know: {@code row N in Spark's order of the rows}, counted from 1 over the
 * partitions in order (for one CSV file, the file's order). Any other type (dates, arrays,
 * booleans) is refused by name before any job runs.
 */
public final class SparkData implements AutoCloseable {
    /**
     * Whether cached blocks are also local checkpoints, so that a job no longer ships the query
     * plan that made them: a third less fixed cost per step on 32 partitions (BENCHMARKS.md), at the
     * price of Spark's recomputation of lost blocks (a lost executor means a failed fit). On by
     * default in local mode, where the executor is this JVM and a block spills to disk rather than
     * being lost, so nothing is given up; off on a cluster. {@code -Dbackprop.spark.localCheckpoint=
     * true|false} decides instead.
     */
    static boolean localCheckpoint(org.apache.spark.SparkContext context) {
        String v = System.getProperty("backprop.spark.localCheckpoint");
        return v == null ? context.isLocal() : Boolean.parseBoolean(v);
    }
    /**
     * A cell error as the executor words it: it knows its partition and the row's place there
     * (from 1); the driver turns that into the row's place in the whole data ({@link #failure}).
     */
    private static final Pattern LOCAL_ROW = Pattern.compile("^(.*) \\(column (.*), row (\\d+) of Spark's partition (\\d+)\\)$");
    /** How Spark's CSV reader, in FAILFAST mode, starts the text of a row that does not fit the header. */
    private static final String MALFORMED = "Malformed CSV record: ";
    private final JavaRDD<InternalRow> raw;
    private final JavaRDD<Part> parts;
    private final List<String> columns;
    private final List<String> names;
    private final String origin;
    private volatile long[] starts;
    private boolean cached;

    /**
     * One partition's rows as columns.
     *
     * @param partition the partition's index
     * @param columns   its rows of each column read, possibly none
     */
    record Part(int partition, Columns columns) implements Serializable {
        int rows() {
            return columns.rows();
        }

        /** Columns is not serialisable; a block spilled to disk or shipped is written as arrays. */
        private Object writeReplace() {
            List<String> names = columns.names();
            double[][] values = new double[names.size()][];
            for (int c = 0; c < values.length; c++) {
                values[c] = columns.column(names.get(c));
            }
            return new Stored(partition, names.toArray(new String[0]), values);
        }
    }

    /** A {@link Part} as written: its partition, column names and values. */
    private record Stored(int partition, String[] names, double[][] values) implements Serializable {
        private Object readResolve() {
            Map<String, double[]> m = new LinkedHashMap<>();
            for (int c = 0; c < names.length; c++) {
                m.put(names[c], values[c]);
            }
            return new Part(partition, new Columns(m));
        }
    }

    private SparkData(JavaRDD<InternalRow> raw, JavaRDD<Part> parts, List<String> columns, List<String> names, String origin) {
        this.raw = raw;
        this.parts = parts;
        this.columns = columns;
        this.names = names;
        this.origin = origin;
    }

    /**
     * The columns {@code columns} of {@code data}, read lazily (no Spark job runs here).
     *
     * @param origin what messages call the data (a file name)
     * @throws IllegalArgumentException naming a column that {@code data} lacks
     * @throws DataException            naming a column whose type is not numbers or text
     */
    public static SparkData of(Dataset<Row> data, Collection<String> columns, String origin) {
        List<String> all = Arrays.asList(data.columns());
        List<String> cols = List.copyOf(new java.util.LinkedHashSet<>(columns));
        List<Column> select = new ArrayList<>();
        boolean[] text = new boolean[cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            String name = cols.get(c);
            if (!all.contains(name)) {
                // BatchProgram's wording for the same mistake on one machine.
                throw new IllegalArgumentException("missing column '" + name + "' (columns: " + String.join(", ", all) + ")");
            }
            StructField field = data.schema().apply(name);
            DataType type = field.dataType();
            Column col = data.col("`" + name.replace("`", "``") + "`");
            if (type instanceof NumericType) {
                select.add(col.cast("double"));
            } else if (type instanceof StringType) {
                text[c] = true;
                select.add(col);
            } else {
                throw new DataException(origin + ": column " + Limits.quote(name) + " holds " + type.simpleString()
                        + " values, not numbers");
            }
        }
        Dataset<Row> picked = data.select(select.toArray(new Column[0]));
        JavaRDD<InternalRow> rows = picked.queryExecution().toRdd().toJavaRDD();
        String[] colNames = cols.toArray(new String[0]);
        JavaRDD<Part> parts = rows.mapPartitionsWithIndex((index, it) -> List.of(toColumns(index, it, colNames, text, origin)).iterator(), true);
        return new SparkData(rows, parts, cols, all, origin);
    }

    /** Turns one partition's rows into columns; the only per-row loop, run once per partition. */
    private static Part toColumns(int index, Iterator<InternalRow> it, String[] names, boolean[] text, String origin) {
        int w = names.length;
        double[][] d = new double[w][1024];
        int n = 0;
        while (it.hasNext()) {
            InternalRow r = it.next();
            if (n == d[0].length && w > 0) {
                for (int c = 0; c < w; c++) {
                    d[c] = Arrays.copyOf(d[c], n * 2);
                }
            }
            for (int c = 0; c < w; c++) {
                if (text[c]) {
                    String s = r.isNullAt(c) ? "" : r.getUTF8String(c).toString().strip();
                    try {
                        d[c][n] = Numbers.parse(s);
                    } catch (NumberFormatException e) {
                        throw new DataException(origin + ": " + Limits.quote(s) + " " + e.getMessage()
                                + " (column " + Limits.shortName(names[c]) + ", row " + (n + 1) + " of Spark's partition " + index + ")");
                    }
                } else if (r.isNullAt(c)) {
                    throw new DataException(origin + ": '' is not a number (column " + Limits.shortName(names[c])
                            + ", row " + (n + 1) + " of Spark's partition " + index + ")");
                } else {
                    d[c][n] = r.getDouble(c);
                }
            }
            n++;
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int c = 0; c < w; c++) {
            m.put(names[c], d[c].length == n ? d[c] : Arrays.copyOf(d[c], n));
        }
        return new Part(index, new Columns(m));
    }

    /** The columns read, in order. */
    public List<String> columns() {
        return columns;
    }

    /** Every column of the data set, in order. */
    public List<String> names() {
        return names;
    }

    /** What messages call the data. */
    public String origin() {
        return origin;
    }

    /** The number of partitions. */
    public int partitions() {
        return parts.getNumPartitions();
    }

    /**
     * Keeps the column blocks on the executors, for work that sweeps the data many times (a fit):
     * in memory, and on local disk (serialised as arrays) those that do not fit.
     */
    public synchronized SparkData cache() {
        if (!cached) {
            parts.persist(StorageLevel.MEMORY_AND_DISK());
            if (localCheckpoint(parts.context())) {
                parts.rdd().localCheckpoint();
            }
            cached = true;
        }
        return this;
    }

    /** The number of rows (one Spark job the first time). */
    public long rows() {
        long[] s = starts();
        return s[s.length - 1];
    }

    /** The first global row of each partition, and the number of rows last: one job, run once. */
    long[] starts() {
        long[] s = starts;
        if (s == null) {
            List<int[]> sizes;
            try {
                sizes = parts.map(p -> new int[] {p.partition(), p.rows()}).collect();
            } catch (Exception e) { // a data error on an executor: see failure
                throw failure(e);
            }
            s = starts(sizes);
        }
        return s;
    }

    /**
     * {@link #starts()} from each partition's {@code {partition, rows}}, gathered by a job that
     * had other work to do; kept, so that {@link #starts()} need not run its own.
     */
    long[] starts(List<int[]> sizes) {
        long[] s = new long[partitions() + 1];
        for (int[] x : sizes) {
            s[x[0] + 1] = x[1];
        }
        for (int k = 1; k < s.length; k++) {
            s[k] += s[k - 1];
        }
        starts = s;
        return s;
    }

    /**
     * What a failed job over these blocks should throw: {@link SparkSum#unwrap}'s exception, and
     * for a cell that is not a number, the same error naming the row in the whole data instead of
     * in its partition. Counting the rows of the partitions before it costs one more job, over
     * the rows as read (no cell is parsed), run only here: the normal path never pays for it.
     */
    RuntimeException failure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String said = t.getMessage();
            int at = said == null ? -1 : said.indexOf(MALFORMED);
            if (at >= 0) {
                // Spark's FAILFAST CSV reader met a row of another width than the header; it names
                // the row's text, not its line.
                String record = said.substring(at + MALFORMED.length()).split(" SQLSTATE|\n", 2)[0].strip();
                int cells = record.split(",", -1).length;
                return new DataException(origin + ": the row " + Limits.quote(record) + " has " + cells
                        + (cells == 1 ? " cell" : " cells") + ", the header has " + names.size());
            }
        }
        RuntimeException r = SparkSum.unwrap(e, parts.context());
        Matcher m = r instanceof DataException ? LOCAL_ROW.matcher(r.getMessage()) : null;
        if (m == null || !m.matches()) {
            return r;
        }
        int partition = Integer.parseInt(m.group(4));
        long row = Long.parseLong(m.group(3));
        if (partition > 0) {
            int[] before = new int[partition];
            Arrays.setAll(before, k -> k);
            try {
                List<Long>[] counts = raw.mapPartitions(it -> {
                    long n = 0;
                    for (; it.hasNext(); it.next()) {
                        n++;
                    }
                    return List.of(n).iterator();
                }).collectPartitions(before);
                for (List<Long> c : counts) {
                    row += c.get(0);
                }
            } catch (Exception counting) {
                return r; // Spark stopped under us: the row's place in its partition is still true
            }
        }
        return new DataException(m.group(1) + " (column " + m.group(2) + ", row " + row + " in Spark's order of the rows)");
    }

    JavaRDD<Part> parts() {
        return parts;
    }

    /**
     * At most {@code most} rows of the columns, for a chart: every row, in order, when there are
     * no more; else {@code most} rows chosen uniformly at random without replacement by
     * {@link #pick}, in the data's order. One Spark job besides the row count (which a fit has
     * already run), and only the rows chosen reach the driver.
     *
     * @param seed in [0, 2<sup>32</sup> − 1]: the same seed and data give the same rows
     */
    public Columns sample(int most, long seed) {
        long total = rows();
        long[] starts = starts();
        long[] picked = total <= most ? null : pick(total, most, seed);
        List<Part> got;
        try {
            got = new ArrayList<>(parts.map(p -> picked == null ? p : new Part(p.partition(), SparkSum.select(p, starts[p.partition()], picked.length, i -> picked[i])))
                    .collect());
        } catch (Exception e) { // a data error on an executor: see failure
            throw failure(e);
        }
        got.sort(java.util.Comparator.comparingInt(Part::partition));
        int n = got.stream().mapToInt(Part::rows).sum();
        Map<String, double[]> m = new LinkedHashMap<>();
        for (String c : columns) {
            double[] v = new double[n];
            int at = 0;
            for (Part p : got) {
                p.columns().copyTo(c, 0, v, at, p.rows());
                at += p.rows();
            }
            m.put(c, v);
        }
        return new Columns(m);
    }

    /**
     * {@code k} distinct row numbers of {@code 0 … total − 1}, each set of {@code k} as likely as
     * any other, sorted: Floyd's algorithm, whose draws are numpy's {@code randint} (core's
     * {@link RandomState}), so a few lines of Python give the same rows for the same seed
     * (spark/src/test/resources/sample/pick.py). It needs memory for {@code k} numbers only, however many rows.
     */
    static long[] pick(long total, int k, long seed) {
        if (k < 0 || k > total) {
            throw new IllegalArgumentException("cannot pick " + k + " of " + total + " rows");
        }
        RandomState rng = new RandomState(seed);
        java.util.HashSet<Long> chosen = new java.util.HashSet<>();
        for (long j = total - k; j < total; j++) {
            long t = rng.randint(0, j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** Releases the cached blocks, if any. */
    @Override
    public synchronized void close() {
        if (cached) {
            parts.unpersist(false);
            cached = false;
        }
    }

    /** A serialisable function of one partition's block, for the aggregations. */
    interface PartFunction extends Serializable {
        double[] apply(Part part);
    }
}
