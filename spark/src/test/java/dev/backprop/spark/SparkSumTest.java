package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.book.ToyModel;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import dev.backprop.io.Columns;
import dev.backprop.io.Csv;
import dev.backprop.io.DataException;
import dev.backprop.random.RandomState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed sum and gradient against the single-machine batch engine on the same rows. */
class SparkSumTest {
    private static final SparkSession SPARK = Local.spark();

    /** Columns x, y of {@code n} seeded points, and the same rows as a Spark data set of {@code partitions} partitions. */
    static Columns points(int n, long seed) {
        RandomState r = new RandomState(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.uniform(-4, 4);
            y[i] = Math.sin(x[i]) + r.normal(0, 0.1);
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        return new Columns(m);
    }

    static Dataset<Row> frame(Columns c, int partitions) {
        StructType schema = new StructType();
        for (String name : c.names()) {
            schema = schema.add(name, DataTypes.DoubleType);
        }
        List<Row> rows = new ArrayList<>();
        List<double[]> cols = new ArrayList<>();
        for (String name : c.names()) {
            cols.add(c.column(name));
        }
        for (int i = 0; i < c.rows(); i++) {
            Object[] v = new Object[cols.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = cols.get(k)[i];
            }
            rows.add(RowFactory.create(v));
        }
        // parallelize slices the list in order: partition k holds the k-th run of rows.
        var sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SPARK.sparkContext());
        return SPARK.createDataFrame(sc.parallelize(rows, partitions), schema);
    }

    /**
     * Asserts the distributed result equals the batch engine's within 1e-12 of the sum of the
     * terms' absolute values (of the value, and of each derivative), the bound on rounding in any
     * order of addition.
     */
    static void assertSame(Formula f, Columns data, SparkSum.Result got, Map<String, Double> at) {
        List<String> cols = List.of("x", "y");
        BatchResult want = BatchProgram.compile(f.program(), cols).gradient(data, at);
        Program p = f.program();
        double absValue = 0;
        Map<String, Double> absGrad = new LinkedHashMap<>();
        double[] x = data.column("x");
        double[] y = data.column("y");
        for (int i = 0; i < data.rows(); i++) {
            Map<String, Double> point = new LinkedHashMap<>(at);
            point.put("x", x[i]);
            point.put("y", y[i]);
            var e = p.evaluate(point);
            absValue += Math.abs(e.value());
            Gradient g = e.gradient();
            for (String s : at.keySet()) {
                absGrad.merge(s, Math.abs(g.of(p.inputNode(s))), Double::sum);
            }
        }
        assertThat(got.n()).isEqualTo(data.rows());
        assertThat(Math.abs(got.sum() - want.sum())).isLessThanOrEqualTo(1e-12 * absValue);
        assertThat(got.gradient().keySet()).containsExactlyElementsOf(want.gradient().keySet());
        for (String s : at.keySet()) {
            assertThat(Math.abs(got.gradient().get(s) - want.gradient().get(s)))
                    .as("∂/∂" + s).isLessThanOrEqualTo(1e-12 * absGrad.get(s));
        }
        // Not vacuous: the gradient is far from zero at these points.
        assertThat(want.gradient().values().stream().mapToDouble(Math::abs).max().orElse(0)).isGreaterThan(1e-3);
    }

    static Map<String, Double> toyPoint() {
        Map<String, Double> at = new LinkedHashMap<>();
        double[] v = {0.3, 1.1, -0.2, 0.7, 0.1, -0.4, 0.5, 0.9};
        String[] names = {"beta0", "omega0", "beta1", "omega1", "beta2", "omega2", "beta3", "omega3"};
        for (int k = 0; k < v.length; k++) {
            at.put(names[k], v[k]);
        }
        return at;
    }

    @Test
    void toyLossGradientEqualsTheBatchEngine() {
        Columns data = points(20_000, 1);
        Formula f = ToyModel.formula();
        SparkSum s = SparkSum.of(f, List.of("x", "y"));
        Dataset<Row> rows = frame(data, 5);
        assertThat(rows.rdd().getNumPartitions()).isEqualTo(5);
        SparkData d = SparkData.of(rows, s.columns(), "points");
        assertThat(d.starts()).containsExactly(0, 4000, 8000, 12000, 16000, 20000);
        SparkSum.Result r = s.gradient(d, toyPoint());
        assertSame(f, data, r, toyPoint());
        // The SIMD kernel is held to the same bound.
        assertSame(f, data, s.withSimd(true).gradient(SparkData.of(rows, s.columns(), "points"), toyPoint()), toyPoint());
    }

