package dev.backprop.spark;

import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.batch.NonFiniteRow;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;

/**
 * A formula summed over the rows of a {@link SparkData}, and the gradient of that sum with respect
 * to its scalar inputs: each partition's block runs through the batch engine ({@link
 * BatchProgram}) and the partitions' sums are combined by {@code treeAggregate}. The gradient of a
 * sum is the sum of the partitions' gradients, so the result equals the batch engine's on the
 * whole data set to within rounding (the order of the additions differs).
 *
 * <pre>{@code
 * Dataset<Row> rows = spark.read().option("header", true).csv("data.csv");
 * Formula f = Formula.compile("(a*x + b - y)^2");
 * SparkSum s = SparkSum.of(f, List.of("x", "y"));
 * SparkSum.Result r = s.gradient(SparkData.of(rows, s.columns(), "data.csv"), Map.of("a", 1.0, "b", 0.0));
 * }</pre>
 *
 * <p>When the sum is not finite, {@link #firstNonFinite} names the first row to blame and the step
 * that went wrong, in one more job. Only the built-in functions travel to the executors: the
 * formula's text is compiled there.
 */
public final class SparkSum implements Serializable {
    private static final long serialVersionUID = 1L;
    /**
     * Up to this many bytes of partial sums in all (partitions × width × 8) go straight to the
     * driver; beyond it they are first added in a tree (see {@link #depth}).
     */
    static final long DIRECT_BYTES = 16L << 20;

    private final String source;
    private final List<String> columns;
    private final List<String> scalars;
    private final boolean simd;

    private SparkSum(String source, List<String> columns, List<String> scalars, boolean simd) {
        this.source = source;
        this.columns = columns;
        this.scalars = scalars;
        this.simd = simd;
    }

    /**
     * The sum of {@code formula} over data whose columns {@code columns} bind the inputs of those
     * names; every other input is a scalar.
     */
    public static SparkSum of(Formula formula, Collection<String> columns) {
        BatchProgram b = BatchProgram.compile(formula.program(), columns);
        return new SparkSum(formula.source(), b.columns(), b.scalars(), false);
    }

    /**
     * The same sum on the SIMD kernel (on executors that have {@code jdk.incubator.vector}), or on
     * the plain one, which is the default and reproducible bit for bit per partition. SIMD pays
     * from about 10⁷ points of work on (see {@link BatchProgram}).
     */
    public SparkSum withSimd(boolean on) {
        return new SparkSum(source, columns, scalars, on);
    }

    /** The inputs bound to columns, in the formula's order. */
    public List<String> columns() {
        return columns;
    }

    /** The scalar inputs, in the formula's order. */
    public List<String> scalars() {
        return scalars;
    }

    /**
     * The sum over the rows.
     *
     * @param n        the number of rows
     * @param sum      the formula summed over them
     * @param gradient the gradient of the sum with respect to each scalar input (empty for {@link #value})
     */
    public record Result(long n, double sum, Map<String, Double> gradient) {
        /** The sum divided by the number of rows (NaN for none). */
        public double mean() {
            return sum / n;
        }
    }

    /** The sum and the gradient of the sum at {@code at} (a value for every scalar input). */
    public Result gradient(SparkData data, Map<String, Double> at) {
        double[] r = run(data, at, true, null);
        Map<String, Double> g = new LinkedHashMap<>();
        for (int k = 0; k < scalars.size(); k++) {
            g.put(scalars.get(k), r[2 + k]);
        }
        return new Result((long) r[0], r[1], g);
    }

    /** The sum alone: a forward pass per block, no gradient. */
    public Result value(SparkData data, Map<String, Double> at) {
        double[] r = run(data, at, false, null);
        return new Result((long) r[0], r[1], Map.of());
    }

    /**
     * One aggregation: per partition the row count, the sum, then the gradient when asked.
     * {@code batch}, when not null, is a sorted list of global row numbers: only those rows count.
     */
    double[] run(SparkData data, Map<String, Double> at, boolean gradient, int[] batch) {
        requireColumns(data);
        double[] values = values(at);
        int width = 2 + (gradient ? scalars.size() : 0);
        long[] starts = batch == null ? null : data.starts();
        String src = source;
        List<String> cols = columns;
        List<String> names = scalars;
        boolean kernel = simd;
        SparkData.PartFunction f = part -> {
            double[] out = new double[width];
            Columns c = batch == null ? part.columns() : select(part, starts, batch);
            if (c.rows() == 0) {
                return out;
            }
            BatchProgram p = Programs.get(src, cols, kernel, List.of())[0];
            Map<String, Double> m = bind(names, values);
            BatchResult r = gradient ? p.gradient(c, m) : p.value(c, m);
            out[0] = c.rows();
            out[1] = r.sum();
            for (int k = 2; k < width; k++) {
                out[k] = r.gradient().get(names.get(k - 2));
            }
            return out;
        };
        return aggregate(data, width, f);
    }

