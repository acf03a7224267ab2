package dev.backprop.spark;

import dev.backprop.batch.BatchProgram;
import dev.backprop.book.ToyModel;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import dev.backprop.random.RandomState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The measurement behind BENCHMARKS.md's Spark section (run by {@code bench/spark/run.sh}): the
 * toy loss's gradient over generated rows, on one JVM's batch engine or on Spark, in time per
 * gradient and per row. Also a main class of backprop-spark.jar, so the same measurement can be
 * submitted to a real cluster.
 *
 * <pre>
 * SparkBench single ROWS REPEATS [THREADS]    the batch engine (default: all cores), SIMD from 10⁶ rows
 * SparkBench spark MASTER ROWS PARTITIONS REPEATS   rows made by spark.range, then cached as blocks
 * </pre>
 * Prints one line of {@code key=value} pairs per measurement; times are medians of REPEATS.
 */
public final class SparkBench {
    /** Untimed calls first, as many as C2 needs to compile the kernels. */
    private static final int WARM = 5;
    /**
     * From here on both sides run the SIMD kernel, as the batch engine chooses for a fit's whole
     * work; below it the plain kernel, which needs no warm-up (see BatchProgram).
     */
    private static final long SIMD_ROWS = 1_000_000;

    private SparkBench() {
    }

    /** Runs one measurement (see the class comment). */
    public static void main(String[] args) {
        if (args.length >= 3 && args[0].equals("single")) {
            single(Long.parseLong(args[1]), Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 0);
        } else if (args.length >= 5 && args[0].equals("spark")) {
            spark(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else {
            System.err.println("usage: SparkBench single ROWS REPEATS [THREADS] | spark MASTER ROWS PARTITIONS REPEATS");
            System.exit(2);
        }
    }

    static Map<String, Double> at() {
        Map<String, Double> m = new LinkedHashMap<>();
        String[] names = {"beta0", "omega0", "beta1", "omega1", "beta2", "omega2", "beta3", "omega3"};
        double[] v = {0.3, 1.1, -0.2, 0.7, 0.1, -0.4, 0.5, 0.9};
        for (int k = 0; k < v.length; k++) {
            m.put(names[k], v[k]);
        }
        return m;
    }

    private static void single(long rows, int repeats, int threads) {
        int n = Math.toIntExact(rows);
        RandomState r = new RandomState(1);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.uniform(-4, 4);
            y[i] = Math.sin(x[i]) + r.normal(0, 0.1);
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        Columns data = new Columns(m);
        BatchProgram b = BatchProgram.compile(ToyModel.formula().program(), List.of("x", "y")).withSimd(rows >= SIMD_ROWS);
        if (threads > 0) {
            b = b.withThreads(threads);
        }
        Map<String, Double> at = at();
        double[] t = new double[repeats];
        double sink = 0;
        for (int k = -WARM; k < repeats; k++) { // warm-up calls: C2 compiles the kernels
            long t0 = System.nanoTime();
            sink += b.gradient(data, at).sum();
            if (k >= 0) {
                t[k] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double ms = median(t);
        System.out.printf("mode=single rows=%d threads=%d ms_per_gradient=%.2f ns_per_row=%.3f check=%.6e%n",
                rows, b.threads(), ms, ms * 1e6 / rows, sink / (repeats + WARM));
    }

    private static void spark(String master, long rows, int partitions, int repeats) {
        SparkSession spark = SparkSession.builder().master(master).appName("backprop-bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        // Rows made by Spark itself: x uniform in [-4, 4), y = sin x + N(0, 0.1²) noise.
        Dataset<Row> gen = spark.range(0, rows, 1, partitions)
                .withColumn("x", functions.rand(1).multiply(8).minus(4))
                .withColumn("y", functions.sin(functions.col("x")).plus(functions.randn(2).multiply(0.1)));
        Formula f = ToyModel.formula();
        // SIMD for large data, as the batch engine chooses for a fit's total work; plain for small data.
        SparkSum s = SparkSum.of(f, List.of("x", "y")).withSimd(rows >= SIMD_ROWS);
        SparkData data = SparkData.of(gen, s.columns(), "generated").cache();
        long t0 = System.nanoTime();
        long n = data.rows(); // generates the rows and turns them into cached column blocks
        double load = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> at = at();
        double[] t = new double[repeats];
        double sink = 0;
        for (int k = -WARM; k < repeats; k++) {
            long t1 = System.nanoTime();
            sink += s.gradient(data, at).sum();
            if (k >= 0) {
                t[k] = (System.nanoTime() - t1) / 1e6;
            }
        }
        double ms = median(t);
        // The peer for the fixed cost: the same tree aggregation over the same cached blocks with
        // no work in it (a zero vector per partition), so what is left is Spark's cost of a job.
        double[] empty = new double[repeats];
        for (int k = -WARM; k < repeats; k++) {
            long t1 = System.nanoTime();
            sink += SparkSum.aggregate(data, 10, part -> new double[10])[0];
            if (k >= 0) {
                empty[k] = (System.nanoTime() - t1) / 1e6;
            }
        }
        // And the cost of any Spark job of that many tasks: a tree aggregation over a parallelised
        // list, whose lineage is one RDD rather than a query plan.
        var sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        var plain = sc.parallelize(java.util.stream.IntStream.range(0, partitions).boxed().toList(), partitions);
        double[] job = new double[repeats];
        for (int k = -WARM; k < repeats; k++) {
            long t1 = System.nanoTime();
            sink += plain.treeAggregate(0, (a, b) -> a + b, (a, b) -> a + b, SparkSum.depth(partitions, 10));
            if (k >= 0) {
                job[k] = (System.nanoTime() - t1) / 1e6;
            }
        }
        System.out.printf("mode=spark master=%s rows=%d partitions=%d load_s=%.1f ms_per_gradient=%.2f ns_per_row=%.3f "
                        + "ms_per_empty_aggregation=%.2f ms_per_plain_job=%.2f check=%.6e%n",
                master, n, partitions, load, ms, ms * 1e6 / n, median(empty), median(job), sink / (repeats + WARM));
        data.close();
        spark.stop();
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
