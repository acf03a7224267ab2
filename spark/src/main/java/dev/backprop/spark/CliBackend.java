package dev.backprop.spark;

import dev.backprop.cli.SparkBackend;
import dev.backprop.fit.FitResult;
import dev.backprop.fit.NetworkFit;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.formula.Formula;
import dev.backprop.io.DataException;
import dev.backprop.nn.Network;
import dev.backprop.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The command line's {@code --spark}: found by {@link java.util.ServiceLoader}, it opens a Spark
 * session on the master given, reads {@code --data} as Spark reads it, and runs {@link SparkSum}
 * and {@link SparkFit}. Spark's own errors (a master URL it cannot parse, a path that does not
 * exist) come back as one-line {@link IllegalArgumentException}s.
 */
public final class CliBackend implements SparkBackend {
    /** Needed by {@link java.util.ServiceLoader}. */
    public CliBackend() {
    }

    @Override
    public Data open(String master, String data) {
        quietLogging();
        // A session already running in this JVM (an application that calls the command line)
        // is joined and left running; one started here is stopped when the command ends.
        boolean joined = SparkSession.getDefaultSession().isDefined() || System.getProperty("spark.master") != null;
        SparkSession spark = session(master);
        boolean failed = true;
        try {
            Dataset<Row> rows = read(spark, data);
            failed = false;
            return new Opened(spark, rows, data, !joined);
        } finally {
            if (failed && !joined) {
                spark.stop();
            }
        }
    }

    /**
     * Spark's INFO lines and task stack traces would bury the command's output; under
     * spark-submit (spark.master set by it) the cluster's logging applies instead.
     */
    private static void quietLogging() {
        if (System.getProperty("spark.master") == null && System.getProperty("log4j2.configurationFile") == null) {
            var url = CliBackend.class.getResource("/backprop-spark-log4j2.properties");
            if (url != null) {
                System.setProperty("log4j2.configurationFile", url.toString());
            }
        }
    }

    private static SparkSession session(String master) {
        if (master.isBlank()) {
            throw new IllegalArgumentException("--spark needs a master URL: local[2] or spark://HOST:7077 (yarn and k8s:// through spark-submit)");
        }
        try {
            SparkSession.Builder b = SparkSession.builder().appName("backprop");
            if (!master.equals(System.getProperty("spark.master"))) {
                b = b.master(master).config("spark.ui.enabled", "false");
            }
            return b.getOrCreate();
        } catch (Exception e) { // SparkException is checked in Java's eyes and thrown undeclared
            if (SparkSum.shuttingDown()) {
                // Ctrl-C while Spark was starting: Spark's own words ("stopped SparkContext") would blame the master.
                throw new IllegalArgumentException("Spark stopped before the job finished (interrupted)");
            }
            throw new IllegalArgumentException(masterError(master, firstLine(e)));
        }
    }

    /**
     * Spark's words for a master it could not start, except for yarn and k8s://: their cluster
     * managers come with a cluster's Spark under spark-submit, not in the jars ./backprop puts on
     * the class path, so Spark's "Could not parse Master URL" would send the user to check a URL
     * that is right.
     */
    static String masterError(String master, String sparkMessage) {
        boolean clusterManager = master.startsWith("yarn") || master.startsWith("k8s://");
        if (clusterManager && sparkMessage.startsWith("Could not parse Master URL")) {
            return "--spark " + master + ": this master works when spark/target/backprop-spark.jar is submitted with the "
                    + "cluster's spark-submit (README \"On a cluster\"); ./backprop --spark takes local[N] and spark://HOST:PORT";
        }
        return "--spark " + master + ": " + sparkMessage;
    }

