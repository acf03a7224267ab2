package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.cli.Main;
import dev.backprop.io.JsonReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grad --spark} and {@code fit --spark} through the command line's own entry point, against
 * the same commands without {@code --spark}: the same JSON keys, and numbers equal within 1e-12
 * relative for a gradient (the partitions' sums are added in another order than the blocks') and
 * 1e-9 for a fit (that difference carried through the steps). The data: 1000 seeded points of
 * y = sin x + noise, written by numpy-free Java so the test needs no tool.
 */
class SparkCliTest {
    @TempDir
    static Path dir;
    static Path csv;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static String[] with(String[] args, String... more) {
        List<String> l = new ArrayList<>(List.of(args));
        l.addAll(List.of(more));
        return l.toArray(new String[0]);
    }

    @BeforeAll
    static void data() throws IOException {
        Local.spark(); // joined by the command, so the suite starts Spark once
        csv = dir.resolve("d.csv");
        var c = SparkSumTest.points(1000, 21);
        StringBuilder sb = new StringBuilder("x,y\n");
        double[] x = c.column("x");
        double[] y = c.column("y");
        for (int i = 0; i < x.length; i++) {
            sb.append(x[i]).append(',').append(y[i]).append('\n');
        }
        Files.writeString(csv, sb);
    }

    /** Asserts two JSON texts have the same structure and numbers within {@code rel}. */
    static void assertJsonClose(String got, String want, double rel) {
        assertClose(JsonReader.parse(got, "got"), JsonReader.parse(want, "want"), rel, "$");
    }

    private static void assertClose(Object got, Object want, double rel, String at) {
        if (want instanceof Map<?, ?> w) {
            assertThat(got).as(at).isInstanceOf(Map.class);
            Map<?, ?> g = (Map<?, ?>) got;
            assertThat(new ArrayList<>(g.keySet())).as(at).isEqualTo(new ArrayList<>(w.keySet()));
            for (Object k : w.keySet()) {
                assertClose(g.get(k), w.get(k), rel, at + "." + k);
            }
        } else if (want instanceof List<?> w) {
            // A network's weights: lists of lists of numbers, each held to the same tolerance.
            assertThat(got).as(at).isInstanceOf(List.class);
            List<?> g = (List<?>) got;
            assertThat(g).as(at).hasSameSizeAs(w);
            for (int i = 0; i < w.size(); i++) {
                assertClose(g.get(i), w.get(i), rel, at + "[" + i + "]");
            }
        } else if (want instanceof Double w && got instanceof Double g) {
            assertThat(Math.abs(g - w)).as(at + ": " + g + " vs " + w).isLessThanOrEqualTo(rel * Math.abs(w));
        } else {
            assertThat(got).as(at).isEqualTo(want);
        }
    }

    @Test
    void gradPrintsTheSingleMachineJson() {
        String[] args = {"grad", "(a*x + b - y)^2", "--data", csv.toString(), "--at", "a=0.5,b=-1", "--json"};
        Run one = run(args);
        Run many = run(with(args, "--spark", "local[2]"));
        assertThat(one.code()).isZero();
        assertThat(many.code()).as(many.err()).isZero();
        assertThat(many.err()).isEmpty();
        assertJsonClose(many.out(), one.out(), 1e-12);
        // The text output too: the same lines, the same origin named.
        Run text = run("grad", "(a*x + b - y)^2", "--data", csv.toString(), "--at", "a=0.5,b=-1", "--spark", "local[2]", "--digits", "6");
        Run textOne = run("grad", "(a*x + b - y)^2", "--data", csv.toString(), "--at", "a=0.5,b=-1", "--digits", "6");
        assertThat(text.out()).isEqualTo(textOne.out());
    }

