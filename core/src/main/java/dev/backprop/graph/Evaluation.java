package dev.backprop.graph;

import dev.backprop.io.Limits;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The forward pass of a {@link Program} at one point: the value of every node (the book's Step 1).
 * Immutable; {@link #gradient()} runs the reverse sweep (Step 2).
 */
public final class Evaluation {
    private final Program program;
    private final double[][] values;

    Evaluation(Program program, double[][] values) {
        this.program = program;
        this.values = values;
    }

    /** The program evaluated. */
    public Program program() {
        return program;
    }

    /** The output's value. */
    public double value() {
        return Nodes.get(values, program.output());
    }

    /** The value of node {@code i}. */
    public double value(int i) {
        return Nodes.get(values, i);
    }

    /** The reverse sweep from the output: derivatives with respect to every node. */
    public Gradient gradient() {
        double[] adj = program.nodes.backward(values, program.output());
        return new Gradient(program.origin, program.nodes, values, adj, program.inputIndices(), null);
    }

    /**
     * A vector-Jacobian product: the reverse sweep seeded with {@code seed[i]} at node {@code i}
     * instead of 1 at the output, so the result is Σᵢ seed[i]·∂node_i/∂(every node).
     *
     * @param seed one number per node, at most {@link Program#size()} of them; not modified
     * @throws IllegalArgumentException if there are more seeds than nodes
     */
    public Gradient gradient(double[] seed) {
        if (seed.length > program.size()) {
            throw new IllegalArgumentException("at most " + program.size() + " seeds, one per node; got " + seed.length);
        }
        double[] adj = seed.clone();
        program.nodes.sweep(values, adj, null);
        return new Gradient(program.origin, program.nodes, values, adj, program.inputIndices(), seed.clone());
    }

    /** The output and the point: {@code Evaluation[l = 0.139… at x=2.3, y=2.0, …]}. */
    @Override
    public String toString() {
        Map<String, Double> at = new LinkedHashMap<>();
        for (int i : program.inputIndices()) {
            at.put(program.name(i), value(i));
        }
        return "Evaluation[" + Limits.shortName(program.label(program.output())) + " = " + value() + " at " + Limits.entries(at) + "]";
    }

    /**
     * The first step whose value is NaN or infinite although its arguments are finite: where the
     * trouble started. Empty when every value is finite.
     */
    public Optional<NonFinite> firstNonFinite() {
        return NonFinite.firstInForward(program.nodes, values, program.output());
    }
}