    /**
     * {@code --data}: {@code table:NAME} names a table of the session's catalog; a path ending in
     * .parquet, or a directory holding Parquet files, is Parquet; anything else is CSV with a header
     * row, its cells read as the command line reads numbers.
     */
    static Dataset<Row> read(SparkSession spark, String data) {
        if (data.isBlank()) {
            throw new IllegalArgumentException("--data names no file; give FILE.csv, FILE.parquet, a directory, or table:NAME");
        }
        try {
            if (data.startsWith("table:")) {
                return spark.table(data.substring("table:".length()));
            }
            boolean remote = data.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !data.startsWith("file:");
            String format = data.toLowerCase(java.util.Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv";
            String path = data;
            if (!remote) {
                Path p = Path.of(data.startsWith("file:") ? java.net.URI.create(data).getPath() : data);
                if (!Files.exists(p)) {
                    throw new DataException(data + ": no such file");
                }
                List<Path> csvs = List.of(p);
                if (Files.isDirectory(p)) {
                    csvs = directoryFiles(p, data);
                    format = csvs.get(0).getFileName().toString().endsWith(".parquet") ? "parquet" : "csv";
                }
                if (format.equals("csv")) {
                    for (Path f : csvs) {
                        checkHeader(f, csvs.size() == 1 && f.equals(p) ? data : f.toString());
                    }
                }
                // Spark reads a path as a glob pattern: a file named "run[1].csv" must not be one.
                path = GLOB.matcher(data).replaceAll("\\\\$0");
            }
            if (format.equals("parquet")) {
                return spark.read().parquet(path);
            }
            // FAILFAST: a row with more or fewer cells than the header is an error, as in grad's
            // own CSV reader, rather than Spark's default of padding it with nulls or cutting it.
            return spark.read().option("header", true).option("mode", "FAILFAST").option("ignoreLeadingWhiteSpace", true)
                    .option("ignoreTrailingWhiteSpace", true).csv(path);
        } catch (DataException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            if (spark.sparkContext().isStopped()) {
                throw SparkSum.unwrap(e, spark.sparkContext()); // the data is not at fault: say what stopped Spark
            }
            throw new IllegalArgumentException(data + ": " + firstLine(e));
        }
    }

    /** The characters a Hadoop path pattern gives a meaning to. */
    private static final java.util.regex.Pattern GLOB = java.util.regex.Pattern.compile("[\\[\\]{}*?\\\\]");

    /**
     * The data files of a directory (as Spark writes them: part files, with _SUCCESS and hidden
     * checksums beside them), all of one kind: Spark would read any other file in it as that kind.
     */
    private static List<Path> directoryFiles(Path dir, String data) throws IOException {
        try (Stream<Path> files = Files.walk(dir, 2)) {
            List<Path> all = files.filter(Files::isRegularFile).filter(f -> {
                String n = f.getFileName().toString();
                return !n.startsWith(".") && !n.startsWith("_");
            }).sorted().toList();
            List<Path> parquet = all.stream().filter(f -> f.getFileName().toString().endsWith(".parquet")).toList();
            List<Path> csv = all.stream().filter(f -> f.getFileName().toString().endsWith(".csv")).toList();
            if (parquet.isEmpty() && csv.isEmpty()) {
                throw new DataException(data + ": a directory with no .csv or .parquet file");
            }
            if (!parquet.isEmpty() && !csv.isEmpty()) {
                throw new DataException(data + ": a directory with both .csv and .parquet files; give a directory of one kind");
            }
            List<Path> kind = parquet.isEmpty() ? csv : parquet;
            for (Path f : all) {
                if (!kind.contains(f)) {
                    throw new DataException(data + ": holds " + dir.relativize(f) + ", which is not a "
                            + (parquet.isEmpty() ? ".csv" : ".parquet") + " file; Spark would read it as one");
                }
            }
            return kind;
        }
    }

    /**
     * A CSV file's header checked as the command line's own reader checks it (an empty file, an
     * empty or repeated column name), before Spark renames a repeated "x" to "x0", "x1" and the
     * formula's "x" is reported missing.
     */
    private static void checkHeader(Path file, String name) throws IOException {
        List<String> first = new java.util.ArrayList<>(1);
        try (var r = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            char[] buf = new char[1 << 16];
            StringBuilder line = new StringBuilder();
            int n;
            boolean ended = false;
            while (!ended && line.length() < (1 << 20) && (n = r.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' || buf[i] == '\r') {
                        ended = true;
                        break;
                    }
                    line.append(buf[i]);
                }
            }
            if (ended || line.length() > 0) {
                first.add(line.toString());
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new DataException(name + ": not UTF-8 text (near line 1)");
        }
        dev.backprop.io.Csv.parse(name, first);
    }

    /** An exception's message in one line, without Spark's error-class prefix and SQL state. */
    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        m = m.strip().split("\n", 2)[0];
        m = m.replaceFirst("^\\[[A-Z_.]+\\]\\s*", "").replaceFirst("\\s*SQLSTATE: \\w+\\s*$", "");
        return m;
    }

    /** How long a stop request waits for a fit to finish its step and write its result (as the command line's own wait). */
    private static final int HOLD_SECONDS = 30;

    private static final class Opened implements Data {
        private final SparkSession spark;
        private final Dataset<Row> rows;
        private final String origin;
        private final boolean owned;
        private final List<SparkNetworkFit> opened = new java.util.ArrayList<>();