    @Test
    void parquetAndADirectoryOfCsvFilesGiveTheSameSums() throws IOException {
        Path parquet = dir.resolve("d.parquet");
        Local.spark().read().option("header", true).option("inferSchema", true).csv(csv.toString())
                .write().mode("overwrite").parquet(parquet.toString());
        Path parts = dir.resolve("parts");
        Files.createDirectories(parts);
        List<String> lines = Files.readAllLines(csv);
        Files.write(parts.resolve("a.csv"), lines.subList(0, 400));
        List<String> rest = new ArrayList<>(List.of(lines.get(0)));
        rest.addAll(lines.subList(400, lines.size()));
        Files.write(parts.resolve("b.csv"), rest);
        String[] args = {"grad", "(a*x + b - y)^2", "--at", "a=0.5,b=-1", "--json", "--data"};
        Run one = run(with(args, csv.toString()));
        for (Path p : List.of(parquet, parts)) {
            Run many = run(with(args, p.toString(), "--spark", "local[2]"));
            assertThat(many.code()).as(many.err()).isZero();
            assertJsonClose(many.out(), one.out(), 1e-12);
        }
    }

    @Test
    void fitPrintsTheSingleMachineJsonAndWritesOut() throws IOException {
        Path outOne = dir.resolve("one.json");
        Path outMany = dir.resolve("many.json");
        String[] args = {"fit", "(a*x + b - y)^2", "--data", csv.toString(), "--init", "a=0,b=1", "--optimizer", "adam",
            "--lr", "0.05", "--steps", "40", "--json", "--out"};
        Run one = run(with(args, outOne.toString()));
        Run many = run(with(args, outMany.toString(), "--spark", "local[2]"));
        assertThat(one.code()).isZero();
        assertThat(many.code()).as(many.err()).isZero();
        assertJsonClose(many.out(), one.out(), 1e-9);
        assertJsonClose(Files.readString(outMany), Files.readString(outOne), 1e-9);
    }

    @Test
    void aDivergingFitStopsAsOnOneMachine() {
        String[] args = {"fit", "(a*x + b - y)^2", "--data", csv.toString(), "--init", "a=0,b=1", "--optimizer", "gd",
            "--lr", "10", "--steps", "500", "--json"};
        Run one = run(args);
        Run many = run(with(args, "--spark", "local[2]"));
        assertThat(one.code()).isEqualTo(1);
        assertThat(many.code()).isEqualTo(1);
        assertThat(many.out()).contains("\"stop\": \"diverged at step");
        assertJsonClose(many.out(), one.out(), 1e-9);
    }

    @Test
    void badDataIsOneLineAndExitTwo() throws IOException {
        Path text = dir.resolve("t.csv");
        Files.writeString(text, "x,y\n1,2\n3,abc\n");
        Path empty = dir.resolve("e.csv");
        Files.writeString(empty, "x,y\n");
        Object[][] cases = {
            {csv, "(a*x - z)^2", "no column 'z'|neither a column"},
            {text, "(a*x - y)^2", "'abc' is not a number \\(column y, row 2 "},
            {empty, "(a*x - y)^2", "no rows of data"},
            {dir.resolve("missing.csv"), "(a*x - y)^2", "no such file"},
        };
        for (Object[] c : cases) {
            for (String command : List.of("grad", "fit")) {
                String[] args = {command, (String) c[1], "--data", c[0].toString(), command.equals("grad") ? "--at" : "--init", "a=1"};
                Run one = run(args);
                Run r = run(with(args, "--spark", "local[2]"));
                assertThat(r.code()).as(command + " " + c[0] + ": " + r.err()).isEqualTo(2);
                assertThat(r.out()).isEmpty();
                assertThat(r.err()).containsPattern((String) c[2]).doesNotContain("\tat ").endsWith("\n");
                assertThat(r.err().lines().count()).isEqualTo(1);
                // The single machine's words, less the line and column that Spark does not know,
                // and less "(only a header)", which Spark cannot tell from a file of no lines.
                // Spark names the row (the file's line 3 is row 2) where one machine names the line.
                assertThat(r.err()).isEqualTo(one.err().replaceFirst(":\\d+:\\d+:", ":").replace(" (only a header)", "")
                        .replace("(column y)", "(column y, row 2 in Spark's order of the rows)"));
            }
        }
    }

