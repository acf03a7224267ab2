package dev.backprop.cli;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.NetworkFit;
import dev.backprop.io.Columns;
import dev.backprop.io.Limits;
import dev.backprop.nn.Init;
import dev.backprop.nn.Network;
import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop train}: the ReLU network of notebook 7.2 fitted to a CSV of inputs and targets. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a ReLU network on columns of data.",
                "Trains a ReLU network (K hidden layers of D units, He initialisation) by",
                "least squares on columns of the data, with gradients from the explicit",
                "backward pass. --seed seeds both the initialisation and the shuffling.",
                "Exit codes: 0 done, 1 the loss stopped being finite, 2 bad input (before",
                "the run) or a file not written (after the results are printed), 130 Ctrl-C",
                "(SIGINT), 143 SIGTERM; after a signal the parameters reached are kept."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "CSV file with a header row of column names, or NAME=FILE.npy,….")
    String data;
    @Option(names = "--inputs", required = true, split = ",", paramLabel = "COLUMN", description = "Input columns, e.g. x1,x2.")
    List<String> inputs;
    @Option(names = "--targets", required = true, split = ",", paramLabel = "COLUMN", description = "Target columns, e.g. y.")
    List<String> targets;
    @Option(names = "--layers", defaultValue = "2", description = "K, hidden layers (default: ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--width", defaultValue = "16", description = "D, units per hidden layer (default: ${DEFAULT-VALUE}).")
    int width;
    @Mixin
    Training training;

    @Override
    public Integer call() {
        OutputPaths paths = new OutputPaths();
        DataSet.paths(data).forEach(p -> paths.input("--data", p));
        training.checkOutputs(paths, inputs.size() == 1 && targets.size() == 1);
        if (layers < 1 || width < 1) {
            throw new BadInput("--layers and --width must be at least 1, got " + layers + " and " + width);
        }
        unique(inputs, "--inputs");
        unique(targets, "--targets");
        Columns columns = DataSet.read(data).columns;
        for (String c : concat(inputs, targets)) {
            if (!columns.has(c)) {
                throw new BadInput(data + " has no column " + Limits.quote(c) + " (columns: " + Limits.list(columns.names()) + ")");
            }
        }
        requireMemory(columns.rows());
        NetworkFit fit = NetworkFit.of(columns, inputs, targets);
        var schedule = training.schedule(1000); // validates --seed before it is used below
        // One --seed for the initialisation and the shuffling: two streams, each seeded with it.
        Network init = Init.he(new RandomState(training.seed), inputs.size(), width, layers, targets.size());
        var optimizer = training.optimizer(0.01);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Training.Bar bar = new Training.Bar();
        return Training.run(stop -> fit.fit(init, optimizer, schedule, bar, stop), t -> {
            bar.finish();
            FitResult r = t.result();
            int code = Training.report(r, err);
            Map<String, Object> params = params(t.network());
            String title = "Training a ReLU network (K = " + layers + ", D = " + width + ")";
            java.util.function.Consumer<Path> curve = inputs.size() == 1 && targets.size() == 1
                    ? file -> curvePlot(file, columns, t.network()) : null;
            if (training.json) {
                o.println(Json.of(training.json(params, r, training.plots(curve != null))));
                o.flush();
                return Training.exitCode(code, training.save(params, r, title, curve, err));
            }
            o.println("Trained a ReLU network, " + inputs.size() + " → " + layers + " × " + width + " → " + targets.size()
                    + " (" + Text.count(r.params().length, "parameter") + "), on " + Text.count(columns.rows(), "row") + " of " + data);
            o.println("least squares, " + training.optimizerName() + ", " + (schedule.steps() > 0 ? Text.count(schedule.steps(), "step")
                    : Text.count(schedule.epochs(), "epoch")) + (schedule.batchSize() == 0 ? ", every row each step"
                    : ", mini-batches of " + schedule.batchSize()));
            o.println("loss: " + Text.num(r.initialLoss(), training.digits) + " → " + Text.num(r.loss(), training.digits)
                    + " (mean per row " + Text.num(r.loss() / columns.rows(), training.digits) + ")");
            o.println(Text.count(r.steps(), "step") + (r.completed() ? "" : " (" + Training.stopName(r) + ")"));
            o.flush();
            Training.Saved saved = training.save(params, r, title, curve, err);
            if (saved.out()) {
                o.println("Weights and biases: " + training.out);
            }
            List<String> plots = saved.plots();
            if (plots.size() == 1) {
                o.println("Loss curve: " + plots.get(0));
            } else if (plots.size() == 2) {
                o.println("Loss curve: " + plots.get(0) + "; data and the network's curve: " + plots.get(1));
            }
            return Training.exitCode(code, saved);
        });
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
    private void requireMemory(int rows) {
        long activations = NetworkMemory.times(NetworkMemory.times(rows, width), (long) layers * 8 * 4);
        NetworkMemory.require(inputs.size(), width, layers, targets.size(), 80, activations,
                ", trained on " + Text.count(rows, "row") + ",");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** omega0 as a list of rows, beta0 as a list, … in layer order. */
    static Map<String, Object> params(Network net) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k <= net.layers(); k++) {
            m.put("omega" + k, List.of((Object[]) net.weight(k).toMatrix()));
            m.put("beta" + k, net.bias(k).toArray());
        }
        return m;
    }

    private void curvePlot(Path file, Columns columns, Network net) {
        double[] xs = columns.column(inputs.get(0));
        double[] grid = Training.grid(xs, 300);
        double[] curve = net.output(Tensor.of(grid, 1, grid.length)).toArray();
        List<Plots.Series> s = new ArrayList<>();
        s.add(new Plots.Series("data", xs, columns.column(targets.get(0)), false, true, 0));
        s.add(new Plots.Series("network", grid, curve, false, false, 1));
        Plots.write(file, "Data and the trained network", inputs.get(0), targets.get(0), false, s);
    }
}