    @Test
    void straightLineGradientEqualsTheBatchEngine() {
        Columns data = points(3_000, 2);
        Formula f = Formula.compile("(a*x + b - y)^2");
        SparkSum s = SparkSum.of(f, List.of("x", "y"));
        Map<String, Double> at = Map.of("a", 0.5, "b", -0.25);
        assertSame(f, data, s.gradient(SparkData.of(frame(data, 3), s.columns(), "points"), at), at);
        assertThat(s.value(SparkData.of(frame(data, 3), s.columns(), "points"), at).gradient()).isEmpty();
    }

    @Test
    void partitionsWithNoRowsAddNothing() {
        Columns data = points(5, 3);
        Formula f = Formula.compile("(a*x + b - y)^2");
        SparkSum s = SparkSum.of(f, List.of("x", "y"));
        Dataset<Row> rows = frame(data, 1).repartition(8); // 5 rows in 8 partitions: at least 3 empty
        SparkData d = SparkData.of(rows, s.columns(), "points");
        long[] starts = d.starts();
        int empty = 0;
        for (int k = 0; k + 1 < starts.length; k++) {
            empty += starts[k + 1] == starts[k] ? 1 : 0;
        }
        assertThat(empty).isGreaterThanOrEqualTo(3);
        Map<String, Double> at = Map.of("a", 0.5, "b", -0.25);
        // repartition reorders the rows; the sum does not depend on their order.
        assertSame(f, data, s.gradient(d, at), at);
    }

    @Test
    void anEmptyDataSetSumsToZeroOverNoRows() {
        Formula f = Formula.compile("(a*x + b - y)^2");
        SparkSum s = SparkSum.of(f, List.of("x", "y"));
        Dataset<Row> none = frame(points(10, 4), 2).limit(0);
        SparkSum.Result r = s.gradient(SparkData.of(none, s.columns(), "none"), Map.of("a", 1.0, "b", 2.0));
        assertThat(r.n()).isZero();
        assertThat(r.sum()).isZero();
        assertThat(r.mean()).isNaN();
        assertThat(r.gradient()).containsEntry("a", 0.0).containsEntry("b", 0.0);
    }