    /**
     * What the command line's CSV reader refuses, --spark refuses too, in one line: a row with
     * more or fewer cells than the header (Spark would cut or pad it), an empty file, a repeated
     * column name (Spark would rename it x0, x1), a directory mixing kinds or holding another file
     * (Spark would read it as CSV). A file named like a pattern is read as the file it is.
     */
    @Test
    void csvFilesAreHeldToTheCommandLinesRules() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("shapes"));
        Files.writeString(sub.resolve("extra.csv"), "x,y\n1,2,3\n4,5\n");
        Files.writeString(sub.resolve("short.csv"), "x,y\n1,2\n4\n");
        Files.writeString(sub.resolve("empty.csv"), "");
        Files.writeString(sub.resolve("twice.csv"), "x,x,y\n1,2,3\n");
        Path mixed = Files.createDirectories(sub.resolve("mixed"));
        Files.writeString(mixed.resolve("a.csv"), "x,y\n1,2\n");
        Files.writeString(mixed.resolve("b.parquet"), "not really");
        Path other = Files.createDirectories(sub.resolve("other"));
        Files.writeString(other.resolve("a.csv"), "x,y\n1,2\n");
        Files.writeString(other.resolve("notes.txt"), "x\n");
        Object[][] cases = {
            {sub.resolve("extra.csv"), "extra.csv: the row '1,2,3' has 3 cells, the header has 2"},
            {sub.resolve("short.csv"), "short.csv: the row '4' has 1 cell, the header has 2"},
            {sub.resolve("empty.csv"), "empty.csv: empty file (a header row of column names is needed)"},
            {sub.resolve("twice.csv"), "twice.csv:1:2: column 'x' appears twice (first as column 1)"},
            {mixed, "mixed: a directory with both .csv and .parquet files; give a directory of one kind"},
            {other, "other: holds notes.txt, which is not a .csv file; Spark would read it as one"},
        };
        for (Object[] c : cases) {
            String[] args = {"grad", "(a*x - y)^2", "--data", c[0].toString(), "--at", "a=1", "--spark", "local[2]"};
            Run r = run(args);
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("backprop: ").endsWith((String) c[1] + "\n");
            assertThat(r.err().lines().count()).isEqualTo(1);
        }
        Path pattern = sub.resolve("run[1]{a}.csv");
        Files.copy(csv, pattern);
        String[] args = {"grad", "(a*x - y)^2", "--data", pattern.toString(), "--at", "a=1", "--json"};
        Run one = run(args);
        Run r = run(with(args, "--spark", "local[2]"));
        assertThat(r.code()).as(r.err()).isZero();
        assertJsonClose(r.out(), one.out(), 1e-12);
    }

    /** {@link SparkFitTest#labelled}'s rows (x, y and the class label c) as a CSV file. */
    static Path labelledCsv(String name) throws IOException {
        var c = SparkFitTest.labelled(300, 31);
        StringBuilder sb = new StringBuilder("x,y,c\n");
        for (int i = 0; i < c.rows(); i++) {
            sb.append(c.column("x")[i]).append(',').append(c.column("y")[i]).append(',').append((int) c.column("c")[i]).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void trainPrintsTheSingleMachineJsonAndWritesOut() throws IOException {
        Path classes = labelledCsv("c.csv");
        Path parquet = dir.resolve("c.parquet");
        Local.spark().read().option("header", true).option("inferSchema", true).csv(classes.toString())
                .write().mode("overwrite").parquet(parquet.toString());
        String[] squared = {"train", "--inputs", "x", "--targets", "y", "--layers", "1", "--width", "6", "--optimizer", "adam",
            "--lr", "0.02", "--steps", "15", "--seed", "3", "--json"};
        String[] xent = {"train", "--inputs", "x,y", "--targets", "c", "--loss", "xent", "--layers", "1", "--width", "5",
            "--optimizer", "adam", "--lr", "0.05", "--epochs", "2", "--batch", "64", "--seed", "2", "--json"};
        Object[][] cases = {{squared, csv, csv}, {xent, classes, classes}, {xent, classes, parquet}};
        int k = 0;
        for (Object[] c : cases) {
            String[] args = with((String[]) c[0], "--data");
            Path outOne = dir.resolve("net-one-" + k + ".json");
            Path outMany = dir.resolve("net-many-" + k++ + ".json");
            Run one = run(with(args, c[1].toString(), "--out", outOne.toString()));
            Run many = run(with(args, c[2].toString(), "--out", outMany.toString(), "--spark", "local[2]"));
            assertThat(one.code()).as(one.err()).isZero();
            assertThat(many.code()).as(many.err()).isZero();
            assertThat(many.err()).isEmpty();
            assertThat(many.out()).contains("\"steps\"");
            assertJsonClose(many.out(), one.out(), 1e-9);
            assertJsonClose(Files.readString(outMany), Files.readString(outOne), 1e-9);
        }
        // Resuming the saved classifier (its kind, shape and classes come from the file) on Spark.
        String[] resume = {"train", "--init", "@" + dir.resolve("net-one-1.json"), "--optimizer", "sgd", "--lr", "0.1",
            "--steps", "5", "--json", "--data", classes.toString()};
        Run one = run(resume);
        Run many = run(with(resume, "--spark", "local[2]"));
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(many.code()).as(many.err()).isZero();
        assertThat(many.out()).contains("\"initial_accuracy\"");
        assertJsonClose(many.out(), one.out(), 1e-9);
    }

    @Test
    void trainRefusesWhatSparkCannotDoInOneLine() throws IOException {
        Path bad = dir.resolve("bad-label.csv");
        Files.writeString(bad, "x,c\n0.5,0\n1.5,1\n2.5,1.5\n3.5,1\n");
        Path three = dir.resolve("three.csv");
        Files.writeString(three, "x,c\n0.5,0\n1.5,2\n2.5,1\n");
        String[] xent = {"train", "--inputs", "x", "--targets", "c", "--loss", "xent", "--steps", "2", "--data"};
        Object[][] cases = {
            {with(xent, bad.toString()), "'c' is 1.5, not a class label"},
            {with(xent, three.toString(), "--classes", "2"), "'c' is 2, but --classes gives 2 classes"},
            {with(xent, csv.toString()), "has no column 'c'"},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            Run one = run(args);
            Run r = run(with(args, "--spark", "local[2]"));
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains((String) c[1]).doesNotContain("\tat ");
            assertThat(r.err().lines().count()).isEqualTo(1);
            // The single machine's words, the CSV line number that Spark does not know replaced by
            // the row's place in Spark's order (the same row here: one small file, read in order).
            assertThat(r.err()).isEqualTo(one.err().replaceFirst(" line \\d+\\)", ", in Spark's order of the rows)"));
        }
        Run npy = run("train", "--inputs", "x", "--targets", "y", "--data", "x=x.npy,y=y.npy", "--spark", "local[2]");
        assertThat(npy.code()).isEqualTo(2);
        assertThat(npy.err()).startsWith("backprop: --spark reads --data as CSV").doesNotContain("\tat ");
        assertThat(npy.err().lines().count()).isEqualTo(1);
    }

    @Test
    void aBadMasterIsOneLine() {
        Run r = run("grad", "a*x", "--data", csv.toString(), "--at", "a=1", "--spark", "");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("backprop: --spark needs a master URL").doesNotContain("\tat ");
    }

    /**
     * Spark's message when the yarn or Kubernetes cluster manager is not on the class path (the
     * case under ./backprop, whose spark/target/lib has neither); this suite's JVM already runs a
     * session, which a second master would join instead of failing, so the message is taken as
     * Spark words it (SparkContext.createTaskScheduler).
     */
    @Test
    void yarnAndKubernetesPointToSparkSubmit() {
        for (String master : List.of("yarn", "k8s://https://host:6443")) {
            String m = CliBackend.masterError(master, "Could not parse Master URL: '" + master + "'");
            assertThat(m).startsWith("--spark " + master + ": this master works when spark/target/backprop-spark.jar "
                    + "is submitted with the cluster's spark-submit (README \"On a cluster\")").doesNotContain("\n");
        }
        assertThat(CliBackend.masterError("nowhere", "Could not parse Master URL: 'nowhere'"))
                .isEqualTo("--spark nowhere: Could not parse Master URL: 'nowhere'");
        assertThat(CliBackend.masterError("yarn", "Cannot run program"))
                .isEqualTo("--spark yarn: Cannot run program");
    }

    @Test
    void aTableOfTheSessionIsNamedByTable() {
        Local.spark().read().option("header", true).option("inferSchema", true).csv(csv.toString()).createOrReplaceTempView("points");
        String[] args = {"grad", "(a*x + b - y)^2", "--at", "a=0.5,b=-1", "--json", "--data"};
        Run one = run(with(args, csv.toString()));
        Run many = run(with(args, "table:points", "--spark", "local[2]"));
        assertThat(many.code()).as(many.err()).isZero();
        assertJsonClose(many.out(), one.out(), 1e-12);
        Run missing = run(with(args, "table:nowhere", "--spark", "local[2]"));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("backprop: table:nowhere: ").doesNotContain("\tat ");
        assertThat(missing.err().lines().count()).isEqualTo(1);
    }

    /**
     * 3000 rows of x, y as a CSV file of lines of one width, with {@code x} at row 1234 (the
     * file's line 1235): split by Spark into 4 partitions when they are made at most 16,000
     * bytes (see {@link #smallPartitions}), that row in the second.
     */
    static Path logCsv(String name, String x) throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 3000; i++) {
            double xi = 0.5 + (i % 10) * 0.1;
            sb.append(i == 1233 ? x : String.format(java.util.Locale.ROOT, "%.4f", xi)).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.6f", Math.log(xi) + 0.01 * (i % 7))).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    /** Runs {@code body} with CSV files read in partitions of at most 16,000 bytes, so a small file spans several. */
    static void smallPartitions(Runnable body) {
        var conf = Local.spark().conf();
        conf.set("spark.sql.files.maxPartitionBytes", "16000");
        try {
            body.run();
        } finally {
            conf.unset("spark.sql.files.maxPartitionBytes");
        }
    }

    /** Spark jobs started so far in the test session (the commands join it). */
    static int jobs() {
        return Local.spark().sparkContext().dagScheduler().numTotalJobs();
    }

    /**
     * A sum made NaN by log(-1) at row 1234, in the second of 4 partitions: grad --spark names
     * the same row and the same step as grad on one machine, at the cost of one more Spark job,
     * which a finite sum never runs.
     */
    @Test
    void aNonFiniteSumNamesItsFirstRowAsOnOneMachine() throws IOException {
        Path bad = logCsv("log-bad.csv", "-1.0000");
        Path good = logCsv("log-good.csv", "1.0000");
        smallPartitions(() -> {
            SparkData d = SparkData.of(Local.spark().read().option("header", true).csv(bad.toString()), List.of("x"), "log-bad.csv");
            assertThat(d.partitions()).isGreaterThanOrEqualTo(3);
            assertThat(d.starts()[1]).as("row 1234 is past the first partition").isLessThanOrEqualTo(1233);
            String[] args = {"grad", "(a*log(x) - y)^2", "--at", "a=1", "--digits", "6", "--data"};
            Run one = run(with(args, bad.toString()));
            assertThat(one.code()).isZero();
            assertThat(one.err()).startsWith("backprop: warning: row 1234 (" + bad + " line 1235): ").contains("log(x)");

            int before = jobs();
            Run fine = run(with(args, good.toString(), "--spark", "local[2]"));
            int finite = jobs() - before;
            assertThat(fine.code()).as(fine.err()).isZero();
            assertThat(fine.err()).isEmpty();

            before = jobs();
            Run many = run(with(args, bad.toString(), "--spark", "local[2]"));
            int nonFinite = jobs() - before;
            assertThat(many.code()).as(many.err()).isZero();
            assertThat(many.out()).isEqualTo(one.out());
            assertThat(many.err()).isEqualTo(one.err().replace(" line 1235)", ", in Spark's order of the rows)"));
            assertThat(nonFinite).as("jobs of a non-finite sum beyond a finite one's").isEqualTo(finite + 1);
        });
    }

    /** A cell that is not a number at row 1234, in the second partition: named by that row, one line, exit code 2. */
    @Test
    void aBadCellInALaterPartitionIsNamedByItsRow() throws IOException {
        Path bad = logCsv("log-text.csv", "abc");
        smallPartitions(() -> {
            for (String command : List.of("grad", "fit")) {
                String[] args = {command, "(a*log(x) - y)^2", "--data", bad.toString(), command.equals("grad") ? "--at" : "--init", "a=1"};
                Run one = run(args);
                assertThat(one.err()).isEqualTo("backprop: " + bad + ":1235:1: 'abc' is not a number (column x)\n");
                Run r = run(with(args, "--spark", "local[2]"));
                assertThat(r.code()).as(r.err()).isEqualTo(2);
                assertThat(r.out()).isEmpty();
                assertThat(r.err()).isEqualTo("backprop: " + bad + ": 'abc' is not a number (column x, row 1234 in Spark's order of the rows)\n");
            }
        });
    }
}
