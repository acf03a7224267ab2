package dev.backprop.book;

import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A program's computational graph at one point, as the book draws it: every input, constant and
 * primitive operation is a node with its forward value and its adjoint ∂output/∂node; every use of
 * a value by an operation is an edge with its local derivative ∂consumer/∂value and its
 * contribution (consumer's adjoint × local derivative) to the value's adjoint. A value read by
 * several operations has several outgoing edges; the sum of their contributions is its adjoint:
 * the multivariate chain rule, term by term.
 *
 * <p>Pictures of it are drawn by the command-line tool; this class only computes, so a Java user
 * (or a web page) gets the same numbers.
 *
 * @param outputName the output's name ({@code l} for the toy program)
 * @param output     the output's node id
 * @param nodes      every node, in program order (an operation's arguments come before it); a
 *                   node's {@code id} is its position here
 * @param edges      every use of a value, in program order of the consumer, then argument order
 */
public record ComputationGraph(String outputName, int output, List<Node> nodes, List<Edge> edges) {

    /** What a node is. */
    public enum Kind {
        /** A named input, given a value at the point. */
        INPUT,
        /** A number written in the formula. */
        CONSTANT,
        /** A primitive operation or a custom function applied to earlier nodes. */
        OPERATION
    }

    /**
     * One node.
     *
     * @param id         its position in {@link #nodes()}
     * @param name       the statement's name, the input's name, {@code t<id>} for an anonymous step, or
 *                   an unnamed constant's number
     * @param kind       input, constant or operation
     * @param op         the operation's symbol ({@code sin}, {@code *}); {@code input} or {@code constant}
     * @param expression how it is computed in formula syntax ({@code sin(f0)}); the name for an input,
 *                   the number for a constant
     * @param value      its forward value
     * @param adjoint    ∂output/∂node, from the one reverse sweep
     */
    public record Node(int id, String name, Kind kind, String op, String expression, double value, double adjoint) {
    }

    /**
     * One use of a value: argument {@code argument} of node {@code to} is node {@code from}.
     *
     * @param from         the value read
     * @param to           the operation that reads it
     * @param argument     which argument of {@code to} it is (x·x reads x twice: two edges)
     * @param local        ∂to/∂(this argument) at the point, from the operation's own rule
     * @param contribution ∂output/∂to × local: this use's term in {@code from}'s adjoint
     */
    public record Edge(int from, int to, int argument, double local, double contribution) {
    }

    /** The graph of {@code formula}'s program at {@code at} (every input needs a value). */
    public static ComputationGraph of(Formula formula, Map<String, Double> at) {
        Evaluation e = formula.program().evaluate(at);
        return of(e, e.gradient(), formula.outputName());
    }

    /** The graph of an evaluated program, with the adjoints of {@code g} (its reverse sweep). */
    public static ComputationGraph of(Evaluation e, Gradient g, String outputName) {
        Program p = e.program();
        List<Node> nodes = new ArrayList<>(p.size());
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            String name = i == p.output() ? outputName : p.label(i);
            if (p.isInput(i)) {
                nodes.add(new Node(i, name, Kind.INPUT, "input", name, e.value(i), g.of(i)));
            } else if (p.isConstant(i)) {
                String number = number(p.constantValue(i));
                nodes.add(new Node(i, p.name(i) == null ? number : name, Kind.CONSTANT, "constant", number, e.value(i), g.of(i)));
            } else {
                Rule r = p.rule(i);
                nodes.add(new Node(i, name, Kind.OPERATION, r.symbol(), p.describe(i), e.value(i), g.of(i)));
                int n = p.arity(i);
                double[] args = new double[n];
                for (int k = 0; k < n; k++) {
                    args[k] = e.value(p.argument(i, k));
                }
                for (int k = 0; k < n; k++) {
                    double local = r.partial(k, args, e.value(i));
                    edges.add(new Edge(p.argument(i, k), i, k, local, Op.contribution(g.of(i), local)));
                }
            }
        }
        return new ComputationGraph(outputName, p.output(), Collections.unmodifiableList(nodes),
                Collections.unmodifiableList(edges));
    }

    /** A constant as a formula would write it: 2, not 2.0. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The edges that leave node {@code id} (its uses), in program order of their consumers. */
    public List<Edge> uses(int id) {
        List<Edge> out = new ArrayList<>();
        for (Edge x : edges) {
            if (x.from() == id) {
                out.add(x);
            }
        }
        return out;
    }
}
