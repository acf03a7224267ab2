package dev.backprop.cli;

import dev.backprop.book.InitExperiment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop init}: notebook 7.3, how the initial weight variance scales signals with depth. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Notebook 7.3: how the initial weights scale signals with depth.",
                "Weights drawn from N(0, σ²) with zero biases. Forward: the standard",
                "deviation of the activations h_k of n random inputs, per layer. Backward: the standard",
                "deviation of ∂ℓ/∂f_k over 100 examples, per layer. σ² = 2/D (He) keeps both stable;",
                "larger explodes, smaller vanishes."})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--layers", defaultValue = "5", description = "K, hidden layers (default: ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--width", defaultValue = "8", description = "D, units per hidden layer (default: ${DEFAULT-VALUE}).")
    int width;
    @Option(names = "--sigma2", defaultValue = "1.0", description = "σ², variance of the weights (default: ${DEFAULT-VALUE}).")
    double sigma2;
    @Option(names = "--n", defaultValue = "1000", description = "Inputs in the forward experiment (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--plot", paramLabel = "FILE", description = "Draw the deviations per layer (log scale) for this σ², He's 2/D and a smaller σ², to FILE (.png or .svg).")
    Path plot;
    @Option(names = "--digits", defaultValue = "3", converter = Digits.class,
            description = "Decimals (0 to 17; default: ${DEFAULT-VALUE}).")
    int digits;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;

    @Override
    public Integer call() {
        if (layers < 1 || width < 1 || n < 1) {
            throw new BadInput("--layers, --width and --n must be at least 1, got " + layers + ", " + width + " and " + n);
        }
        if (!(sigma2 >= 0) || Double.isInfinite(sigma2)) {
            throw new BadInput("--sigma2 must be a non-negative number, got " + sigma2);
        }
        if (plot != null) {
            Plots.checkTarget(plot);
            new OutputPaths().output("--plot", plot).check();
        }
        // The parameters, the draw's transient copy and a gradient; f_k and h_k of every layer for
        // the n inputs; the pooled ∂ℓ/∂f_k of the backward experiment's examples.
        long activations = NetworkMemory.times(NetworkMemory.times(n, width), 2L * (layers + 1) * 8);
        long pooled = NetworkMemory.times(NetworkMemory.times(layers, width), 8L * InitExperiment.DEFAULT_EXAMPLES);
        NetworkMemory.require(1, width, layers, 1, 24,
                activations < 0 || pooled < 0 ? -1 : activations + pooled, ", with " + Text.count(n, "input") + ",");
        InitExperiment.Result r = InitExperiment.run(layers, width, sigma2, n);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("forward_std", r.forwardStd());
            Map<String, Object> back = new LinkedHashMap<>();
            for (int k = 1; k < layers; k++) {
                back.put(Integer.toString(k), r.backwardStd(k));
            }
            m.put("backward_std", back);
            out.println(Json.of(m));
        } else {
            out.println("Notebook 7.3: K = " + Text.count(layers, "layer") + " of D = " + Text.count(width, "unit") + ", weights ~ N(0, σ² = "
                    + Text.shortest(sigma2) + "), biases 0 (He initialisation would be σ² = 2/D = " + Text.num(2.0 / width, digits) + ")");
            out.println();
            out.println("Forward: standard deviation of h_k over " + Text.count(n, "input"));
            List<String[]> rows = new ArrayList<>();
            for (int k = 1; k <= layers; k++) {
                rows.add(new String[] {"layer " + k, Text.num(r.forwardStd(k), digits)});
            }
            Text.table(out, "  ", rows);
            out.println();
            out.println("Backward: standard deviation of ∂ℓ/∂f_k over " + Text.count(r.examples(), "example"));
            rows = new ArrayList<>();
            for (int k = layers - 1; k >= 1; k--) {
                rows.add(new String[] {"layer " + k, Text.num(r.backwardStd(k), digits)});
            }
            if (rows.isEmpty()) {
                out.println("  (none: K = 1 has no hidden-to-hidden layer)");
            }
            Text.table(out, "  ", rows);
        }
        if (plot != null) {
            out.flush(); // the numbers are shown even if the chart then cannot be written
            draw(r);
            spec.commandLine().getErr().println("backprop: wrote " + plot);
        }
        return 0;
    }

    /** This σ², He's 2/D and a quarter of He's, forward solid and backward dashed, on one log chart. */
    private void draw(InitExperiment.Result mine) {
        double he = 2.0 / width;
        List<Double> variances = new ArrayList<>(List.of(sigma2));
        for (double v : new double[] {he, he / 4}) {
            if (variances.stream().noneMatch(u -> Math.abs(u - v) <= 1e-12 * v)) {
                variances.add(v);
            }
        }
        List<Plots.Series> series = new ArrayList<>();
        for (int g = 0; g < variances.size(); g++) {
            double v = variances.get(g);
            InitExperiment.Result r = v == sigma2 ? mine : InitExperiment.run(layers, width, v, n);
            String label = "σ² = " + Text.shortest(v) + (v == he ? " (He, 2/D)" : v == sigma2 ? " (given)" : " (smaller)");
            double[] fx = new double[layers];
            double[] fy = new double[layers];
            for (int k = 1; k <= layers; k++) {
                fx[k - 1] = k;
                fy[k - 1] = r.forwardStd(k);
            }
            series.add(new Plots.Series("forward, " + label, fx, fy, false, false, g));
            if (layers > 1) {
                double[] bx = new double[layers - 1];
                double[] by = new double[layers - 1];
                for (int k = 1; k < layers; k++) {
                    bx[k - 1] = k;
                    by[k - 1] = r.backwardStd(k);
                }
                series.add(new Plots.Series("backward, " + label, bx, by, true, false, g));
            }
        }
        Plots.write(plot, "Standard deviation per layer (K = " + layers + ", D = " + width + ")",
                "layer k", "standard deviation (h_k forward, ∂ℓ/∂f_k backward)", true, series);
    }
}