    /**
     * Where a sum stops being finite: a row of the data, counted from 0 over the partitions in
     * order and each partition's rows in order (Spark's order of the rows; for one CSV file, the
     * file's order), and what went wrong there, as {@link BatchProgram#firstNonFinite} words it.
     *
     * @param row     the row, or -1 when every row is finite and only their sum overflows
     * @param message what went wrong there, e.g. {@code forward pass: step l = log(x) gave NaN}
     */
    public record NonFinite(long row, String message) implements Serializable {
    }

    /**
     * The first row whose value, or derivative with respect to any scalar input, is NaN or
     * infinite, and the step that made it so; as {@link #firstNonFinite(SparkData, Map, Collection)}
     * with every scalar input.
     */
    public Optional<NonFinite> firstNonFinite(SparkData data, Map<String, Double> at) {
        return firstNonFinite(data, at, scalars);
    }

    /**
     * The first row whose value, or derivative with respect to one of {@code wrt}, is NaN or
     * infinite, and the step that made it so: {@link BatchProgram#firstNonFinite} run on each
     * partition's block, the earliest row of all kept. Empty when the sum and those derivatives
     * are finite; row -1 when every row is finite but the sum overflows. One Spark job: a
     * gradient pass per partition, and in a partition whose sum is not finite a value pass and a
     * scalar evaluation per row up to the one found; meant for after {@link #gradient} has found
     * the sum not finite, which it does at no extra cost.
     *
     * @throws IllegalArgumentException naming a name of {@code wrt} that is not a scalar input,
     *         or as {@link #gradient} does
     */
    public Optional<NonFinite> firstNonFinite(SparkData data, Map<String, Double> at, Collection<String> wrt) {
        requireColumns(data);
        double[] values = values(at);
        for (String name : wrt) {
            if (!scalars.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a scalar input (scalar inputs: " + String.join(", ", scalars) + ")");
            }
        }
        List<String> of = List.copyOf(wrt);
        String src = source;
        List<String> cols = columns;
        List<String> names = scalars;
        boolean kernel = simd;
        List<Probe> probes;
        try {
            probes = data.parts().map(part -> probe(part, Programs.get(src, cols, kernel, List.of())[0], bind(names, values), of)).collect();
        } catch (Exception e) { // Scala throws SparkException, a checked exception, undeclared
            throw data.failure(e);
        }
        long[] starts = data.starts(probes.stream().map(p -> new int[] {p.partition(), p.rows()}).toList());
        long first = -1;
        String why = null;
        boolean overflow = false;
        double[] total = new double[1 + of.size()];
        for (Probe p : probes) {
            long row = p.row() >= 0 ? starts[p.partition()] + p.row() : -1;
            if (row >= 0 && (first < 0 || row < first)) {
                first = row;
                why = p.message();
            }
            overflow |= p.row() == -1;
            for (int k = 0; k < total.length; k++) {
                total[k] += p.sums()[k];
            }
        }
        if (first >= 0) {
            return Optional.of(new NonFinite(first, why));
        }
        // No row is to blame: one partition's sum overflowed, or adding the partitions' finite sums did.
        return overflow || !Arrays.stream(total).allMatch(Double::isFinite) ? Optional.of(new NonFinite(-1, NonFiniteRow.OVERFLOW)) : Optional.empty();
    }


    /**
     * One partition's part in {@link #firstNonFinite}: its rows, its first non-finite row (-1:
     * only its sum overflows; -2: none) and why, and its sum and derivatives when they are finite.
     */
    private record Probe(int partition, int rows, int row, String message, double[] sums) implements Serializable {
    }

    private static Probe probe(SparkData.Part part, BatchProgram p, Map<String, Double> at, List<String> wrt) {
        Columns c = part.columns();
        double[] sums = new double[1 + wrt.size()];
        if (c.rows() == 0) {
            return new Probe(part.partition(), 0, -2, null, sums);
        }
        // A row that is not finite makes the block's sum not finite, so a finite block needs no row-by-row search.
        BatchResult r = p.gradient(c, at);
        sums[0] = r.sum();
        for (int k = 0; k < wrt.size(); k++) {
            sums[k + 1] = r.gradient().get(wrt.get(k));
        }
        if (Arrays.stream(sums).allMatch(Double::isFinite)) {
            return new Probe(part.partition(), c.rows(), -2, null, sums);
        }
        Optional<NonFiniteRow> bad = p.firstNonFinite(c, at, wrt);
        return new Probe(part.partition(), c.rows(), bad.map(NonFiniteRow::row).orElse(-2), bad.map(NonFiniteRow::message).orElse(null), sums);
    }

    /** Fails on the driver, before any job, for a column the data was not read with. */
    void requireColumns(SparkData data) {
        for (String c : columns) {
            if (!data.columns().contains(c)) {
                throw new IllegalArgumentException("missing column '" + c + "' (columns: " + String.join(", ", data.names()) + ")");
            }
        }
    }

    double[] values(Map<String, Double> at) {
        for (String name : at.keySet()) {
            if (!scalars.contains(name)) {
                throw new IllegalArgumentException(columns.contains(name)
                        ? "'" + name + "' is bound to a column of the data, so it takes no scalar value"
                        : "'" + name + "' is not a scalar input (scalar inputs: " + String.join(", ", scalars) + ")");
            }
        }
        double[] v = new double[scalars.size()];
        for (int k = 0; k < v.length; k++) {
            Double x = at.get(scalars.get(k));
            if (x == null) {
                throw new IllegalArgumentException("missing value for scalar input '" + scalars.get(k) + "'");
            }
            v[k] = x;
        }
        return v;
    }