        /** Released by {@link #close}: the command has written its result and Spark may stop. */
        private final CountDownLatch closed = new CountDownLatch(1);
        /** Set once a fit starts: from then on a stop request waits for the command to finish. */
        private volatile boolean fitting;
        private final Runnable hold = this::holdSpark;

        Opened(SparkSession spark, Dataset<Row> rows, String origin, boolean owned) {
            this.spark = spark;
            this.rows = rows;
            this.origin = origin;
            this.owned = owned;
            // Spark stops its context, and the executors of local mode, from a hook that Hadoop's
            // hook manager runs at FileSystem's priority + 30; this one runs first and holds them
            // while a fit that was asked to stop finishes its step, reports and writes --out.
            try {
                ShutdownHookManager.get().addShutdownHook(hold, FileSystem.SHUTDOWN_HOOK_PRIORITY + 40, HOLD_SECONDS, TimeUnit.SECONDS);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came while the data was being opened: nothing has run, nothing to keep.
                throw new IllegalArgumentException("Spark stopped before the job finished (interrupted)");
            }
        }

        private void holdSpark() {
            if (!fitting) {
                return; // a gradient has nothing to keep: let Spark stop it now
            }
            try {
                // Bounded like the command line's own wait, so a stuck job cannot keep the process alive.
                closed.await(HOLD_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public List<String> names() {
            return Arrays.asList(rows.columns());
        }

        @Override
        public String origin() {
            return origin;
        }

        @Override
        public Sum gradient(Formula formula, List<String> columns, Map<String, Double> at) {
            SparkSum s = SparkSum.of(formula, columns);
            SparkSum.Result r = s.gradient(SparkData.of(rows, s.columns(), origin), at);
            return new Sum(r.n(), r.sum(), r.gradient());
        }

        @Override
        public Optional<NonFinite> firstNonFinite(Formula formula, List<String> columns, Map<String, Double> at,
                                                  Collection<String> wrt) {
            SparkSum s = SparkSum.of(formula, columns);
            return s.firstNonFinite(SparkData.of(rows, s.columns(), origin), at, wrt).map(b -> new NonFinite(b.row(), b.message()));
        }

        @Override
        public Fit fit(Formula formula, Collection<String> parameters) {
            SparkFit f = SparkFit.of(formula, rows, origin, parameters);
            return new Fit() {
                @Override
                public List<String> parameters() {
                    return f.parameters();
                }

                @Override
                public List<String> columns() {
                    return f.columns();
                }

                @Override
                public long rows() {
                    return f.data().rows();
                }

                @Override
                public Sample sample(int most, long seed) {
                    return new Sample(f.data().rows(), f.data().sample(most, seed));
                }

                @Override
                public FitResult fit(Map<String, Double> init, Optimizer optimizer, Schedule schedule, Progress progress,
                                     AtomicBoolean interrupt) {
                    fitting = true;
                    return f.fit(init, optimizer, schedule, progress, interrupt);
                }
            };
        }

        @Override
        public NetworkTraining network(List<String> inputs, List<String> targets, boolean classifier) {
            SparkNetworkFit f = classifier ? SparkNetworkFit.unchecked(rows, origin, inputs, targets.get(0))
                    : SparkNetworkFit.of(rows, origin, inputs, targets);
            opened.add(f);
            return new NetworkTraining() {
                @Override
                public long rows() {
                    return f.rows();
                }

                @Override
                public Sample sample(int most, long seed) {
                    return new Sample(f.rows(), f.sample(most, seed));
                }

                @Override
                public Labels labels(int bound) {
                    SparkNetworkFit.Labels l = f.labels(bound);
                    return new Labels(l.firstBad(), l.badValue(), l.max(), l.maxRow(), l.firstOutside());
                }

                @Override
                public NetworkFit.Trained fit(Network init, int classes, Optimizer optimizer, Schedule schedule, Progress progress,
                                              AtomicBoolean interrupt) {
                    fitting = true;
                    return (classifier ? f.withClasses(classes) : f).fit(init, optimizer, schedule, progress, interrupt);
                }
            };
        }

        @Override
        public void close() {
            try {
                // A joined session outlives the command: its cached blocks must not.
                opened.forEach(SparkNetworkFit::close);
                if (owned) {
                    spark.stop();
                }
            } finally {
                closed.countDown();
                try {
                    ShutdownHookManager.get().removeShutdownHook(hold);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running (a stop request came) and returns now that the latch is open.
                }
            }
        }
    }
}
