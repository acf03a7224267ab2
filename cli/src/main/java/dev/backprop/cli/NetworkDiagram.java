package dev.backprop.cli;

import dev.backprop.book.BackpropExperiment;
import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Notebook 7.2's network as a {@link Diagram}: the input x, the hidden units, the output f_K and
 * the loss ℓ, left to right, each with its forward values (f, h = ReLU(f)) and its backward value
 * ∂ℓ/∂f. Small networks get a box per unit, with its bias and incoming weights, and an arrow per
 * weight; large ones a box per layer with the spread of those values, the weight matrix that feeds
 * it and its gradient's norm, the chain of layers folded into rows to keep a page's proportions.
 *
 * <p>Units with f ≤ 0 are greyed, with their arrows: ReLU outputs 0 there and its derivative
 * I[f &gt; 0] is 0, so neither the forward value nor the gradient passes through them.
 */
final class NetworkDiagram {
    /** Above this many units per layer a box per unit, with D² labelled arrows between layers, is unreadable. */
    static final int MAX_UNITS = 12;
    /** Above this many hidden layers a box per unit makes a picture too wide for a page. */
    static final int MAX_LAYERS = 8;

    private NetworkDiagram() {
    }

    /** Whether a network of {@code layers} hidden layers of {@code width} units is drawn unit by unit. */
    static boolean perUnit(int layers, int width) {
        return layers <= MAX_LAYERS && width <= MAX_UNITS;
    }

    /** The picture of {@code r}: unit by unit if {@link #perUnit}, else layer by layer. */
    static Diagram of(BackpropExperiment.Result r, int digits) {
        int layers = r.network().layers();
        int width = r.f().get(0).size();
        return perUnit(layers, width) ? units(r, layers, width, digits) : layers(r, layers, width, digits);
    }

    private static String num(double v, int digits) {
        return Text.num(v, digits);
    }

    /** Hidden layer i (1..K) has pre-activations f_{i−1} and activations h_i = ReLU(f_{i−1}). */
    private static Diagram units(BackpropExperiment.Result r, int layers, int width, int digits) {
        List<Diagram.Box> boxes = new ArrayList<>();
        List<Diagram.Arrow> arrows = new ArrayList<>();
        double x = r.h().get(0).at(0);
        boxes.add(new Diagram.Box(List.of("x  (input)", "h0 = " + num(x, digits),
                "∂ℓ/∂x = " + num(r.dlDinput().at(0), digits)), GraphPicture.Style.INPUT, false));
        int[] previous = {0}; // box ids of the layer feeding the next
        boolean[] previousDead = {false};
        for (int i = 1; i <= layers; i++) {
            double[] f = r.f().get(i - 1).toArray();
            double[] h = r.h().get(i).toArray();
            double[] g = r.dlDf().get(i - 1).toArray();
            int[] ids = new int[width];
            boolean[] dead = new boolean[width];
            for (int j = 0; j < width; j++) {
                ids[j] = boxes.size();
                dead[j] = !(f[j] > 0);
                boxes.add(new Diagram.Box(List.of("hidden " + i + ", unit " + j,
                        "f" + (i - 1) + " = " + num(f[j], digits),
                        "h" + i + " = " + num(h[j], digits),
                        "∂ℓ/∂f" + (i - 1) + " = " + num(g[j], digits),
                        inflow(r, i - 1, j, digits)), GraphPicture.Style.OPERATION, dead[j]));
                for (int a = 0; a < previous.length; a++) {
                    arrows.add(new Diagram.Arrow(previous[a], ids[j], "", dead[j] || previousDead[a]));
                }
            }
            previous = ids;
            previousDead = dead;
        }
        int out = boxes.size();
        double fK = r.output();
        boxes.add(new Diagram.Box(List.of("output", "f" + layers + " = " + num(fK, digits),
                "∂ℓ/∂f" + layers + " = 2(f" + layers + " − y) = " + num(r.dlDf().get(layers).at(0), digits),
                inflow(r, layers, 0, digits)), GraphPicture.Style.OPERATION, false));
        for (int a = 0; a < previous.length; a++) {
            arrows.add(new Diagram.Arrow(previous[a], out, "", previousDead[a]));
        }
        loss(r, layers, digits, boxes, arrows, out);
        return new Diagram(title(layers, width) + ": per unit f = β + ω·h, h = ReLU(f) and ∂ℓ/∂f",
                boxes, arrows, true);
    }

