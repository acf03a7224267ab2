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
     * The local derivatives of node {@code node} with respect to the nodes of {@code boundary} it
     * reads directly: the reverse sweep seeded with 1 at {@code node}, stopping at every node of
     * {@code boundary} below it (they collect but pass nothing on). With the steps of a formula and
     * its inputs as the boundary, {@code of(s)} is ∂node/∂s through node's own expression only, so
     * Σ over the steps t that read s of ∂out/∂t · ∂t/∂s is ∂out/∂s: the chain rule, term by term.
     */
    public Gradient localGradient(int node, java.util.BitSet boundary) {
        double[] adj = new double[node + 1];
        adj[node] = 1;
        double[] seed = adj.clone();
        program.nodes.sweep(values, adj, null, boundary);
        return new Gradient(program.origin, program.nodes, values, adj, program.inputIndices(), seed);
    }

    /** How {@link #jacobian} sweeps: one reverse sweep per output, or one forward sweep per input. */
    public enum Mode {
        /** Reverse when there are fewer outputs than inputs, else forward: the fewer sweeps. */
        AUTO,
        /** One forward (tangent) sweep per input. */
        FORWARD,
        /** One reverse sweep per output. */
        REVERSE
    }

    /**
     * Forward mode: the derivative of the output along {@code direction} (one number per input,
     * in the order of {@link Program#inputs()}), in one forward sweep with a tangent beside every
     * value. Equal, to rounding, to the gradient dotted with the direction.
     *
     * @throws IllegalArgumentException if there is not one number per input
     */
    public double jvp(double... direction) {
        return jvp(new int[] {program.output()}, direction)[0];
    }

    /** Forward mode at several nodes at once: the tangent of each node of {@code at} along {@code direction}. */
    public double[] jvp(int[] at, double... direction) {
        double[] t = tangents(direction);
        double[] out = new double[at.length];
        for (int k = 0; k < at.length; k++) {
            out[k] = t[at[k]];
        }
        return out;
    }

    private double[] tangents(double[] direction) {
        int[] inputs = program.inputIndices();
        if (direction.length != inputs.length) {
            throw new IllegalArgumentException("expected one direction per input " + program.inputs() + ", got " + direction.length);
        }
        double[] t = new double[program.size()];
        for (int k = 0; k < inputs.length; k++) {
            t[inputs[k]] = direction[k];
        }
        program.nodes.tangents(values, t, program.size());
        return t;
    }

    /**
     * The Hessian of the output with respect to the inputs times {@code v} (one number per input):
     * the reverse sweep recorded as a program at this point, then swept once itself (reverse over
     * reverse), so second derivatives come from the same rule table and the same sweep.
     *
     * @throws IllegalArgumentException if there is not one number per input
     */
    public double[] hvp(double... v) {
        if (v.length != program.inputs().size()) {
            throw new IllegalArgumentException("expected one number per input " + program.inputs() + ", got " + v.length);
        }
        return recorded().hessianTimes(v);
    }

    /** The Hessian with respect to the inputs, in input order: one {@link #hvp} per input; symmetric to rounding. */
    public double[][] hessian() {
        Recorded r = recorded();
        int n = program.inputs().size();
        double[][] h = new double[n][];
        for (int k = 0; k < n; k++) {
            double[] e = new double[n];
            e[k] = 1;
            h[k] = r.hessianTimes(e);
        }
        return h;
    }

    private Recorded recorded() {
        return Recorded.of(program, values);
    }

    /**
     * The Jacobian of the nodes {@code outputs} with respect to the inputs (rows = outputs,
     * columns = inputs in input order), by one reverse sweep per output or one forward sweep per
     * input ({@link Mode#AUTO} picks the fewer).
     */
    public double[][] jacobian(int[] outputs, Mode mode) {
        int n = program.inputs().size();
        boolean reverse = mode == Mode.REVERSE || (mode == Mode.AUTO && outputs.length < n);
        double[][] j = new double[outputs.length][n];
        int[] inputs = program.inputIndices();
        if (reverse) {
            for (int r = 0; r < outputs.length; r++) {
                double[] seed = new double[outputs[r] + 1];
                seed[outputs[r]] = 1;
                Gradient g = gradient(seed);
                for (int c = 0; c < n; c++) {
                    j[r][c] = g.of(inputs[c]);
                }
            }
        } else {
            for (int c = 0; c < n; c++) {
                double[] e = new double[n];
                e[c] = 1;
                double[] t = jvp(outputs, e);
                for (int r = 0; r < outputs.length; r++) {
                    j[r][c] = t[r];
                }
            }
        }
        return j;
    }

    /**
     * The first step whose value is NaN or infinite although its arguments are finite: where the
     * trouble started. Empty when every value is finite.
     */
    public Optional<NonFinite> firstNonFinite() {
        return NonFinite.firstInForward(program.nodes, values, program.output());
    }
}
