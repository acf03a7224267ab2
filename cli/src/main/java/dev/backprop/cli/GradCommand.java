package dev.backprop.cli;

import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.NonFinite;
import java.io.PrintWriter;
import dev.backprop.io.Limits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code backprop grad}: a formula's value and partial derivatives at a point or, with
 * {@code --data}, summed over the rows of a data set.
 */
@Command(name = "grad",
        description = {"A formula's value and gradient, at a point or summed over data.",
                "The value of a formula and its partial derivatives at a point, by backpropagation.",
                "With --data: the value summed over the rows of a data set (inputs named like a column take "
                        + "the column; the others take --at values) and the gradient of the sum with respect "
                        + "to the --at inputs."})
final class GradCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    /** Only --help: picocli would take a formula starting with -h or -V for those options (-h1*w). */
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;

    @Parameters(paramLabel = "FORMULA", description = "The formula, @FILE to read it from a file, or - for standard input.")
    String formula;
    @Option(names = "--at", paramLabel = "NAME=VALUE[,NAME=VALUE...]",
            description = "Values of the inputs (with --data: of the inputs that are not columns); may repeat.")
    List<String> at;
    @Option(names = "--data", paramLabel = "FILE.csv|NAME=FILE.npy[,NAME=FILE.npy...]",
            description = "Data: a CSV file with a header row of column names, or NumPy .npy files, one per column; Parquet, "
                    + "folders of CSV or Parquet files and table:NAME with --spark.")
    String data;
    @Option(names = "--wrt", paramLabel = "NAME[,NAME...]",
            description = "Differentiate with respect to these inputs (default: all; with --data: all --at inputs).")
    List<String> wrt;
    @Option(names = "--digits", converter = Digits.class,
            description = "Decimals (0 to 17; default: every digit, as --json gives them).")
    Integer digits;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "With --data: sum on Apache Spark (local[N], or a standalone cluster's master URL; YARN and Kubernetes masters through spark-submit, README \"On a cluster\"); --data may then be "
                    + "CSV, Parquet, a directory of them, or table:NAME.")
    String spark;

    /** A number as --digits asks: every digit by default (shortest exact), else that many decimals. */
    private String num(double v) {
        return digits == null ? Double.toString(v) : Text.num(v, digits);
    }

    @Override
    public Integer call() {
        if (spark != null && data == null) {
            throw new BadInput("--spark sums over --data on Spark; give --data FILE");
        }
        SparkBackend backend = spark == null ? null : SparkBackend.load();
        Formula f = Inputs.formula(formula);
        return data == null ? atPoint(f) : backend != null ? overSpark(f, backend) : overData(f);
    }

    private int atPoint(Formula f) {
        Map<String, Double> point = Inputs.point(f, at);
        List<String> names = Inputs.wrt(f, wrt);
        Evaluation e = f.program().evaluate(point);
        Gradient g = e.gradient();
        Map<String, Double> all = g.inputs(); // by name at once: g.of(name) per name is O(inputs) each
        Map<String, Double> grad = new LinkedHashMap<>();
        names.forEach(n -> grad.put(n, all.get(n)));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", e.value());
            m.put("gradient", grad);
            out.println(Json.of(m));
        } else {
            String o = f.outputName();
            out.println(o + " = " + num(e.value()));
            grad.forEach((k, v) -> out.println("∂" + o + "/∂" + k + " = " + num(v)));
        }
        // An infinite intermediate derivative that a zero local derivative stops (sqrt(relu(x)) at
        // x < 0: ∞·0 passes 0) leaves every reported number finite: then there is nothing to warn of.
        Optional<NonFinite> bad = e.firstNonFinite();
        boolean gradientFinite = grad.values().stream().allMatch(Double::isFinite);
        Text.warnNonFinite(spec.commandLine().getErr(), bad.isPresent() || gradientFinite ? bad : g.firstNonFinite());
        return 0;
    }

    private int overData(Formula f) {
        DataSet ds = DataSet.read(data);
        Bound bound = bind(f, ds, at);
        List<String> cols = bound.columns();
        Map<String, Double> given = bound.given();
        List<String> names = wrtScalars(f, cols, wrt);
        BatchProgram b = BatchProgram.compile(f.program(), cols);
        BatchResult r = b.gradient(ds.columns, given);
        Map<String, Double> grad = new LinkedHashMap<>();
        names.forEach(n -> grad.put(n, r.gradient().get(n)));
        boolean finite = print(f, r.n(), r.sum(), r.mean(), grad, ds.origin);
        if (!finite) {
            b.firstNonFinite(ds.columns, given, names).ifPresent(bad -> spec.commandLine().getErr().println(
                    "backprop: warning: " + (bad.row() < 0 ? "" : ds.row(bad.row()) + ": ") + bad.message()));
        }
        return 0;
    }

    /**
     * The sum over data on Spark: the same binding rules and the same output as {@link #overData},
     * the rows summed by the backend (the batch engine per partition, then a tree aggregation).
     */
    private int overSpark(Formula f, SparkBackend backend) {
        try (SparkBackend.Data ds = backend.open(spark, data)) {
            Bound bound = bind(f, ds.names(), ds.origin(), ds.origin(), at);
            List<String> cols = bound.columns();
            List<String> names = wrtScalars(f, cols, wrt);
            SparkBackend.Sum r = ds.gradient(f, cols, bound.given());
            if (r.n() == 0) {
                throw new BadInput(ds.origin() + ": no rows of data");
            }
            Map<String, Double> grad = new LinkedHashMap<>();
            names.forEach(n -> grad.put(n, r.gradient().get(n)));
            if (!print(f, r.n(), r.sum(), r.sum() / r.n(), grad, ds.origin())) {
                // One more job, only now: Spark knows no line numbers, so the row is named by its place in Spark's order.
                // No row found although the sum printed is not finite: the partitions' finite sums
                // overflowed in the order Spark added them (the order tasks finished), not in the
                // search's partition order. That is still an overflow, so still a warning.
                SparkBackend.NonFinite bad = ds.firstNonFinite(f, cols, bound.given(), names)
                        .orElse(new SparkBackend.NonFinite(-1, dev.backprop.batch.NonFiniteRow.OVERFLOW));
                spec.commandLine().getErr().println("backprop: warning: " + (bad.row() < 0 ? "" : "row " + (bad.row() + 1)
                        + " (" + ds.origin() + ", in Spark's order of the rows): ") + bad.message());
            }
        }
        return 0;
    }

    /** Prints a sum over data and its gradient; whether every number printed is finite. */
    private boolean print(Formula f, long n, double sum, double mean, Map<String, Double> grad, String origin) {
        PrintWriter out = spec.commandLine().getOut();
        String o = f.outputName();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", sum);
            m.put("mean", mean);
            m.put("n", n);
            m.put("gradient", grad);
            out.println(Json.of(m));
        } else {
            out.println("Σ" + o + " = " + num(sum) + "   (sum over " + Text.count(n, "row") + " of " + origin + ")");
            out.println("mean " + o + " = " + num(mean));
            grad.forEach((k, v) -> out.println("∂Σ" + o + "/∂" + k + " = " + num(v)));
        }
        out.flush();
        return Double.isFinite(sum) && grad.values().stream().allMatch(Double::isFinite);
    }

    /** A formula bound to data: the inputs that take columns, and the --at values of the others. */
    record Bound(List<String> columns, Map<String, Double> given) {
    }

    /** Binds each input of {@code f} to a column of {@code ds} or to an --at value, never both. */
    static Bound bind(Formula f, DataSet ds, List<String> at) {
        // Every input's source is named the same way for a CSV; for .npy files, by the file list.
        return bind(f, ds.columns.names(), ds.origin, ds.sourceFor(""), at);
    }

    /**
     * Binds each input of {@code f} to one of the columns {@code columnNames} of the data called
     * {@code origin} or to an --at value; {@code source} is what a missing input's message names.
     */
    static Bound bind(Formula f, List<String> columnNames, String origin, String source, List<String> at) {
        Set<String> has = new HashSet<>(columnNames);
        try {
            f.checkColumns(columnNames);
        } catch (IllegalArgumentException e) {
            throw new BadInput(origin + ": " + e.getMessage());
        }
        Map<String, Double> given = Inputs.assignments(at);
        Inputs.requireInputs(f, given.keySet(), "--at");
        for (String name : given.keySet()) {
            if (has.contains(name)) {
                throw new BadInput("--at gives " + Limits.quote(name) + ", which is also a column of " + origin
                        + "; give each input one way");
            }
        }
        List<String> cols = new ArrayList<>();
        for (String name : f.inputs()) {
            if (has.contains(name)) {
                cols.add(name);
            } else if (!given.containsKey(name)) {
                throw new BadInput(source + ": no column '" + name + "' for input '" + name
                        + "' of the formula, and no --at " + name + "=VALUE (columns: "
                        + Limits.list(columnNames) + ")");
            }
        }
        return new Bound(cols, given);
    }

    /** The inputs to differentiate with respect to: {@code --wrt}, or every --at input. */
    static List<String> wrtScalars(Formula f, List<String> cols, List<String> wrt) {
        List<String> all = Inputs.wrt(f, wrt);
        List<String> names = new ArrayList<>();
        boolean explicit = wrt != null && !wrt.isEmpty();
        Set<String> columns = new HashSet<>(cols);
        for (String n : all) {
            if (!columns.contains(n)) {
                names.add(n);
            } else if (explicit) {
                throw new BadInput("--wrt names '" + n + "', a column of the data; with --data the gradient is "
                        + "with respect to the --at inputs");
            }
        }
        return names;
    }
}
