package dev.backprop.cli;

import dev.backprop.book.Demo;
import dev.backprop.fit.FitResult;
import dev.backprop.fit.FormulaFit;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Program;
import dev.backprop.io.Columns;
import dev.backprop.io.DataException;
import dev.backprop.io.JsonReader;
import dev.backprop.io.Limits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop fit}: a formula's parameters fitted to a CSV of data, or the toy-model demo. */
@Command(name = "fit",
        description = {"Fit a formula's parameters to data (or --demo: the toy model).",
                "Fits the parameters named in --init so that FORMULA, summed over the rows",
                "of --data, is as small as possible. Every other input of the formula is a",
                "column of the data. --demo fits the toy model of notebook 7.1 to generated",
                "data, with no files.",
                "Exit codes: 0 done, 1 the loss stopped being finite, 2 bad input (before",
                "the run) or a file not written (after the results are printed), 130 Ctrl-C",
                "(SIGINT), 143 SIGTERM; after a signal the parameters reached are kept."})
final class FitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    /** Only --help: picocli would take a formula starting with -h or -V for those options (-h1*w). */
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FORMULA",
            description = "The loss at one point: text, @path or - (standard input), e.g. \"(a*sin(b*x) - y)^2\".")
    String formula;
    @Option(names = "--demo", description = "Fit the toy model to data generated from known parameters plus noise "
            + "(not with --spark: the demo makes its own small data).")
    boolean demo;
    @Option(names = "--data", paramLabel = "FILE", description = "CSV file with a header row of column names, or NAME=FILE.npy,…; "
            + "Parquet, folders of CSV or Parquet files and table:NAME with --spark.")
    String data;
    @Option(names = "--init", paramLabel = "NAME=VALUE,…|@FILE",
            description = "Parameters to fit and where to start; @params.json reads what --out wrote. May repeat.")
    List<String> init;
    @Option(names = "--target", paramLabel = "COLUMN",
            description = "For the fitted-curve plot: which of two data columns is the target (default: y, else the later column).")
    String target;
    @Option(names = "--compare", description = "With --demo: gd, sgd, momentum, nesterov and adam, each at a learning rate "
            + "found by a short search, and their loss curves on one chart (--plot).")
    boolean compare;
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Fit on Apache Spark (local[N], or a standalone cluster's master URL; YARN and Kubernetes masters through spark-submit, README \"On a cluster\"): each step's loss and gradient "
                    + "summed over the partitions; --data may then be CSV, Parquet, a directory of them, or table:NAME.")
    String spark;
    @Mixin
    Training training;

    @Override
    public Integer call() {
        // Conservatively with the fitted-curve chart: whether it is drawn is known only after reading the data.
        training.checkOutputs(inputs(), true);
        if (spark != null && (demo || compare)) {
            throw new BadInput("--spark fits FORMULA to --data on Spark; --demo makes its own small data: drop --spark");
        }
        if (compare && !demo) {
            throw new BadInput("--compare compares the optimisers on the demo: add --demo");
        }
        return compare ? compare() : demo ? demo() : fit();
    }

    /** The optimisers --compare runs, in the book's order (chapter 6). */
    static final List<String> COMPARED = List.of("gd", "sgd", "momentum", "nesterov", "adam");
    /**
     * The learning rates the search tries, largest first: half-decades down to 10⁻⁶, because the
     * demo's loss (a sum over 100 points, through exp) has a curvature of about 2.5·10⁵ at the
     * start (numpy/PyTorch's Hessian), so plain gd is stable only below about 10⁻⁵.
     */
    static final double[] RATES = {1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6};
    /** The share of a run's last steps whose loss decides between learning rates. */
    static final double TAIL = 0.1;

    /** One optimiser's run in --compare: its name, the learning rate chosen, and the fit. */
    record Compared(String name, double rate, FitResult fit) {
    }

    /**
     * Chapter 6 at a glance: every optimiser on the demo, each at the learning rate among
     * {@link #RATES} whose full run ends lowest (one fixed rate for all would favour one of them:
     * at 0.01 only Adam gets anywhere). A search over whole runs rather than short probes, because
     * the demo's landscape is rough: the loss after 200 steps says little about where a rate ends
     * (gd at 0.003 reaches a plateau near 290 at once and stays there, while 1e-5 starts slower
     * and ends near 30). A run is a few milliseconds, so the search takes seconds.
     */
    private int compare() {
        if (training.optimizer != null || training.lr != null) {
            throw new BadInput("--compare chooses each optimiser and its learning rate; drop --optimizer and --lr");
        }
        if (training.out != null) {
            throw new BadInput("--compare fits five times; --out would keep only one: drop it");
        }
        dev.backprop.fit.Schedule full = training.schedule(2000);
        double b = training.beta == null ? 0.9 : training.beta;
        FormulaFit problem = FormulaFit.of(Formula.compile(Demo.FORMULA), Demo.data(0), Demo.PARAMETERS);
        List<Compared> runs = new ArrayList<>();
        for (String name : COMPARED) {
            dev.backprop.fit.Schedule schedule = name.equals("sgd") ? full.withBatch(full.batchSize() == 0 ? 32 : full.batchSize()) : full;
            Compared best = null;
            double bestScore = Double.POSITIVE_INFINITY;
            for (double a : RATES) {
                FitResult r = problem.fit(Demo.initial(), optimizer(name, a, b), schedule, dev.backprop.fit.Progress.NONE,
                        new java.util.concurrent.atomic.AtomicBoolean());
                double score = settled(r);
                if (r.completed() && score < bestScore) {
                    bestScore = score;
                    best = new Compared(name, a, r);
                }
            }
            if (best == null) {
                double a = RATES[RATES.length - 1];
                best = new Compared(name, a, problem.fit(Demo.initial(), optimizer(name, a, b), schedule,
                        dev.backprop.fit.Progress.NONE, new java.util.concurrent.atomic.AtomicBoolean()));
            }
            runs.add(best);
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String title = "Optimisers on the toy-model demo (each at its best learning rate)";
        java.util.function.Consumer<Path> chart = file -> {
            List<Plots.Series> s = new ArrayList<>();
            for (int k = 0; k < runs.size(); k++) {
                Compared c = runs.get(k);
                int[] at = c.fit().lossSteps();
                double[] x = new double[at.length];
                for (int i = 0; i < at.length; i++) {
                    x[i] = at[i];
                }
                s.add(new Plots.Series(c.name() + " (α = " + Text.shortest(c.rate()) + ")", x, c.fit().losses(), false, false, k));
            }
            Plots.write(file, title, "step", "loss (log scale)", true, s);
        };
        if (training.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> each = new LinkedHashMap<>();
            for (Compared c : runs) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("learning_rate", c.rate());
                x.put("initial_loss", c.fit().initialLoss());
                x.put("first_step_loss", c.fit().losses().length > 0 ? c.fit().losses()[0] : c.fit().initialLoss());
                x.put("loss", c.fit().loss());
                x.put("steps", c.fit().steps());
                x.put("params", c.fit().paramMap());
                each.put(c.name(), x);
            }
            m.put("optimizers", each);
            m.put("rule", rule());
            o.println(Json.of(m));
        } else {
            o.println("Demo: the toy model fitted by least squares to " + Demo.POINTS + " generated points, with each optimiser,");
            o.println("from notebook 7.1's parameters, " + Text.count(full.steps() > 0 ? full.steps() : full.epochs(),
                    full.steps() > 0 ? "step" : "epoch") + " each (sgd: mini-batches of " + (full.batchSize() == 0 ? 32 : full.batchSize()) + ").");
            o.println(rule() + ".");
            o.println();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"optimiser", "α", "initial loss", "final loss", ""});
            for (Compared c : runs) {
                rows.add(new String[] {c.name(), Text.shortest(c.rate()), Text.num(c.fit().initialLoss(), training.digits),
                        Text.num(c.fit().loss(), training.digits), change(c.fit().initialLoss(), c.fit().loss())});
            }
            Text.table(o, "  ", rows);
        }
        o.flush();
        if (training.plot != null) {
            try {
                chart.accept(training.plot);
                err.println("backprop: wrote " + training.plot);
            } catch (BadInput e) {
                err.println("backprop: " + e.getMessage());
                return Training.WRITE_FAILED;
            }
        }
        return 0;
    }

    /**
     * The mean log-loss over the last {@link #TAIL} of the run, with the loss over all the data
     * at the end: low for a rate that got far and stays there, high for one that only touched a
     * low loss while oscillating; infinite if any is not finite.
     */
    static double settled(FitResult r) {
        double[] l = r.losses();
        double sum = 0;
        int n = 0;
        for (int i = (int) Math.floor(l.length * (1 - TAIL)); i < l.length; i++) {
            if (!(l[i] > 0) || !Double.isFinite(l[i])) {
                return Double.POSITIVE_INFINITY;
            }
            sum += Math.log(l[i]);
            n++;
        }
        if (!(r.loss() > 0) || !Double.isFinite(r.loss())) {
            return Double.POSITIVE_INFINITY;
        }
        return (sum + Math.log(r.loss())) / (n + 1);
    }

    private static String rule() {
        StringBuilder sb = new StringBuilder("Learning rate α of each: of ");
        for (int i = 0; i < RATES.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Text.shortest(RATES[i]));
        }
        return sb.append(", the one whose full run ends lowest (lowest mean log-loss over its last ")
                .append(Math.round(TAIL * 100)).append("% of steps; runs that blow up drop out)").toString();
    }

    private static dev.backprop.optim.Optimizer optimizer(String name, double a, double b) {
        return switch (name) {
            case "gd", "sgd" -> dev.backprop.optim.Optimizer.gradientDescent(a);
            case "momentum" -> dev.backprop.optim.Optimizer.momentum(a, b);
            case "nesterov" -> dev.backprop.optim.Optimizer.nesterov(a, b);
            default -> dev.backprop.optim.Optimizer.adam(a, b, 0.999, 1e-8);
        };
    }

    /** The files this run reads, which no output may overwrite. */
    private OutputPaths inputs() {
        OutputPaths paths = new OutputPaths();
        try {
            if (formula != null && formula.startsWith("@")) {
                paths.input("FORMULA", Path.of(formula.substring(1)));
            }
            for (String group : init == null ? List.<String>of() : init) {
                if (group.startsWith("@")) {
                    paths.input("--init", Path.of(group.substring(1)));
                }
            }
        } catch (java.nio.file.InvalidPathException e) {
            // reading it reports the problem
        }
        DataSet.paths(data).forEach(p -> paths.input("--data", p));
        return paths;
    }

    private int fit() {
        if (formula == null) {
            throw new BadInput("fit needs a FORMULA (or --demo)");
        }
        if (data == null) {
            throw new BadInput("fit needs --data FILE");
        }
        if (init == null || init.isEmpty()) {
            throw new BadInput("fit needs --init NAME=VALUE,… naming the parameters to fit");
        }
        SparkBackend backend = spark == null ? null : SparkBackend.load();
        Formula f = Inputs.formula(formula);
        if (backend != null) {
            return sparkFit(f, initial(init), backend);
        }
        Columns columns = DataSet.read(data).columns;
        Map<String, Double> start = initial(init);
        FormulaFit fit;
        try {
            fit = FormulaFit.of(f, columns, start.keySet());
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
        if (columns.rows() == 0) {
            throw new BadInput(data + ": no rows of data");
        }
        var optimizer = training.optimizer(0.01);
        var schedule = training.schedule(1000);
        PrintWriter err = spec.commandLine().getErr();
        warnUnusedColumns(err, f, fit.columns(), columns.names());
        // Before the run, so a --target that names no column costs no fit.
        String[] xy = training.plot == null ? null : curveColumns(fit.columns(), columns.names());
        Training.Bar bar = new Training.Bar();
        return Training.run(stop -> fit.fit(start, optimizer, schedule, bar, stop), r -> {
            java.util.function.Consumer<Path> curve = xy == null ? null
                    : file -> curvePlot(file, fit, xy, columns, null, start, r.paramMap(), err);
            return finish(r, bar, optimizer, schedule, fit.parameters(), columns.rows(), start, curve);
        });
    }

    /**
     * {@code fit --spark}: the same run with the loss and its gradient aggregated on Spark, and the
     * same report and charts; the fitted-curve chart draws the data's points from a sample of at
     * most {@link Training#CHART_ROWS} rows (all of them, and so the single machine's chart, for
     * data no larger), brought to this machine before the run.
     */
    private int sparkFit(Formula f, Map<String, Double> start, SparkBackend backend) {
        try (SparkBackend.Data ds = backend.open(spark, data)) {
            SparkBackend.Fit fit;
            try {
                fit = ds.fit(f, start.keySet());
            } catch (IllegalArgumentException e) {
                throw new BadInput(e.getMessage());
            }
            long n = fit.rows();
            if (n == 0) {
                throw new BadInput(ds.origin() + ": no rows of data");
            }
            var optimizer = training.optimizer(0.01);
            var schedule = training.schedule(1000);
            Training.requireBatchable(schedule, n, ds.origin());
            PrintWriter err = spec.commandLine().getErr();
            warnUnusedColumns(err, f, fit.columns(), ds.names());
            String[] xy = training.plot == null ? null : curveColumns(fit.columns(), ds.names());
            // Taken before the run: a stop request then finds nothing left to ask of Spark.
            SparkBackend.Sample sample = xy == null ? null : fit.sample(Training.CHART_ROWS, schedule.seed());
            FormulaFit local = sample == null ? null : FormulaFit.of(f, sample.columns(), start.keySet());
            String note = sample == null ? null : Training.sampleNote(sample, schedule.seed());
            Training.Bar bar = new Training.Bar();
            return Training.run(stop -> fit.fit(start, optimizer, schedule, bar, stop),
                    r -> finish(r, bar, optimizer, schedule, fit.parameters(), n, start, local == null ? null
                            : file -> curvePlot(file, local, xy, sample.columns(), note, start, r.paramMap(), err)));
        }
    }

    /** Reports a fit of a formula and writes its files: the same for data on this machine and on Spark. */
    private int finish(FitResult r, Training.Bar bar, dev.backprop.optim.Optimizer optimizer, dev.backprop.fit.Schedule schedule,
                       List<String> parameters, long rows, Map<String, Double> start, java.util.function.Consumer<Path> curve) {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        bar.finish();
        Training.noteRefusedNewtonSteps(optimizer, r.steps(), err);
        int code = Training.report(r, err);
        String title = "Fitting " + String.join(", ", parameters) + " to " + Text.count(rows, "point");
        if (training.json) {
            o.println(Json.of(training.json(Training.outFile(r.paramMap(), r), r, training.plots(curve != null))));
            o.flush();
            return Training.exitCode(code, training.save(Training.outFile(r.paramMap(), r), r, title, curve, err));
        }
        o.println("Fitted " + String.join(", ", parameters) + " to minimise the formula summed over "
                + Text.count(rows, "point") + " of " + data + ",");
        o.println("with " + describe(schedule) + ".");
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"parameter", "initial", "fitted"});
        for (String p : parameters) {
            table.add(new String[] {p, Text.num(start.get(p), training.digits), Text.num(r.paramMap().get(p), training.digits)});
        }
        table.add(new String[] {"loss", Text.num(r.initialLoss(), training.digits), Text.num(r.loss(), training.digits)});
        Text.table(o, "  ", table);
        o.println(Text.count(r.steps(), "step") + (r.completed() ? "" : " (" + Training.stopName(r) + ")"));
        o.flush();
        Training.Saved saved = training.save(Training.outFile(r.paramMap(), r), r, title, curve, err);
        printFiles(o, saved);
        return Training.exitCode(code, saved);
    }

    private int demo() {
        if (formula != null || data != null || init != null) {
            throw new BadInput("--demo makes its own formula, data and starting point; drop FORMULA, --data and --init");
        }
        var optimizer = training.optimizer(0.01);
        var schedule = training.schedule(2000);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Training.Bar bar = new Training.Bar();
        return Training.run(stop -> Demo.run(0, optimizer, schedule, bar, stop), d -> {
            bar.finish();
            FitResult r = d.fit();
            int code = Training.report(r, err);
            String title = "Fitting the toy model to " + Demo.POINTS + " generated points";
            java.util.function.Consumer<Path> curve = file -> demoPlot(file, d);
            if (training.json) {
                Map<String, Object> m = training.json(Training.outFile(r.paramMap(), r), r, training.plots(true));
                m.put("true_loss", d.trueLoss());
                m.put("true_params", d.truth());
                m.put("initial_params", d.initial());
                o.println(Json.of(m));
                o.flush();
                return Training.exitCode(code, training.save(Training.outFile(r.paramMap(), r), r, title, curve, err));
            }
            o.println("Demo: the toy model f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))) fitted by least squares");
            o.println("to " + Demo.POINTS + " points, x uniform in [-4, 4], y = f[x, true parameters] + N(0, " + Demo.NOISE
                    + "²) noise (seed 0),");
            o.println("from notebook 7.1's parameters, with " + describe(schedule) + ".");
            o.println();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"parameter", "true", "initial", "fitted"});
            for (String p : Demo.PARAMETERS) {
                rows.add(new String[] {p, Text.num(d.truth().get(p), training.digits), Text.num(d.initial().get(p), training.digits),
                        Text.num(r.paramMap().get(p), training.digits)});
            }
            rows.add(new String[] {"loss", Text.num(d.trueLoss(), training.digits), Text.num(r.initialLoss(), training.digits),
                    Text.num(r.loss(), training.digits)});
            Text.table(o, "  ", rows);
            o.println();
            o.println(Text.count(r.steps(), "step") + (r.completed() ? "" : " (" + Training.stopName(r) + ")") + "; "
                    + change(r.initialLoss(), r.loss()) + ", to " + Text.num(r.loss() / d.trueLoss(), 2)
                    + " × the true parameters' loss (the noise floor).");
            o.println("The toy model is not identifiable: β1 and ω2 act only through ω2·exp(β1 + …), and sin and cos");
            o.println("repeat, so parameters unlike the true ones can fit the data as well.");
            o.flush();
            Training.Saved saved = training.save(Training.outFile(r.paramMap(), r), r, title, curve, err);
            printFiles(o, saved);
            return Training.exitCode(code, saved);
        });
    }

    /** How the loss changed, in words that fit the direction: fell n-fold, rose n-fold, did not change. */
    static String change(double initial, double last) {
        if (!Double.isFinite(last) || !Double.isFinite(initial)) {
            return "the loss went from " + initial + " to " + last;
        }
        if (last < initial) {
            return "the loss fell " + Text.num(initial / last, 1) + "-fold";
        }
        if (last > initial) {
            return "the loss rose " + Text.num(last / initial, 1) + "-fold (try a smaller --lr)";
        }
        return "the loss did not change";
    }

    /**
     * A data column the formula does not read is usually the target of a model given where its
     * loss was meant: fitting {@code a*sin(b*x)} to columns x and y minimises the model itself.
     */
    private void warnUnusedColumns(PrintWriter err, Formula f, List<String> used, List<String> all) {
        List<String> unused = new ArrayList<>();
        for (String c : all) {
            if (!used.contains(c)) {
                unused.add(Limits.quote(c));
            }
        }
        if (unused.isEmpty()) {
            return;
        }
        String target = unused.size() == 1 ? unused.get(0).substring(1, unused.get(0).length() - 1) : "y";
        String src = f.source().strip();
        String model = src.length() <= 60 && src.chars().noneMatch(c -> c == '\n' || c == ';' || c == '=') ? src : "MODEL";
        err.println("backprop: warning: " + (unused.size() == 1 ? "column " : "columns ") + String.join(", ", unused)
                + " of " + data + (unused.size() == 1 ? " is" : " are") + " not used by the formula; fit minimises the "
                + "formula itself, so it should be a loss such as (" + model + " - " + target + ")^2");
        err.flush();
    }

    private String describe(dev.backprop.fit.Schedule s) {
        String name = training.optimizerName();
        String lr = Text.shortest(training.learningRate(0.01));
        String what = s.steps() > 0 ? Text.count(s.steps(), "step") : Text.count(s.epochs(), "epoch");
        String batch = s.batchSize() == 0 ? "every point each step" : "mini-batches of " + s.batchSize() + " (seed " + s.seed() + ")";
        return name + " (α = " + lr + "), " + what + ", " + batch;
    }

    /** Names the files written, once they are. */
    private void printFiles(PrintWriter o, Training.Saved saved) {
        if (saved.out()) {
            o.println("Parameters: " + training.out);
        }
        List<String> plots = saved.plots();
        if (plots.size() == 1) {
            o.println("Loss curve: " + plots.get(0));
        } else if (plots.size() == 2) {
            o.println("Loss curve: " + plots.get(0) + "; data and fitted curve: " + plots.get(1));
        }
    }

    /** {@code --init}: groups of NAME=VALUE, or @FILE holding {"params": {…}} (what --out writes) or a flat object. */
    static Map<String, Double> initial(List<String> groups) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String group : groups) {
            if (group.equals("@")) {
                throw new BadInput("--init '@' names no file; write @FILE, as in @params.json");
            }
            Map<String, Double> part = group.startsWith("@") ? fromFile(Path.of(group.substring(1)))
                    : Inputs.assignments("--init", "NAME=VALUE or @FILE", group);
            Inputs.putOnce(m, part, "--init");
        }
        for (Map.Entry<String, Double> e : m.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new BadInput("--init " + e.getKey() + ": the starting value must be finite, got " + e.getValue());
            }
        }
        return m;
    }

    private static Map<String, Double> fromFile(Path p) {
        Object v;
        try {
            v = JsonReader.parse(Limits.readText(p, p.toString()), p.toString());
        } catch (DataException e) {
            throw new BadInput("--init @" + e.getMessage());
        }
        if (v instanceof Map<?, ?> top && top.get("params") instanceof Map<?, ?> inner) {
            v = inner;
        }
        if (!(v instanceof Map<?, ?> obj)) {
            throw new BadInput(p + ": expected a JSON object of parameter values");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : obj.entrySet()) {
            if (!(e.getValue() instanceof Double d) || !Double.isFinite(d)) {
                throw new BadInput(p + ": parameter " + Limits.quote((String) e.getKey()) + " is not a finite number");
            }
            m.put((String) e.getKey(), d);
        }
        return m;
    }

    /**
     * The data input and the target for the fitted-curve plot, or null when the formula does not
     * have exactly two columns; {@code order} is every column of the data, in order.
     */
    private String[] curveColumns(List<String> used, List<String> order) {
        if (used.size() != 2) {
            if (target != null) {
                throw new BadInput("--target: the fitted-curve plot needs a formula with exactly two data columns");
            }
            return null;
        }
        String t;
        if (target != null) {
            if (!used.contains(target)) {
                throw new BadInput("--target " + target + " is not one of the formula's data columns (" + String.join(", ", used) + ")");
            }
            t = target;
        } else if (used.contains("y")) {
            t = "y";
        } else {
            t = order.indexOf(used.get(0)) > order.indexOf(used.get(1)) ? used.get(0) : used.get(1);
        }
        String x = used.get(0).equals(t) ? used.get(1) : used.get(0);
        return new String[] {x, t};
    }

    /**
     * The data with the initial and fitted curves where they mean something: for a loss quadratic
     * in the target (squared error) the model's prediction ({@link FormulaFit#bestTargets}, exact);
     * for another loss the target where the loss is smallest ({@link FormulaFit#minimisingTargets}:
     * the model's output for |m − y| or Huber), said in the title; none, with a note, where the
     * loss has no smallest value in the target (cross-entropy). {@code data} is every row, or on
     * Spark a sample that {@code note} (null: none) describes under the title.
     */
    private static void curvePlot(Path file, FormulaFit fit, String[] xy, Columns data, String note, Map<String, Double> start,
                                  Map<String, Double> params, PrintWriter err) {
        double[] xs = data.column(xy[0]);
        double[] grid = Training.grid(xs, 300);
        boolean quadratic = fit.quadraticInTarget(xy[0], xy[1], grid, params) && fit.quadraticInTarget(xy[0], xy[1], grid, start);
        double[] fitted = quadratic ? fit.bestTargets(xy[0], xy[1], grid, params) : fit.minimisingTargets(xy[0], xy[1], grid, params);
        double[] initial = quadratic ? fit.bestTargets(xy[0], xy[1], grid, start) : fit.minimisingTargets(xy[0], xy[1], grid, start);
        List<Plots.Series> s = new ArrayList<>();
        s.add(new Plots.Series("data", xs, data.column(xy[1]), false, true, 0));
        String title = "Data, initial and fitted curves";
        if (java.util.Arrays.stream(fitted).noneMatch(Double::isFinite)) {
            title = "Data (no fitted curve: the loss has no smallest value in " + xy[1] + ")";
            err.println("backprop: note: " + file + " shows the data only: the loss keeps falling as " + xy[1]
                    + " grows or shrinks (as cross-entropy does), so no value of " + xy[1] + " is the model's");
        } else {
            if (!quadratic) {
                title = "Data and the model's output (the " + xy[1] + " where the loss is smallest), initial and fitted";
            }
            s.add(new Plots.Series("initial", grid, initial, true, false, 3));
            s.add(new Plots.Series("fitted", grid, fitted, false, false, 1));
        }
        Plots.write(file, title, note, xy[0], xy[1], false, s);
    }

    private static void demoPlot(Path file, Demo.Result d) {
        double[] xs = d.data().column("x");
        double[] grid = Training.grid(xs, 300);
        List<Plots.Series> s = new ArrayList<>();
        s.add(new Plots.Series("data", xs, d.data().column("y"), false, true, 0));
        s.add(new Plots.Series("true", grid, curve(d.truth(), grid), true, false, 2));
        s.add(new Plots.Series("initial", grid, curve(d.initial(), grid), true, false, 3));
        s.add(new Plots.Series("fitted", grid, curve(d.fit().paramMap(), grid), false, false, 1));
        Plots.write(file, "The toy model: data, true, initial and fitted curves", "x", "y", false, s);
    }

    private static double[] curve(Map<String, Double> params, double[] grid) {
        double[] c = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            c[i] = Demo.model(params, grid[i]);
        }
        return c;
    }
}