    @Test
    void aMissingColumnIsNamedAsTheBatchEngineNamesIt() {
        Columns data = points(10, 5);
        Formula f = Formula.compile("(a*x + b - z)^2");
        String want = null;
        try {
            BatchProgram.compile(f.program(), List.of("x", "z")).gradient(data, Map.of("a", 1.0, "b", 1.0));
        } catch (IllegalArgumentException e) {
            want = e.getMessage();
        }
        assertThat(want).isEqualTo("missing column 'z' (columns: x, y)");
        Dataset<Row> rows = frame(data, 2);
        assertThatThrownBy(() -> SparkData.of(rows, List.of("x", "z"), "points"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(want);
    }

    @Test
    void aCellThatIsNotANumberFailsAsInACsvFile(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "x,y\n1,2\n3,abc\n5,6\n");
        Formula f = Formula.compile("(a*x - y)^2");
        String want = null;
        try {
            Columns c = Csv.read(csv);
            BatchProgram.compile(f.program(), List.of("x", "y")).gradient(c, Map.of("a", 1.0));
        } catch (DataException e) {
            want = e.getMessage();
        }
        // One machine knows the line and the column (":3:2"); Spark does not, and says the rest alike.
        assertThat(want).isEqualTo(csv + ":3:2: 'abc' is not a number (column y)");
        Dataset<Row> rows = SPARK.read().option("header", true).csv(csv.toString());
        SparkSum s = SparkSum.of(f, List.of("x", "y"));
        // Spark names the row instead (row 2 of the data, the file's line 3).
        assertThatThrownBy(() -> s.gradient(SparkData.of(rows, s.columns(), csv.toString()), Map.of("a", 1.0)))
                .isInstanceOf(DataException.class)
                .hasMessage(want.replace(":3:2:", ":").replace("(column y)", "(column y, row 2 in Spark's order of the rows)"));
        // Text that is numbers is read with the command line's syntax: inf, nan, .5
        Files.writeString(csv, "x,y\n.5,inf\n2,3\n");
        Dataset<Row> ok = SPARK.read().option("header", true).csv(csv.toString());
        assertThat(s.value(SparkData.of(ok, s.columns(), csv.toString()), Map.of("a", 1.0)).sum()).isInfinite();
    }

    /**
     * A bad cell past the first partition is named by its row in the whole data: the partition
     * knows only its own rows, and the driver adds the rows of the partitions before it. A text
     * cell that is not a number and a null in a numeric column alike.
     */
    @Test
    void aBadCellInALaterPartitionIsNamedByItsRowInTheWholeData() {
        StructType schema = new StructType().add("x", DataTypes.StringType).add("y", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(RowFactory.create(Integer.toString(i), 1.0));
        }
        rows.set(1233, RowFactory.create("abc", 1.0));
        var sc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(SPARK.sparkContext());
        Dataset<Row> frame = SPARK.createDataFrame(sc.parallelize(rows, 3), schema); // 1000 rows a partition, in order
        SparkSum s = SparkSum.of(Formula.compile("a*x*y"), List.of("x", "y"));
        // Row 1234 counted from 1 (1233 from 0) lies in the second partition, 234th row there.
        assertThatThrownBy(() -> s.gradient(SparkData.of(frame, s.columns(), "t"), Map.of("a", 1.0)))
                .isInstanceOf(DataException.class)
                .hasMessage("t: 'abc' is not a number (column x, row 1234 in Spark's order of the rows)");
        // One bad cell at a time: with two, which failed task Spark reports first is a race.
        rows.set(1233, RowFactory.create("1233", 1.0));
        rows.set(2500, RowFactory.create("2500", null));
        Dataset<Row> nulls = SPARK.createDataFrame(sc.parallelize(rows, 3), schema);
        assertThatThrownBy(() -> s.gradient(SparkData.of(nulls, s.columns(), "t"), Map.of("a", 1.0)))
                .isInstanceOf(DataException.class)
                .hasMessage("t: '' is not a number (column y, row 2501 in Spark's order of the rows)");
    }

    /** 3000 rows of x in [0.5, 1.4] and y, in 3 partitions of 1000, with x = -1 at the rows {@code bad} (from 0). */
    static Columns logRows(int... bad) {
        double[] x = new double[3000];
        double[] y = new double[3000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5 + (i % 10) * 0.1;
            y[i] = Math.log(x[i]) + 0.01 * (i % 7);
        }
        for (int i : bad) {
            x[i] = -1;
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        return new Columns(m);
    }

    /**
     * The first non-finite row is the batch engine's on the whole data: the same row and the same
     * step. Row 1233 (from 0) lies 233 rows into the second partition, and row 2100 only 100 rows
     * into the third: the earliest in the whole data wins, not the earliest within a partition.
     */
    @Test
    void theFirstNonFiniteRowIsTheBatchEnginesRowInTheWholeData() {
        Formula f = Formula.compile("(a*log(x) - y)^2");
        Columns data = logRows(2100, 1233);
        Map<String, Double> at = Map.of("a", 1.0);
        var want = BatchProgram.compile(f.program(), List.of("x", "y")).firstNonFinite(data, at, List.of("a")).orElseThrow();
        assertThat(want.row()).isEqualTo(1233);
        assertThat(want.message()).contains("log(x)").contains("NaN");
        SparkSum s = SparkSum.of(f, List.of("x", "y"));
        SparkData d = SparkData.of(frame(data, 3), s.columns(), "rows");
        assertThat(s.gradient(d, at).sum()).isNaN();
        assertThat(s.firstNonFinite(d, at)).contains(new SparkSum.NonFinite(1233, want.message()));
        // The job that found the row also counted each partition's rows: no job of its own for them.
        assertThat(d.starts()).containsExactly(0, 1000, 2000, 3000);

        SparkData clean = SparkData.of(frame(logRows(), 3), s.columns(), "rows");
        assertThat(s.firstNonFinite(clean, at)).isEmpty();
        assertThatThrownBy(() -> s.firstNonFinite(clean, at, List.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x' is not a scalar input");
    }

    /**
     * Every row finite, every partition's sum finite, and their total overflows: no row is to
     * blame, and the words are the batch engine's for the same data on one machine.
     */
    @Test
    void aSumThatOverflowsOnlyWhenThePartitionsAreAddedBlamesNoRow() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", new double[] {1e308, 1e308, 1e308});
        Columns data = new Columns(m);
        Formula f = Formula.compile("a*x");
        var want = BatchProgram.compile(f.program(), List.of("x")).firstNonFinite(data, Map.of("a", 1.0), List.of("a")).orElseThrow();
        assertThat(want.row()).isEqualTo(-1);
        SparkSum s = SparkSum.of(f, List.of("x"));
        SparkData d = SparkData.of(frame(data, 3), s.columns(), "big");
        assertThat(s.firstNonFinite(d, Map.of("a", 1.0))).contains(new SparkSum.NonFinite(-1, want.message()));
    }

    @Test
    void aColumnOfAnotherTypeIsRefusedBeforeAnyJob() {
        StructType schema = new StructType().add("x", DataTypes.DoubleType).add("y", DataTypes.BooleanType);
        Dataset<Row> rows = SPARK.createDataFrame(List.of(RowFactory.create(1.0, true)), schema);
        assertThatThrownBy(() -> SparkData.of(rows, List.of("x", "y"), "t"))
                .isInstanceOf(DataException.class).hasMessage("t: column 'y' holds boolean values, not numbers");
    }

    @Test
    void integerColumnsAreReadAsNumbers() {
        Dataset<Row> rows = SPARK.range(0, 100, 1, 3).toDF("x");
        SparkSum s = SparkSum.of(Formula.compile("a*x"), List.of("x"));
        SparkSum.Result r = s.gradient(SparkData.of(rows, s.columns(), "range"), Map.of("a", 2.0));
        assertThat(r.sum()).isEqualTo(2 * 4950.0);
        assertThat(r.gradient()).containsEntry("a", 4950.0);
    }

    @Test
    void aBlockSpilledToDiskComesBackWhole() throws Exception {
        Columns c = points(700, 13);
        SparkData.Part part = new SparkData.Part(3, c);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(part);
        }
        Object back;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertThat(back).isInstanceOf(SparkData.Part.class);
        SparkData.Part p = (SparkData.Part) back;
        assertThat(p.partition()).isEqualTo(3);
        assertThat(p.columns().names()).containsExactly("x", "y");
        assertThat(p.columns().column("x")).containsExactly(c.column("x"));
        assertThat(p.columns().column("y")).containsExactly(c.column("y"));
    }

    /**
     * Partial sums small in all go straight to the driver (depth 1, no shuffle stage); a wide
     * vector from several partitions (a network's gradient) is added in a tree of depth 2. Both
     * paths add every partition's vector exactly once.
     */
    @Test
    void theAggregationTreeIsAsDeepAsTheSumsAreWide() {
        assertThat(SparkSum.depth(32, 10)).isEqualTo(1);
        assertThat(SparkSum.depth(10_000, 10)).isEqualTo(1);
        assertThat(SparkSum.depth(8, 300_000)).isEqualTo(2);
        assertThat(SparkSum.depth(1_000, 10_000)).isEqualTo(2);
        SparkData d = SparkData.of(frame(points(64, 3), 8), List.of("x"), "points");
        for (int width : new int[] {3, 300_000}) {
            double[] r = SparkSum.aggregate(d, width, part -> {
                double[] v = new double[width];
                java.util.Arrays.fill(v, part.rows());
                v[0] = part.partition() + 1;
                return v;
            });
            assertThat(r[0]).as("width %d", width).isEqualTo(36.0); // 1 + 2 + … + 8
            assertThat(r[width - 1]).as("width %d", width).isEqualTo(64.0);
        }
    }

    /**
     * Local checkpoints: on in local mode (nothing to recompute a block from that the JVM would not
     * also lose), unless the property says otherwise; the cluster path (off) runs in
     * spark/cluster-check. A checkpointed set sums as before.
     */
    @Test
    void blocksAreLocalCheckpointsInLocalMode() {
        var sc = SPARK.sparkContext();
        assertThat(SparkData.localCheckpoint(sc)).isTrue();
        String was = System.getProperty("backprop.spark.localCheckpoint");
        try {
            System.setProperty("backprop.spark.localCheckpoint", "false");
            assertThat(SparkData.localCheckpoint(sc)).isFalse();
        } finally {
            if (was == null) {
                System.clearProperty("backprop.spark.localCheckpoint");
            } else {
                System.setProperty("backprop.spark.localCheckpoint", was);
            }
        }
        Columns data = points(500, 17);
        Formula f = Formula.compile("(a*sin(b*x) - y)^2");
        SparkSum s = SparkSum.of(f, List.of("x", "y"));
        Map<String, Double> at = Map.of("a", 1.2, "b", 0.9);
        try (SparkData d = SparkData.of(frame(data, 4), s.columns(), "points").cache()) {
            for (int k = 0; k < 2; k++) { // the first job makes the checkpoint, the second reads it
                assertSame(f, data, s.gradient(d, at), at);
            }
        }
    }

    /**
     * SIGTERM or Ctrl-C stops Spark's context from Spark's own shutdown hook, under a job or before
     * the next: each of Spark's ways of saying so becomes one line, not an internal error with a
     * stack trace (it was, for the job started after the stop). Outside a shutdown (as here) it was
     * an unreachable master or the cluster that ended the application: the line says so rather
     * than "interrupted", and points to no log (./backprop turns Spark's log off).
     */
    @Test
    void aStoppedSparkIsOneLineWhateverSparkCallsIt() {
        for (String said : List.of("Job 7 cancelled because SparkContext was shut down", "SparkContext has been shutdown",
                "Cannot call methods on a stopped SparkContext.")) {
            RuntimeException e = SparkSum.unwrap(new IllegalStateException("outer", new IllegalStateException(said)),
                    Local.spark().sparkContext());
            assertThat(e).as(said).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Spark stopped before the job finished: the master could not be reached or the cluster ended the application");
        }
        RuntimeException other = SparkSum.unwrap(new IllegalStateException("something else"), Local.spark().sparkContext());
        assertThat(other).isNotInstanceOf(IllegalArgumentException.class);
    }
}
