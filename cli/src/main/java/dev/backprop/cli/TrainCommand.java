package dev.backprop.cli;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.NetworkFit;
import dev.backprop.io.Columns;
import dev.backprop.io.DataException;
import dev.backprop.io.Limits;
import dev.backprop.nn.Init;
import dev.backprop.nn.Model;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code backprop train}: the ReLU network of notebook 7.2 fitted to a CSV of inputs and targets,
 * by least squares or, as a classifier, by softmax cross-entropy against a column of class labels;
 * from He initialisation or from a saved network ({@code --init @net.json}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a ReLU network on columns of data, or a classifier.",
                "Trains a ReLU network (K hidden layers of D units, He initialisation) on",
                "columns of the data, with gradients from the fast training path: by least",
                "squares (--loss squared), or as a classifier (--loss xent: softmax",
                "cross-entropy against one --targets column of class labels 0, 1, 2, …; one",
                "output per class, accuracy reported). --init @net.json resumes from a network",
                "saved by --out. --seed seeds both the initialisation and the shuffling.",
                "Exit codes: 0 done, 1 the loss stopped being finite, 2 bad input (before",
                "the run) or a file not written (after the results are printed), 130 Ctrl-C",
                "(SIGINT), 143 SIGTERM; after a signal the parameters reached are kept."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV file with a header row of column names, "
            + "or NAME=FILE.npy,…; Parquet, folders of CSV or Parquet files and table:NAME with --spark.")
    String data;
    @Option(names = "--inputs", split = ",", paramLabel = "COLUMN", description = "Input columns, e.g. x1,x2 (default with --init: the saved network's).")
    List<String> inputs;
    @Option(names = "--targets", split = ",", paramLabel = "COLUMN",
            description = "Target columns, e.g. y; with --loss xent one column of class labels (default with --init: the saved network's).")
    List<String> targets;
    @Option(names = "--loss", paramLabel = "squared|xent",
            description = "squared: least squares Σ(f − y)² (default); xent: softmax cross-entropy, averaged over the rows, against class labels.")
    String loss;
    @Option(names = "--classes", paramLabel = "C",
            description = "With --loss xent: the number of classes (default: the largest label + 1).")
    Integer classes;
    @Option(names = "--layers", description = "K, hidden layers (default: 2, or the --init network's).")
    Integer layers;
    @Option(names = "--width", description = "D, units per hidden layer (default: 16, or the --init network's).")
    Integer width;
    @Option(names = "--init", paramLabel = "@FILE", description = "Start from a network saved by --out (e.g. @net.json) instead of He initialisation.")
    String init;
    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train on Apache Spark (local[N], or a standalone cluster's master URL; YARN and Kubernetes masters through spark-submit, README \"On a cluster\"): each step's loss and gradient "
                    + "summed over the partitions; --data may then be CSV, Parquet, a directory of them, or table:NAME.")
    String spark;
    @Mixin
    Training training;

    /** What was asked for, once --init's network and the defaults are merged in. */
    private boolean xent;
    private int k;
    private int d;

    @Override
    public Integer call() {
        OutputPaths paths = new OutputPaths();
        DataSet.paths(data).forEach(p -> paths.input("--data", p));
        Model start = init == null ? null : loadInit(paths);
        resolve(start);
        training.checkOutputs(paths, curveChart());
        if (start == null && (k < 1 || d < 1)) {
            throw new BadInput("--layers and --width must be at least 1, got " + k + " and " + d);
        }
        unique(inputs, "--inputs");
        unique(targets, "--targets");
        if (spark != null) {
            return sparkTrain(start);
        }
        DataSet ds = DataSet.read(data);
        Columns columns = ds.columns;
        for (String c : concat(inputs, targets)) {
            if (!columns.has(c)) {
                throw new BadInput(data + " has no column " + Limits.quote(c) + " (columns: " + Limits.list(columns.names()) + ")");
            }
        }
        int[] labels = xent ? labels(ds, start) : null;
        int outputs = xent ? classes : targets.size();
        requireMemory(columns.rows(), outputs);
        NetworkFit fit = xent ? NetworkFit.classifier(stack(columns), labels, classes) : NetworkFit.of(columns, inputs, targets);
        var schedule = training.schedule(1000); // validates --seed before it is used below
        // One --seed for the initialisation and the shuffling: two streams, each seeded with it.
        if (training.optimizerName().equals("newton")) {
            throw new BadInput("--optimizer newton needs the Hessian of the loss, which fit computes for formulas; "
                    + "train's networks use adam, sgd, momentum, nesterov or gd");
        }
        Network first = start != null ? start.network() : Init.he(new RandomState(training.seed), inputs.size(), d, k, outputs);
        var optimizer = training.optimizer(0.01);
        Training.Bar bar = new Training.Bar();
        return Training.run(stop -> fit.fit(first, optimizer, schedule, bar, stop), t -> {
            java.util.function.Consumer<Path> curve = curveChart() ? f -> curvePlot(f, columns, null, t.network()) : null;
            return finish(t, bar, schedule, start, columns.rows(), curve);
        });
    }

    /** Whether --plot also draws the network's curve through the data: for one input and one target, by least squares. */
    private boolean curveChart() {
        return training.plot != null && !xent && inputs.size() == 1 && targets.size() == 1;
    }

    /**
     * {@code train --spark}: the same run with each step's loss and gradient aggregated on Spark,
     * and the same report and charts; the network's curve is drawn through a sample of at most
     * {@link Training#CHART_ROWS} rows (all of them, and so the single machine's chart, for data
     * no larger), brought to this machine before the run.
     */
    private int sparkTrain(Model start) {
        if (data.contains("=") || data.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new BadInput("--spark reads --data as CSV, Parquet, a directory of them, or table:NAME, not .npy files; "
                    + "train them without --spark");
        }
        SparkBackend backend = SparkBackend.load();
        var schedule = training.schedule(1000); // validates --seed before it is used below
        if (training.optimizerName().equals("newton")) {
            throw new BadInput("--optimizer newton needs the Hessian of the loss, which fit computes for formulas; "
                    + "train's networks use adam, sgd, momentum, nesterov or gd");
        }
        var optimizer = training.optimizer(0.01);
        try (SparkBackend.Data ds = backend.open(spark, data)) {
            SparkBackend.NetworkTraining fit;
            try {
                fit = ds.network(inputs, targets, xent);
            } catch (IllegalArgumentException e) {
                String absent = missing(ds.names());
                throw new BadInput(absent == null ? e.getMessage()
                        : data + " has no column " + absent + " (columns: " + Limits.list(ds.names()) + ")");
            }
            long n = fit.rows();
            if (n == 0) {
                throw new BadInput(ds.origin() + ": no rows of data");
            }
            Training.requireBatchable(schedule, n, ds.origin());
            if (xent) {
                checkLabels(fit.labels(classes == null ? Integer.MAX_VALUE : classes), ds.origin(), start);
            }
            int outputs = xent ? classes : targets.size();
            // The parameters and the optimiser's copies live on the driver; each task holds one partition's activations.
            NetworkMemory.require(inputs.size(), Math.max(d, 1), k, outputs, 80, 0,
                    xent ? " with one output for each of " + Text.count(outputs, "class") + "," : ",");
            Network first = start != null ? start.network() : Init.he(new RandomState(training.seed), inputs.size(), d, k, outputs);
            int c = xent ? classes : 0;
            // Taken before the run: a stop request then finds nothing left to ask of Spark.
            SparkBackend.Sample sample = curveChart() ? fit.sample(Training.CHART_ROWS, schedule.seed()) : null;
            String note = sample == null ? null : Training.sampleNote(sample, schedule.seed());
            Training.Bar bar = new Training.Bar();
            return Training.run(stop -> fit.fit(first, c, optimizer, schedule, bar, stop),
                    t -> finish(t, bar, schedule, start, n, sample == null ? null : f -> curvePlot(f, sample.columns(), note, t.network())));
        }
    }

    /** The first of --inputs and --targets that {@code names} lacks, quoted; null if none. */
    private String missing(List<String> names) {
        for (String c : concat(inputs, targets)) {
            if (!names.contains(c)) {
                return Limits.quote(c);
            }
        }
        return null;
    }

    /**
     * {@link #labels}'s checks and words for labels on Spark, whose rows have no line number: a row
     * is counted in Spark's order, as in Spark's other row messages, so it does not read as a line
     * of the file.
     */
    private void checkLabels(SparkBackend.Labels l, String origin, Model start) {
        String column = targets.get(0);
        if (l.firstBad() >= 0) {
            throw new BadInput("row " + (l.firstBad() + 1) + " (" + origin + ", in Spark's order of the rows): " + Limits.quote(column) + " is "
                    + Text.shortest(l.badValue()) + ", not a class label; --loss xent needs whole numbers 0, 1, 2, …");
        }
        if (classes != null && l.max() >= classes) {
            throw new BadInput("row " + (l.maxRow() + 1) + " (" + origin + ", in Spark's order of the rows): " + Limits.quote(column)
                    + " is " + l.max() + ", but "
                    + (start != null ? "--init " + init.substring(1) + " has " : "--classes gives ") + classes
                    + " classes (labels 0…" + (classes - 1) + ")");
        }
        if (classes == null) {
            if (l.max() == 0) {
                throw new BadInput(origin + ": every label in " + Limits.quote(column)
                        + " is 0; a classifier needs at least two classes (give --classes C if the data lacks some)");
            }
            classes = l.max() + 1;
        }
    }

    /** Reports a trained network and writes its files: the same for data on this machine and on Spark. */
    private int finish(NetworkFit.Trained t, Training.Bar bar, dev.backprop.fit.Schedule schedule, Model start, long n,
                       java.util.function.Consumer<Path> curve) {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        bar.finish();
        FitResult r = t.result();
        int code = Training.report(r, err);
        Model model = xent ? Model.classifier(t.network(), inputs, targets.get(0)) : Model.regression(t.network(), inputs, targets);
        Map<String, Object> file = model.toMap();
        file.put("loss", r.loss());
        file.put("steps", r.steps());
        if (xent) {
            file.put("accuracy", t.accuracy());
        }
        String title = d > 0 ? "Training a ReLU network (K = " + k + ", D = " + d + ")" : "Training a ReLU network";
        if (training.json) {
            Map<String, Object> m = training.json(file, r, training.plots(curve != null));
            if (xent) {
                m.put("initial_accuracy", t.initialAccuracy());
            }
            o.println(Json.of(m));
            o.flush();
            return Training.exitCode(code, training.save(file, r, title, curve, err));
        }
        o.println("Trained a ReLU network, " + shape(t.network())
                + " (" + Text.count(r.params().length, "parameter") + "), on " + Text.count(n, "row") + " of " + data
                + (start == null ? "" : ", starting from " + init.substring(1)));
        o.println((xent ? "softmax cross-entropy against " + classes + " classes of " + Limits.quote(targets.get(0))
                : "least squares") + ", " + training.optimizerName() + ", "
                + (schedule.steps() > 0 ? Text.count(schedule.steps(), "step") : Text.count(schedule.epochs(), "epoch"))
                + (schedule.batchSize() == 0 ? ", every row each step" : ", mini-batches of " + schedule.batchSize()));
        if (xent) {
            o.println("loss (mean per row): " + Text.num(r.initialLoss(), training.digits) + " → " + Text.num(r.loss(), training.digits));
            o.println("accuracy: " + Text.num(t.initialAccuracy(), training.digits) + " → " + Text.num(t.accuracy(), training.digits)
                    + " (" + Math.round(t.accuracy() * n) + " of " + Text.count(n, "row") + " classified right)");
        } else {
            o.println("loss: " + Text.num(r.initialLoss(), training.digits) + " → " + Text.num(r.loss(), training.digits)
                    + " (mean per row " + Text.num(r.loss() / n, training.digits) + ")");
        }
        o.println(Text.count(r.steps(), "step") + (r.completed() ? "" : " (" + Training.stopName(r) + ")"));
        o.flush();
        Training.Saved saved = training.save(file, r, title, curve, err);
        if (saved.out()) {
            o.println("Network: " + training.out + " (backprop predict --model " + training.out + " --data FILE)");
        }
        List<String> plots = saved.plots();
        if (plots.size() == 1) {
            o.println("Loss curve: " + plots.get(0));
        } else if (plots.size() == 2) {
            o.println("Loss curve: " + plots.get(0) + "; data and the network's curve: " + plots.get(1));
        }
        return Training.exitCode(code, saved);
    }

    /** Reads --init @FILE, which no output may overwrite. */
    private Model loadInit(OutputPaths paths) {
        if (!init.startsWith("@") || init.length() == 1) {
            throw new BadInput("--init takes @FILE, a network saved by train --out (as in --init @net.json); got "
                    + Limits.quote(init));
        }
        Path file;
        try {
            file = Path.of(init.substring(1));
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInput("--init " + Limits.quote(init) + ": not a file name: " + e.getReason());
        }
        paths.input("--init", file);
        try {
            return Model.load(file);
        } catch (DataException e) {
            throw new BadInput("--init " + e.getMessage());
        }
    }

    /**
     * Merges the options with --init's network: what is not given comes from it, and what is
     * given must agree with it (a network cannot change shape or kind by resuming).
     */
    private void resolve(Model start) {
        String name = loss == null ? (start != null && start.isClassifier() ? "xent" : "squared") : loss.toLowerCase(Locale.ROOT);
        if (!name.equals("squared") && !name.equals("xent")) {
            throw new BadInput("--loss must be squared or xent, got " + Limits.quote(loss));
        }
        xent = name.equals("xent");
        if (classes != null && !xent) {
            throw new BadInput("--classes is for --loss xent (a classifier)");
        }
        if (classes != null && classes < 2) {
            throw new BadInput("--classes must be at least 2, got " + classes);
        }
        if (start == null) {
            if (inputs == null || targets == null) {
                throw new BadInput("train needs --inputs and --targets (or --init @FILE, whose network names them)");
            }
            k = layers == null ? 2 : layers;
            d = width == null ? 16 : width;
            if (xent && targets.size() != 1) {
                throw new BadInput("--loss xent takes one --targets column of class labels, got " + targets.size());
            }
            return;
        }
        String from = "--init " + init.substring(1);
        if (start.isClassifier() != xent) {
            throw new BadInput(from + " is " + (start.isClassifier() ? "a classifier (trained with --loss xent)"
                    : "a least-squares network (trained with --loss squared)") + "; it cannot be resumed with --loss " + name);
        }
        Network net = start.network();
        int savedWidth = net.layers() == 0 ? 0 : net.weight(0).dim(0);
        for (int i = 1; i < net.layers(); i++) {
            if (net.weight(i).dim(0) != savedWidth) {
                savedWidth = -1; // not K × D: --width cannot describe it
            }
        }
        if (layers != null && layers != net.layers()) {
            throw new BadInput(from + " has " + net.layers() + " hidden layers; --layers " + layers + " cannot resume it");
        }
        if (width != null && width != savedWidth) {
            throw new BadInput(from + " has hidden layers of " + (savedWidth < 0 ? "several widths" : savedWidth + " units")
                    + "; --width " + width + " cannot resume it");
        }
        k = net.layers();
        d = savedWidth;
        if (inputs == null) {
            inputs = start.inputs();
        } else if (inputs.size() != start.inputs().size()) {
            throw new BadInput(from + " reads " + start.inputs().size() + " input columns (" + String.join(", ", start.inputs())
                    + "), --inputs names " + inputs.size());
        }
        if (targets == null) {
            targets = start.targets();
        } else if (targets.size() != start.targets().size()) {
            throw new BadInput(from + " predicts " + start.targets().size() + " columns (" + String.join(", ", start.targets())
                    + "), --targets names " + targets.size());
        }
        if (xent) {
            if (classes != null && classes != start.classes()) {
                throw new BadInput(from + " is a classifier of " + start.classes() + " classes; --classes " + classes + " cannot resume it");
            }
            classes = start.classes();
        }
    }

    /**
     * The --targets column as class labels: one line naming the first row that is not a whole
     * number 0, 1, 2, … or not below --classes (or --init's class count); sets {@link #classes}.
     */
    private int[] labels(DataSet ds, Model start) {
        String column = targets.get(0);
        double[] values = ds.columns.column(column);
        int bad = Trainer.firstNonLabel(values);
        if (bad >= 0) {
            throw new BadInput(ds.row(bad) + ": " + Limits.quote(column) + " is " + Text.shortest(values[bad])
                    + ", not a class label; --loss xent needs whole numbers 0, 1, 2, …");
        }
        int[] labels = Trainer.labels(values);
        int top = 0;
        for (int i = 1; i < labels.length; i++) {
            if (labels[i] > labels[top]) {
                top = i;
            }
        }
        if (classes != null && labels[top] >= classes) {
            throw new BadInput(ds.row(top) + ": " + Limits.quote(column) + " is " + labels[top] + ", but "
                    + (start != null ? "--init " + init.substring(1) + " has " : "--classes gives ") + classes
                    + " classes (labels 0…" + (classes - 1) + ")");
        }
        if (classes == null) {
            if (labels[top] == 0) {
                throw new BadInput(ds.origin + ": every label in " + Limits.quote(column)
                        + " is 0; a classifier needs at least two classes (give --classes C if the data lacks some)");
            }
            classes = labels[top] + 1;
        }
        return labels;
    }

    /** {@code 2 → 3 × 16 → 1}, or every layer's size when the hidden layers differ ({@code --init}'s network may). */
    private String shape(Network net) {
        if (d > 0) {
            return net.inputSize() + " → " + k + " × " + d + " → " + net.outputSize();
        }
        StringBuilder sb = new StringBuilder().append(net.inputSize());
        for (int i = 0; i <= net.layers(); i++) {
            sb.append(" → ").append(net.weight(i).dim(0));
        }
        return sb.toString();
    }

    /** The input columns as the D_i × N matrix the network takes. */
    private Tensor stack(Columns columns) {
        int n = columns.rows();
        double[] x = new double[inputs.size() * n];
        for (int i = 0; i < inputs.size(); i++) {
            columns.copyTo(inputs.get(i), 0, x, i * n, n);
        }
        return Tensor.of(x, inputs.size(), n);
    }

    /** A column named twice in one list would be used twice: a mistake, not a network. */
    private static void unique(List<String> names, String option) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n.isBlank()) {
                throw new BadInput(option + " has an empty column name");
            }
            if (!seen.add(n)) {
                throw new BadInput(option + " names column " + Limits.quote(n) + " twice");
            }
        }
    }

    /**
     * Refuses, before allocating, a network that cannot fit: training keeps about ten copies of
     * the parameters (the network, the start, the last good point, the gradient, the optimiser's
     * state…) and a few activations of every layer for every row of a batch.
     */
    private void requireMemory(int rows, int outputs) {
        long activations = NetworkMemory.times(NetworkMemory.times(rows, Math.max(d, outputs)), (long) (k + 1) * 8 * 4);
        // A classifier's outputs come from its largest label: say so, since no option sets them.
        NetworkMemory.require(inputs.size(), Math.max(d, 1), k, outputs, 80, activations,
                (xent ? " with one output for each of " + Text.count(outputs, "class") : "") + ", trained on " + Text.count(rows, "row") + ",");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** The data and the network's curve; {@code columns} is every row, or on Spark a sample that {@code note} (null: none) describes. */
    private void curvePlot(Path file, Columns columns, String note, Network net) {
        double[] xs = columns.column(inputs.get(0));
        double[] grid = Training.grid(xs, 300);
        double[] curve = net.output(Tensor.of(grid, 1, grid.length)).toArray();
        List<Plots.Series> s = new ArrayList<>();
        s.add(new Plots.Series("data", xs, columns.column(targets.get(0)), false, true, 0));
        s.add(new Plots.Series("network", grid, curve, false, false, 1));
        Plots.write(file, "Data and the trained network", note, inputs.get(0), targets.get(0), false, s);
    }
}
