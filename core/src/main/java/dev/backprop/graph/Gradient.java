package dev.backprop.graph;

import dev.backprop.io.Limits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of one reverse sweep: ∂output/∂node for every node at or before the output
 * (the book's Step 2), and in particular for every input.
 */
public final class Gradient {
    /** The {@link Tape#origin} of the tape whose {@link Var}s this gradient accepts. */
    private final Object origin;
    private final Nodes nodes;
    private final double[][] values;
    private final double[] adjoint;
    private final int[] inputs;
    /** The sweep's seeds, or null for 1 at the last node (the output). */
    private final double[] seed;

    Gradient(Object origin, Nodes nodes, double[][] values, double[] adjoint, int[] inputs, double[] seed) {
        this.origin = origin;
        this.nodes = nodes;
        this.values = values;
        this.seed = seed;
        this.adjoint = adjoint;
        this.inputs = inputs;
    }

    /**
     * ∂output/∂v; zero for values the output does not depend on (including values recorded after
     * the output).
     *
     * @param v a value of the tape this gradient was taken on, or of the tape a {@link Program}
     *          was frozen from
     * @throws IllegalArgumentException if {@code v} was recorded on another tape, whose node
     *         indices mean nothing here
     */
    public double of(Var v) {
        if (v.tape().origin != origin) {
            throw new IllegalArgumentException("that value was recorded on another tape");
        }
        return of(v.index());
    }

    /** ∂output/∂(node {@code i}). */
    public double of(int i) {
        return i < adjoint.length ? adjoint[i] : 0;
    }

    /** ∂output/∂(input called {@code name}). */
    public double of(String name) {
        for (int i : inputs) {
            if (nodes.name(i).equals(name)) {
                return of(i);
            }
        }
        List<String> names = new ArrayList<>();
        for (int i : inputs) {
            names.add(nodes.name(i));
        }
        throw new IllegalArgumentException("no input called " + Limits.quote(String.valueOf(name)) + " (inputs: " + Limits.list(names) + ")");
    }

    /** Every input's derivative, by name, in the order the inputs were declared. */
    public Map<String, Double> inputs() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i : inputs) {
            m.put(nodes.name(i), of(i));
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Whose derivatives with respect to the inputs: {@code Gradient[of l: x=0.35, y=-1.2]} (the
     * first ten inputs); a {@linkplain Evaluation#gradient(double[]) seeded} sweep says so instead
     * of naming an output.
     */
    @Override
    public String toString() {
        String of = seed == null ? Limits.shortName(nodes.label(adjoint.length - 1)) : "seeded nodes";
        return "Gradient[of " + of + ": " + Limits.entries(inputs()) + "]";
    }

    /**
     * The first step of the reverse sweep whose derivative became NaN or infinite, with the
     * operation that passed it on; empty when every derivative is finite.
     */
    public Optional<NonFinite> firstNonFinite() {
        double[] from = seed;
        if (from == null) {
            from = new double[adjoint.length];
            from[from.length - 1] = 1;
        }
        return NonFinite.firstInBackward(nodes, values, from);
    }
}