    /**
     * "β b, ω [w…]": unit {@code j}'s bias and its row of Ω_k, the weights on its incoming arrows
     * in the order of the boxes they come from. Written in the box rather than on the arrows:
     * D² labels between two columns of D boxes pile up far from their arrows and cannot be read.
     */
    private static String inflow(BackpropExperiment.Result r, int k, int j, int digits) {
        double[] row = r.network().weight(k).toMatrix()[j];
        List<String> w = new ArrayList<>();
        for (double v : row) {
            w.add(num(v, digits));
        }
        return "β " + num(r.network().bias(k).at(j), digits) + ", ω " + (row.length == 1 ? w.get(0) : "[" + String.join(", ", w) + "]");
    }

    private static void loss(BackpropExperiment.Result r, int layers, int digits, List<Diagram.Box> boxes,
                             List<Diagram.Arrow> arrows, int out) {
        boxes.add(new Diagram.Box(List.of("loss ℓ = (f" + layers + " − y)²", "y = " + num(r.target().at(0), digits),
                "ℓ = " + num(r.loss(), digits)), GraphPicture.Style.OUTPUT, false));
        arrows.add(new Diagram.Arrow(out, boxes.size() - 1, "", false));
    }

    private static String title(int layers, int width) {
        return "Notebook 7.2's ReLU network, " + Text.count(layers, "hidden layer") + " of " + Text.count(width, "unit");
    }

    /** "mean m, sd s, min a, max b" of {@code v} (sd over the D units, not an estimate: divided by D). */
    static String spread(double[] v, int digits) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double e : v) {
            sum += e;
            min = Math.min(min, e);
            max = Math.max(max, e);
        }
        double mean = sum / v.length;
        double squares = 0;
        for (double e : v) {
            squares += (e - mean) * (e - mean);
        }
        return "mean " + num(mean, digits) + ", sd " + num(Math.sqrt(squares / v.length), digits) + ", min "
                + num(min, digits) + ", max " + num(max, digits);
    }

    private static double norm(Tensor t) {
        double s = 0;
        for (double e : t.toArray()) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    private static Diagram layers(BackpropExperiment.Result r, int layers, int width, int digits) {
        List<Diagram.Box> boxes = new ArrayList<>();
        List<Diagram.Arrow> arrows = new ArrayList<>();
        boxes.add(new Diagram.Box(List.of("x  (input)", "h0 = " + num(r.h().get(0).at(0), digits),
                "∂ℓ/∂x = " + num(r.dlDinput().at(0), digits)), GraphPicture.Style.INPUT, false));
        for (int i = 1; i <= layers; i++) {
            double[] f = r.f().get(i - 1).toArray();
            int dead = 0;
            for (double e : f) {
                dead += e > 0 ? 0 : 1;
            }
            boxes.add(new Diagram.Box(List.of("hidden " + i + "  (" + Text.count(width, "unit") + ")",
                    "f" + (i - 1) + ": " + spread(f, digits),
                    "h" + i + ": " + spread(r.h().get(i).toArray(), digits),
                    "∂ℓ/∂f" + (i - 1) + ": " + spread(r.dlDf().get(i - 1).toArray(), digits),
                    "inactive (f ≤ 0): " + dead + " of " + width,
                    weights(r, i - 1, digits)), GraphPicture.Style.OPERATION, false));
            arrows.add(new Diagram.Arrow(i - 1, i, "", false));
        }
        int out = boxes.size();
        boxes.add(new Diagram.Box(List.of("output", "f" + layers + " = " + num(r.output(), digits),
                "∂ℓ/∂f" + layers + " = 2(f" + layers + " − y) = " + num(r.dlDf().get(layers).at(0), digits),
                weights(r, layers, digits)), GraphPicture.Style.OPERATION, false));
        arrows.add(new Diagram.Arrow(out - 1, out, "", false));
        loss(r, layers, digits, boxes, arrows, out);
        return new Diagram(title(layers, width) + ": the spread of f, h = ReLU(f) and ∂ℓ/∂f over each layer's units",
                boxes, arrows, false, true);
    }

    /**
     * Weight matrix Ω_k, which feeds the box it is written in: its shape and the size of its
     * gradient. In the box rather than on the arrow, so a long chain of layers can be folded into
     * rows (ELK cannot wrap a graph whose arrows carry labels).
     */
    private static String weights(BackpropExperiment.Result r, int k, int digits) {
        int[] shape = r.network().weight(k).shape();
        return "Ω" + k + " " + shape[0] + "×" + shape[1] + ", ‖∂ℓ/∂Ω" + k + "‖ = " + num(norm(r.dlDweight().get(k)), digits);
    }
}