    static Map<String, Double> bind(List<String> names, double[] values) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            m.put(names.get(k), values[k]);
        }
        return m;
    }

    /** The rows of {@code batch} (sorted global row numbers) that fall in this partition. */
    static Columns select(SparkData.Part part, long[] starts, int[] batch) {
        return select(part, starts[part.partition()], batch.length, i -> batch[i]);
    }

    /**
     * The rows of {@code part}, whose first global row is {@code first}, among {@code count} sorted
     * global row numbers {@code row(0)}, …: a mini-batch's (ints) or a chart's sample (longs).
     */
    static Columns select(SparkData.Part part, long first, int count, java.util.function.IntToLongFunction row) {
        int lo = lowerBound(count, row, first);
        int hi = lowerBound(count, row, first + part.rows());
        Columns all = part.columns();
        Map<String, double[]> m = new LinkedHashMap<>();
        for (String name : all.names()) {
            double[] dst = new double[hi - lo];
            for (int i = lo; i < hi; i++) {
                all.copyTo(name, (int) (row.applyAsLong(i) - first), dst, i - lo, 1);
            }
            m.put(name, dst);
        }
        return new Columns(m);
    }

    private static int lowerBound(int count, java.util.function.IntToLongFunction a, long key) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a.applyAsLong(mid) < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Adds up {@code f} over the partitions by {@code treeAggregate} of {@link #depth}. A data error raised on an
     * executor (a cell that is not a number) comes back as its own exception, not wrapped in
     * Spark's report of the failed stage.
     */
    static double[] aggregate(SparkData data, int width, SparkData.PartFunction f) {
        try {
            return data.parts().treeAggregate(new double[width], (acc, part) -> {
                double[] x = f.apply(part);
                for (int k = 0; k < width; k++) {
                    acc[k] += x[k];
                }
                return acc;
            }, (a, b) -> {
                for (int k = 0; k < width; k++) {
                    a[k] += b[k];
                }
                return a;
            }, depth(data.partitions(), width));
        } catch (Exception e) { // Scala throws SparkException, a checked exception, undeclared
            throw data.failure(e);
        }
    }

    /**
     * The depth of the aggregation tree: 1 (each task's sums go to the driver) while they are small
     * in all, else 2, Spark's default. A second level costs a shuffle stage: on 32 partitions of the
     * toy loss it made a step 1.13–1.48× slower (BENCHMARKS.md), worth it only when the driver would
     * otherwise receive megabytes per step (a network's gradient from many partitions).
     */
    static int depth(int partitions, int width) {
        if (FORCED_DEPTH > 0) {
            return FORCED_DEPTH;
        }
        return (long) partitions * width * Double.BYTES <= DIRECT_BYTES ? 1 : 2;
    }

    /** {@code -Dbackprop.spark.depth=1|2} fixes {@link #depth}, for bench/spark/run.sh to measure both. */
    private static final int FORCED_DEPTH = Integer.getInteger("backprop.spark.depth", 0);

    /**
     * The exception a task threw, if Spark's wrapper carries it; one line if {@code context} was
     * stopped under the job (whatever Spark then threw: a failed stage, an internal error, a null
     * pointer); else {@code e}.
     */
    static RuntimeException unwrap(Exception e, SparkContext context) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.backprop.io.DataException || t instanceof IllegalArgumentException) {
                return (RuntimeException) t;
            }
        }
        boolean stopped = context.isStopped();
        for (Throwable t = e; t != null && !stopped; t = t.getCause()) {
            String m = t.getMessage();
            stopped = m != null && (m.contains("SparkContext was shut down") || m.contains("SparkContext has been shutdown")
                    || m.contains("Cannot call methods on a stopped SparkContext"));
        }
        if (stopped) {
            // Ctrl-C or SIGTERM stopped Spark in the middle of a job, or before the next one, or
            // the master could not be reached (Spark gives up after about a minute) or the cluster
            // ended the application. The exception does not say which, and ./backprop turns
            // Spark's log off, so the line names both and points to no log.
            return new IllegalArgumentException(shuttingDown() ? "Spark stopped before the job finished (interrupted)"
                    : "Spark stopped before the job finished: the master could not be reached or the cluster ended the application");
        }
        if (e instanceof SparkException) {
            String m = e.getMessage();
            int at = m == null ? -1 : m.indexOf("dev.backprop.io.DataException: ");
            if (at >= 0) {
                String line = m.substring(at + "dev.backprop.io.DataException: ".length()).split("\n", 2)[0];
                return new dev.backprop.io.DataException(line);
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }

    /** Whether this JVM is running its shutdown hooks (Ctrl-C, SIGTERM, System.exit). */
    static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return "SparkSum[" + source + " over " + columns + ", scalars " + scalars + ", simd " + simd + "]";
    }
}
