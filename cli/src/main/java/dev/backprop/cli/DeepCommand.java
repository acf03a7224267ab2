package dev.backprop.cli;

import dev.backprop.book.BackpropExperiment;
import dev.backprop.book.BackpropExperiment.LayerCheck;
import dev.backprop.tensor.Tensor;
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

/** {@code backprop deep}: notebook 7.2, backpropagation through a deep ReLU network. */
@Command(name = "deep", mixinStandardHelpOptions = true,
        description = {"Notebook 7.2: backpropagation through a deep ReLU network.",
                "A ReLU network of K hidden layers of D units, parameters drawn as the",
                "notebook does (np.random.seed, then normal draws), one input x and target y. Prints the",
                "forward pass (f_k, h_k), the backward pass (∂ℓ/∂f_k), the parameter gradients and the",
                "notebook's finite-difference check of every bias and weight (step 1e-6, allclose)."})
final class DeepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "0", description = "np.random.seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--layers", defaultValue = "5", description = "K, hidden layers (default: ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--width", defaultValue = "6", description = "D, units per hidden layer (default: ${DEFAULT-VALUE}).")
    int width;
    @Option(names = "--x", defaultValue = "1.2", description = "Input (default: ${DEFAULT-VALUE}).")
    double x;
    @Option(names = "--y", defaultValue = "20", description = "Target (default: ${DEFAULT-VALUE}).")
    double y;
    @Option(names = "--no-check", description = "Skip the finite-difference check (it costs about K²·D⁴ forward passes).")
    boolean noCheck;
    @Option(names = "--digits", defaultValue = "3", converter = Digits.class,
            description = "Decimals (0 to 17; default: ${DEFAULT-VALUE}).")
    int digits;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;
    @Option(names = "--graph", paramLabel = "FILE.svg|FILE.png|FILE.dot",
            description = {"Also draw the network: a box per unit with f, h and ∂ℓ/∂f and an arrow per weight ω "
                    + "(up to " + NetworkDiagram.MAX_LAYERS + " layers of " + NetworkDiagram.MAX_UNITS + " units), "
                    + "else a box per layer with their spread, folded into rows. With --json, also its boxes, "
                    + "arrows and layout under \"graph\"."})
    Path graph;

    @Override
    public Integer call() {
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new BadInput("--seed must be between 0 and 2^32 - 1, got " + seed);
        }
        if (layers < 1 || width < 1) {
            throw new BadInput("--layers and --width must be at least 1, got " + layers + " and " + width);
        }
        GraphFiles.Format format = GraphCommand.checkedFormat("--graph", graph);
        // The parameters, their gradients and the draw's transient copy (the check works a layer at a time).
        NetworkMemory.require(1, width, layers, 1, 24, noCheck ? 0 : NetworkMemory.times((long) width * width, 5 * 8), "");
        if (!noCheck) {
            warnSlowCheck(spec.commandLine().getErr());
        }
        BackpropExperiment.Result r = BackpropExperiment.run(seed, layers, width, x, y, !noCheck);
        GraphPicture picture = graph == null ? null : draw(NetworkDiagram.of(r, digits), format);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>(JsonOutput.network(r));
            m.put("dl_dinput", r.dlDinput().size() == 1 ? (Object) r.dlDinput().at(0) : r.dlDinput().toArray());
            if (!noCheck) {
                Map<String, Object> checks = new LinkedHashMap<>();
                checks.put("bias", r.biasChecks().stream().map(LayerCheck::matches).toList());
                checks.put("weight", r.weightChecks().stream().map(LayerCheck::matches).toList());
                m.put("finite_difference_check", checks);
            }
            if (picture != null) {
                m.put("graph", GraphFiles.diagramJson(picture));
            }
            out.println(Json.of(m));
            return 0;
        }
        out.println("Notebook 7.2: a ReLU network with K = " + Text.count(layers, "hidden layer") + " of D = "
                + Text.count(width, "unit") + ", parameters from np.random.seed(" + seed + ")");
        out.println("input x = " + x + ", target y = " + y);
        out.println();
        out.println("Output f_K = " + Text.num(r.output(), digits));
        out.println("Loss ℓ = (f_K − y)² = " + Text.num(r.loss(), digits));
        out.println();
        out.println("Forward pass: f_k = β_k + Ω_k·h_k, h_{k+1} = ReLU(f_k), h_0 = x");
        for (int k = 0; k <= layers; k++) {
            out.println("  f" + k + " = " + vector(r.f().get(k)));
            if (k < layers) {
                out.println("  h" + (k + 1) + " = " + vector(r.h().get(k + 1)));
            }
        }
        out.println();
        out.println("Backward pass: ∂ℓ/∂f_K = 2(f_K − y); ∂ℓ/∂f_{k−1} = I[f_{k−1} > 0] ⊙ Ω_kᵀ·∂ℓ/∂f_k");
        for (int k = layers; k >= 0; k--) {
            out.println("  ∂ℓ/∂f" + k + " = " + vector(r.dlDf().get(k)));
        }
        out.println();
        out.println("Parameter gradients: ∂ℓ/∂β_k = ∂ℓ/∂f_k, ∂ℓ/∂Ω_k = ∂ℓ/∂f_k·h_kᵀ");
        for (int k = 0; k <= layers; k++) {
            out.println("  ∂ℓ/∂β" + k + " = " + vector(r.dlDbias().get(k)));
            String label = "  ∂ℓ/∂Ω" + k + " = ";
            List<String> rows = matrix(r.dlDweight().get(k).toMatrix());
            for (int i = 0; i < rows.size(); i++) {
                out.println((i == 0 ? label : " ".repeat(label.length())) + rows.get(i));
            }
        }
        out.println("  ∂ℓ/∂x = " + vector(r.dlDinput()));
        if (!noCheck) {
            out.println();
            out.println("Finite-difference check (forward difference, step " + BackpropExperiment.STEP
                    + ", allclose rtol 1e-5, atol 1e-8)");
            for (LayerCheck c : r.biasChecks()) {
                out.println("  bias layer " + c.layer() + ": " + (c.matches() ? "Success!" : "Failure!"));
            }
            for (LayerCheck c : r.weightChecks()) {
                out.println("  weight layer " + c.layer() + ": " + (c.matches() ? "Success!" : "Failure!"));
            }
        }
        return 0;
    }

    /**
     * Writes the network's picture and returns its layout (for --json); DOT is left to Graphviz to
     * lay out, so its layout is computed only if {@code json} asks for it, else null.
     */
    private GraphPicture draw(Diagram d, GraphFiles.Format format) {
        if (format == GraphFiles.Format.DOT) {
            OutputPaths.write(graph, GraphFiles.dot(d));
            return json ? GraphPicture.layout(d, null) : null;
        }
        GraphPicture pic = GraphPicture.layout(d, null);
        if (format == GraphFiles.Format.SVG) {
            OutputPaths.write(graph, GraphFiles.svg(pic));
        } else {
            byte[] png = GraphFiles.png(pic);
            OutputPaths.write(graph, o -> o.write(png));
        }
        return pic;
    }

    /**
     * Seconds per (parameter × parameter) of the check: it runs two forward passes per parameter,
     * each costing about one multiply-add per parameter. Measured at 15–25 ns on a busy 2-core
     * machine (K = 10–20, D = 30–80); the lower figure keeps the warning for runs that are slow.
     */
    private static final double CHECK_SECONDS_PER_UNIT = 1e-8;

    /** Says on stderr, before it starts, that the finite-difference check will take a while. */
    private void warnSlowCheck(PrintWriter err) {
        slowCheckWarning(layers, width).ifPresent(w -> {
            err.println("backprop: " + w);
            err.flush();
        });
    }

    /** The warning for a check of K layers of D units expected to take more than a few seconds; else empty. */
    static java.util.Optional<String> slowCheckWarning(int layers, int width) {
        long p = NetworkMemory.parameters(1, width, layers, 1);
        double seconds = p < 0 ? Double.POSITIVE_INFINITY : (double) p * p * CHECK_SECONDS_PER_UNIT;
        if (seconds <= 3) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the finite-difference check runs two forward passes for each of the "
                + (p < 0 ? "too many parameters" : Text.count(p, "parameter")) + "; expect "
                + (seconds < 3600 ? "about " + Text.count(Math.round(seconds), "second") : "hours")
                + " or more (--no-check skips it)");
    }

    /** The rows of a matrix, each number right-aligned in its column: "[ 0.123, -4.560]". */
    private List<String> matrix(double[][] m) {
        int cols = m.length == 0 ? 0 : m[0].length;
        String[][] cells = new String[m.length][cols];
        int width = 0;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < cols; j++) {
                cells[i][j] = Text.num(m[i][j], digits);
                width = Math.max(width, cells[i][j].length());
            }
        }
        List<String> rows = new ArrayList<>();
        for (String[] row : cells) {
            List<String> padded = new ArrayList<>();
            for (String c : row) {
                padded.add(" ".repeat(width - c.length()) + c);
            }
            rows.add("[" + String.join(", ", padded) + "]");
        }
        return rows;
    }

    private String vector(Tensor t) {
        double[] a = t.toArray();
        List<String> s = new ArrayList<>();
        for (double v : a) {
            s.add(Text.num(v, digits));
        }
        return "[" + String.join(", ", s) + "]";
    }
}
