package dev.backprop.cli;

import dev.backprop.io.Columns;
import dev.backprop.io.DataException;
import dev.backprop.io.Limits;
import dev.backprop.nn.Model;
import dev.backprop.nn.Trainer;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop predict}: a saved network's predictions for every row of a data set. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict with a network saved by train --out, row by row.",
                "Runs a network saved by train --out on every row of --data (the columns it",
                "was trained on, by name) and writes its predictions as CSV: a regression",
                "network's outputs, named after its targets; a classifier's predicted class,",
                "named after its label column, then each class's softmax probability",
                "(LABEL_p0, LABEL_p1, …). Without --out the CSV goes to standard output. When",
                "the data also has the target columns, --out and --json report the accuracy",
                "(a classifier) or the mean squared error per row.",
                "Exit codes: 0 done, 2 bad input (or the --out file could not be written)."})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A network saved by train --out, e.g. net.json.")
    String model;
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV file with a header row of column names, or NAME=FILE.npy,….")
    String data;
    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the predictions to FILE (CSV) instead of standard output; checked before any work, written atomically.")
    Path out;
    @Option(names = "--json", description = "Machine-readable output: {\"rows\", \"classifier\", \"predictions\" (unless --out), \"accuracy\" or \"mse\", …}.")
    boolean json;

    @Override
    public Integer call() {
        Path modelFile;
        try {
            modelFile = Path.of(model);
        } catch (InvalidPathException e) {
            throw new BadInput("--model " + Limits.quote(model) + ": not a file name: " + e.getReason());
        }
        OutputPaths paths = new OutputPaths().input("--model", modelFile);
        DataSet.paths(data).forEach(p -> paths.input("--data", p));
        paths.output("--out", out).check();
        Model m;
        try {
            m = Model.load(modelFile);
        } catch (DataException e) {
            throw new BadInput("--model " + e.getMessage());
        }
        DataSet ds = DataSet.read(data, false);
        for (String c : m.inputs()) {
            if (!ds.columns.has(c)) {
                throw new BadInput(ds.sourceFor(c) + " has no column " + Limits.quote(c) + ", an input of the network in " + model
                        + " (it reads " + String.join(", ", m.inputs()) + "; columns: " + Limits.list(ds.columns.names()) + ")");
            }
        }
        Map<String, double[]> predictions = m.predict(ds.columns);
        int n = ds.columns.rows();
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        warnNonFinite(predictions, ds, err);
        Score score = score(m, ds, predictions);
        if (score != null && score.problem() != null) {
            err.println("backprop: warning: " + score.problem());
        }
        String classColumn = m.isClassifier() ? m.targets().get(0) : null;
        if (out != null) {
            OutputPaths.write(out, s -> {
                Writer w = new OutputStreamWriter(s, StandardCharsets.UTF_8);
                csv(w, predictions, classColumn);
                w.flush();
            });
        }
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", model);
            j.put("rows", n);
            j.put("classifier", m.isClassifier());
            if (m.isClassifier()) {
                j.put("classes", m.classes());
            }
            j.put("inputs", m.inputs());
            j.put("targets", m.targets());
            if (score != null && score.problem() == null) {
                j.put(m.isClassifier() ? "accuracy" : "mse", score.value());
            }
            if (out != null) {
                j.put("out", out.toString());
            } else {
                j.put("predictions", predictions);
            }
            o.println(Json.of(j));
        } else if (out != null) {
            o.println("Predicted " + n + " rows of " + data + " with " + model + " ("
                    + (m.isClassifier() ? "a classifier of " + m.classes() + " classes" : "a regression network") + ")");
            if (score != null && score.problem() == null) {
                o.println(m.isClassifier()
                        ? "accuracy: " + Text.num(score.value(), 4) + " (" + Math.round(score.value() * n) + " of " + n
                                + " rows classified as column " + Limits.quote(m.targets().get(0)) + " says)"
                        : "mean squared error per row: " + Text.num(score.value(), 6) + " (against " + String.join(", ", m.targets()) + ")");
            }
            o.println("Predictions: " + out + " (" + String.join(", ", predictions.keySet()) + ")");
        } else {
            StringWriter text = new StringWriter();
            try {
                csv(text, predictions, classColumn);
            } catch (IOException e) {
                throw new IllegalStateException(e); // a StringWriter does not fail
            }
            o.print(text);
        }
        o.flush();
        return 0;
    }

    /**
     * The predictions as CSV with a header, doubles so they read back exactly, and the predicted
     * class ({@code classColumn}, null for none) as a whole number ({@code 2}, not {@code 2.0}),
     * or {@code nan} where there is none, so it reads as the labels were written.
     */
    static void csv(Writer w, Map<String, double[]> columns, String classColumn) throws IOException {
        List<String> names = List.copyOf(columns.keySet());
        w.write(String.join(",", names));
        w.write('\n');
        double[][] cols = new double[names.size()][];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = columns.get(names.get(c));
        }
        int n = cols.length == 0 ? 0 : cols[0].length;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            for (int c = 0; c < cols.length; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                double v = cols[c][i];
                if (names.get(c).equals(classColumn)) {
                    sb.append(Double.isNaN(v) ? "nan" : Long.toString((long) v));
                } else {
                    sb.append(v);
                }
            }
            sb.append('\n');
            w.write(sb.toString());
        }
    }

    /** How well the network does where the data has its targets: a value, or why there is none. */
    private record Score(double value, String problem) {
    }

    /**
     * The accuracy (classifier) or mean squared error per row (regression) against the target
     * columns, when the data has them; null when it does not. Targets present but unusable (text,
     * labels this classifier does not have) give a problem to warn of, not an error: predicting
     * does not need them.
     */
    private static Score score(Model m, DataSet ds, Map<String, double[]> predictions) {
        for (String t : m.targets()) {
            if (!ds.columns.has(t)) {
                return null;
            }
            if (!ds.columns.isNumeric(t)) {
                return new Score(Double.NaN, "column " + Limits.quote(t) + " holds text; no " + (m.isClassifier() ? "accuracy" : "error")
                        + " reported");
            }
        }
        int n = ds.columns.rows();
        if (m.isClassifier()) {
            String label = m.targets().get(0);
            double[] truth = ds.columns.column(label);
            double[] predicted = predictions.get(label);
            int bad = Trainer.firstNonLabel(truth);
            if (bad < 0) {
                for (int i = 0; i < n; i++) {
                    if (truth[i] >= m.classes()) {
                        bad = i;
                        break;
                    }
                }
            }
            if (bad >= 0) {
                return new Score(Double.NaN, ds.row(bad) + ": " + Limits.quote(label) + " is " + Text.shortest(truth[bad])
                        + ", not one of the classifier's labels 0…" + (m.classes() - 1) + "; no accuracy reported");
            }
            int right = 0;
            for (int i = 0; i < n; i++) {
                right += predicted[i] == truth[i] ? 1 : 0;
            }
            return new Score((double) right / n, null);
        }
        double sum = 0;
        for (String t : m.targets()) {
            double[] y = ds.columns.column(t);
            double[] f = predictions.get(t);
            for (int i = 0; i < n; i++) {
                double r = f[i] - y[i];
                sum += r * r;
            }
        }
        return new Score(sum / n, null);
    }

    /** One line on stderr when a prediction is NaN or infinite (from a NaN or huge input), naming the first row. */
    private static void warnNonFinite(Map<String, double[]> predictions, DataSet ds, PrintWriter err) {
        int count = 0;
        int first = -1;
        List<double[]> cols = List.copyOf(predictions.values());
        int n = ds.columns.rows();
        for (int i = 0; i < n; i++) {
            for (double[] c : cols) {
                if (!Double.isFinite(c[i])) {
                    count++;
                    first = first < 0 ? i : first;
                    break;
                }
            }
        }
        if (count > 0) {
            err.println("backprop: warning: " + count + " of " + n + " rows have a prediction that is NaN or infinite (first: "
                    + ds.row(first) + "); check the inputs there");
        }
    }
}
