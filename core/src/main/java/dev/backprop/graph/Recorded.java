package dev.backprop.graph;

import dev.backprop.op.Algebra;
import dev.backprop.op.CustomFunction;
import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * A program's reverse sweep recorded as a program: second derivatives by reverse over reverse.
 *
 * <p>The forward pass is replayed onto a fresh {@link Tape}, then the sweep of {@link
 * Nodes#sweep} is run over {@link Var}s instead of numbers: each local derivative is {@link Op}'s
 * own expression rule built on the tape, and each product is a {@link Op#CONTRIBUTION} (or, last
 * in a quotient rule, a {@link Op#QUOTIENT_CONTRIBUTION}) step, so the recorded gradient gives the
 * sweep's numbers, strong zeros included. Differentiating the recorded gradient with the tape's
 * own sweep then gives Hessian rows and Hessian-vector products, from the one rule table and the
 * one sweep; the recorded program also runs in the batch engine, for second derivatives summed
 * over data. Unlike the numeric sweep, no step is skipped for a zero adjoint: the recording must
 * hold at every point, not only where it was made.
 *
 * <p>A {@link CustomFunction}'s partials are recorded from its expression rule, so they can be
 * differentiated in turn; one whose partials are numbers only is refused, naming it, before
 * anything is recorded from it ({@link CustomFunction#requireSecondOrder}).
 */
final class Recorded implements Algebra<Var> {
    final Tape tape;
    /** The replayed node of every program node. */
    final Var[] node;
    /** ∂output/∂input, one per program input, in input order (constant 0 where none flows). */
    final Var[] gradient;
    /** The replayed input nodes, in input order. */
    private final Var[] input;

    private Recorded(Program p, double[][] values) {
        int out = p.output();
        tape = new Tape(4 * (out + 1));
        node = new Var[out + 1];
        for (int i = 0; i <= out; i++) {
            if (p.isConstant(i)) {
                node[i] = tape.constant(p.constantValue(i));
            } else if (p.isInput(i)) {
                node[i] = tape.input(p.name(i), Nodes.get(values, i));
            } else {
                node[i] = tape.apply(p.rule(i), arguments(p, i));
            }
        }
        Var[] adj = new Var[out + 1];
        adj[out] = tape.constant(1);
        for (int i = out; i >= 0; i--) {
            if (adj[i] == null || !p.isOperation(i)) {
                continue;
            }
            Rule op = p.rule(i);
            if (op instanceof CustomFunction f) {
                f.requireSecondOrder();
            }
            List<Var> x = List.of(arguments(p, i));
            for (int k = 0; k < x.size(); k++) {
                int arg = p.argument(i, k);
                if (p.isConstant(arg)) {
                    continue;
                }
                Var d = op.quotient(k)
                        ? tape.apply(Op.QUOTIENT_CONTRIBUTION,
                                tape.apply(Op.CONTRIBUTION, adj[i], op.numerator(k, this, x, node[i])),
                                op.denominator(k, this, x, node[i]))
                        : tape.apply(Op.CONTRIBUTION, adj[i], op.partial(k, this, x, node[i]));
                adj[arg] = adj[arg] == null ? d : adj[arg].add(d);
            }
        }
        List<String> inputs = p.inputs();
        gradient = new Var[inputs.size()];
        input = new Var[inputs.size()];
        for (int k = 0; k < gradient.length; k++) {
            int at = p.inputNode(inputs.get(k));
            input[k] = node[at];
            gradient[k] = adj[at] == null ? tape.constant(0) : adj[at];
        }
    }

    /**
     * Records {@code p}'s forward pass and its forward-mode (tangent) sweep along {@code direction}
     * (one number per input, in input order): the returned node is the output's tangent, the
     * directional derivative, as {@link Nodes#tangents} computes it (each product a {@link
     * Op#CONTRIBUTION} step). Its gradient is the Hessian times the direction (reverse over forward).
     */
    static Var tangent(Program p, double[] direction, Tape tape) {
        int out = p.output();
        double[][] values = p.nodes.values();
        Var[] node = new Var[out + 1];
        Var[] t = new Var[out + 1];
        List<String> inputs = p.inputs();
        Recorded alg = new Recorded(tape);
        for (int i = 0; i <= out; i++) {
            if (p.isConstant(i)) {
                node[i] = tape.constant(p.constantValue(i));
            } else if (p.isInput(i)) {
                node[i] = tape.input(p.name(i), Nodes.get(values, i));
                double d = direction[inputs.indexOf(p.name(i))];
                t[i] = d == 0 ? null : tape.constant(d);
            } else {
                Var[] args = new Var[p.arity(i)];
                for (int k = 0; k < args.length; k++) {
                    args[k] = node[p.argument(i, k)];
                }
                node[i] = tape.apply(p.op(i), args);
                Op op = p.op(i);
                List<Var> x = List.of(args);
                Var sum = null;
                for (int k = 0; k < args.length; k++) {
                    Var tk = t[p.argument(i, k)];
                    if (tk == null) {
                        continue; // a structural zero: nothing to carry
                    }
                    Var c = op.quotient(k)
                            ? tape.apply(Op.QUOTIENT_CONTRIBUTION,
                                    tape.apply(Op.CONTRIBUTION, tk, op.numerator(k, alg, x, node[i])),
                                    op.denominator(k, alg, x, node[i]))
                            : tape.apply(Op.CONTRIBUTION, tk, op.partial(k, alg, x, node[i]));
                    sum = sum == null ? c : sum.add(c);
                }
                t[i] = sum;
            }
        }
        return t[out] == null ? tape.constant(0) : t[out];
    }

    /** An algebra over {@code tape} alone, for rules built outside a reverse recording. */
    private Recorded(Tape tape) {
        this.tape = tape;
        this.node = new Var[0];
        this.gradient = new Var[0];
        this.input = new Var[0];
    }

    /** Records {@code p}'s forward pass at {@code values} and its reverse sweep. */
    static Recorded of(Program p, double[][] values) {
        return new Recorded(p, values);
    }

    private Var[] arguments(Program p, int i) {
        Var[] x = new Var[p.arity(i)];
        for (int k = 0; k < x.length; k++) {
            x[k] = node[p.argument(i, k)];
        }
        return x;
    }

    /** ∂(Σₖ w[k]·gradient[k])/∂(every input), by one sweep of the recorded tape: H·w. */
    double[] hessianTimes(double[] w) {
        List<Var> terms = new ArrayList<>();
        for (int k = 0; k < w.length; k++) {
            if (w[k] != 0) {
                terms.add(tape.apply(Op.MUL, tape.constant(w[k]), gradient[k]));
            }
        }
        double[] h = new double[gradient.length];
        if (terms.isEmpty()) {
            return h;
        }
        Var s = terms.get(0);
        for (int k = 1; k < terms.size(); k++) {
            s = s.add(terms.get(k));
        }
        Gradient g = tape.gradient(s);
        for (int k = 0; k < h.length; k++) {
            h[k] = g.of(input[k]);
        }
        return h;
    }

    @Override
    public Var constant(double value) {
        return tape.constant(value);
    }

    @Override
    public Var apply(Op op, Var a, Var b) {
        return b == null || op.unary() ? tape.apply(op, a) : tape.apply(op, a, b);
    }

    @Override
    public Var apply(Op op, List<Var> args) {
        return tape.apply(op, args.toArray(Var[]::new));
    }

    @Override
    public Var call(CustomFunction f, List<Var> args) {
        return tape.apply(f, args.toArray(Var[]::new));
    }
}
