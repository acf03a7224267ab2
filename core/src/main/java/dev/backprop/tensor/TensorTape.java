package dev.backprop.tensor;

import dev.backprop.op.Algebra;
import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records tensor operations as they run, so a scalar result can be differentiated with respect to
 * every recorded tensor in one reverse sweep.
 *
 * <p>The design is the scalar {@link dev.backprop.graph.Tape}'s, one level up: the tape is a list
 * of nodes in the order they were computed (which is already a topological order), each holding
 * its value, its argument nodes and a small rule giving the gradient of one argument from the
 * gradient of the node. {@link #gradient(TensorVar)} walks that list backwards once, adding every
 * contribution into the arguments' adjoints. Iterative: a deep network costs memory, never stack.
 *
 * <p>Where the rules come from: elementwise operations take value and local derivative from
 * {@link Op}, structural ones (matmul, reshape, sums, slices, logSoftmax along an axis, …) from
 * {@link Structural}; this class holds no rule of its own. An elementwise operation broadcasts its
 * operands itself and undoes it by summing gradients back into each operand's shape. Composites
 * ({@code mean}, {@code square}, {@code softmax}, the losses, …) are built from these and have no
 * rule of their own.
 *
 * <pre>{@code
 * TensorTape tape = new TensorTape();
 * TensorVar w = tape.input("w", Tensor.matrix(new double[][] {{1, 2}, {3, 4}}));
 * TensorVar b = tape.input("b", Tensor.column(0.5, -0.5));
 * TensorVar x = tape.constant(Tensor.column(1, 1));
 * TensorVar loss = w.matmul(x).add(b).relu().square().sum();
 * TensorGradients g = tape.gradient(loss);
 * g.of(w);   // ∂loss/∂w, shape (2, 2)
 * }</pre>
 *
 * <p>Gradients of gradients: {@link #gradient(TensorVar, boolean) gradient(output, true)} records
 * the reverse sweep itself on this tape (PyTorch's {@code create_graph=True}), so each gradient is
 * a {@link TensorVar} ({@link TensorGradients#var}) to compute with and differentiate again: a
 * Hessian-vector product is the gradient of Σ ∇f ⊙ v, a gradient penalty the gradient of a
 * function of ∇ₓf. For that each node keeps which rule made it and its parameters, beside the
 * prepared numeric rule the plain sweep calls.
 *
 * <p>Not thread-safe: use one tape per thread. Values ({@link Tensor}) are immutable and can be
 * shared freely.
 */
public final class TensorTape {

    /** The gradient of one argument given the gradient {@code g} of the node's value. */
    @FunctionalInterface
    interface Rule {
        Tensor grad(int arg, Tensor g);
    }

    /**
     * One recorded step: its value, its arguments, and what it was, an elementwise {@code op} or a
     * {@code structural} step with its {@code params} (both null for a leaf). The numeric reverse
     * sweep calls the {@code rule} prepared when the step ran (it holds what the step already
     * computed, such as the broadcast positions); the recorded sweep of {@link #gradient(TensorVar,
     * boolean)} reads the op and its parameters instead.
     */
    private record Node(Tensor value, int[] args, Rule rule, boolean tracked, String name, Op op, Structural structural, int[] params) {
        Node named(String name) {
            return new Node(value, args, rule, tracked, name, op, structural, params);
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> inputNames = new HashSet<>();

    /** An empty tape. */
    public TensorTape() {
    }

    /**
     * A leaf whose gradient is wanted.
     *
     * @param name its name, or null
     * @param value its value
     * @return the handle to it
     * @throws IllegalArgumentException if another input of this tape has the same name
     */
    public TensorVar input(String name, Tensor value) {
        if (name != null && !inputNames.add(name)) {
            throw new IllegalArgumentException("this tape already has an input called " + dev.backprop.io.Limits.quote(name));
        }
        return add(new Node(value, new int[0], null, true, name, null, null, null));
    }

    /** A leaf whose gradient is wanted, unnamed. */
    public TensorVar input(Tensor value) {
        return input(null, value);
    }

    /** A leaf no gradient flows into (data, targets, fixed numbers). */
    public TensorVar constant(Tensor value) {
        return add(new Node(value, new int[0], null, false, null, null, null, null));
    }

    /** A rank-0 constant. */
    public TensorVar constant(double value) {
        return constant(Tensor.scalar(value));
    }

    /** A unary primitive applied to every element; ∂y/∂x from {@link Op#partial}. */
    public TensorVar apply(Op op, TensorVar a) {
        Tensor x = value(a);
        Tensor y = x.apply(op);
        return record(y, (arg, g) -> {
            double[] d = new double[y.data.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = op.vjp(0, g.data[i], x.data[i], 0, y.data[i]);
            }
            return new Tensor(d, x.shape);
        }, op, null, null, a);
    }

    /**
     * A binary primitive applied elementwise with numpy broadcasting; each operand's gradient is
     * the local derivative from {@link Op#partial} times the incoming gradient, summed over the
     * axes that operand was broadcast along.
     */
    public TensorVar apply(Op op, TensorVar a, TensorVar b) {
        Tensor x = value(a);
        Tensor z = value(b);
        if (!op.accepts(2)) {
            throw new IllegalArgumentException(op.symbol() + " " + op.arityText() + ", got 2");
        }
        Broadcast bc = Broadcast.of(op.name().toLowerCase(), x.shape, z.shape);
        Tensor y = bc.apply(op, x.data, z.data);
        return record(y, (arg, g) -> bc.partial(op, arg, x.data, z.data, y.data, g.data), op, null, null, a, b);
    }

    /**
     * A primitive of any number of arguments it {@link Op#accepts} ({@code max}, {@code min} and
     * {@code logsumexp} take two or more), elementwise, every operand broadcast to one shape (numpy
     * rules); each operand's gradient is {@link Op#vjp} summed back into its own shape.
     */
    public TensorVar apply(Op op, TensorVar... args) {
        if (args.length == 1) {
            return apply(op, args[0]);
        }
        if (args.length == 2) {
            return apply(op, args[0], args[1]);
        }
        if (!op.accepts(args.length)) {
            throw new IllegalArgumentException(op.symbol() + " " + op.arityText() + ", got " + args.length);
        }
        Tensor[] in = new Tensor[args.length];
        int[] shape = value(args[0]).shape;
        for (int k = 0; k < args.length; k++) {
            in[k] = value(args[k]);
            shape = Broadcast.of(op.symbol(), shape, in[k].shape).shape;
        }
        double[][] full = new double[args.length][];
        for (int k = 0; k < args.length; k++) {
            full[k] = in[k].broadcastTo(shape).data;
        }
        double[] y = new double[Tensor.count(shape)];
        double[] x = new double[args.length];
        for (int i = 0; i < y.length; i++) {
            for (int k = 0; k < x.length; k++) {
                x[k] = full[k][i];
            }
            y[i] = op.value(x);
        }
        int[] outShape = shape;
        return record(new Tensor(y, outShape), (arg, g) -> {
            double[] d = new double[y.length];
            double[] xs = new double[full.length];
            for (int i = 0; i < d.length; i++) {
                for (int k = 0; k < xs.length; k++) {
                    xs[k] = full[k][i];
                }
                d[i] = op.vjp(arg, g.data[i], xs, y[i]);
            }
            return new Tensor(d, outShape).sumTo(in[arg].shape);
        }, op, null, null, args);
    }

    /**
     * A structural step (matrix product, transpose, reshape, broadcast, sum, reductions along an
     * axis, slices, gathers, joins, selection) with parameters {@code p}: value and gradient from
     * {@link Structural}, the table beside {@link Op}.
     */
    public TensorVar apply(Structural op, int[] p, TensorVar... args) {
        if (!op.accepts(args.length)) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " " + op.arityText() + ", got " + args.length);
        }
        Tensor[] x = new Tensor[args.length];
        for (int k = 0; k < x.length; k++) {
            x[k] = value(args[k]);
        }
        int[] params = p.clone();
        Tensor y = op.value(x, params);
        return record(y, (arg, g) -> op.vjp(arg, g, x, y, params), null, op, params, args);
    }

    /** Matrix product. */
    public TensorVar matmul(TensorVar a, TensorVar b) {
        return apply(Structural.MATMUL, NONE, a, b);
    }

    /** Matrix transpose. */
    public TensorVar transpose(TensorVar a) {
        return apply(Structural.TRANSPOSE, NONE, a);
    }

    /** Same elements, new shape (one axis may be −1). */
    public TensorVar reshape(TensorVar a, int... shape) {
        return apply(Structural.RESHAPE, Shapes.reshape(value(a).shape, shape), a);
    }

    /** Copies along new or size-1 axes up to {@code shape} (numpy rules). */
    public TensorVar broadcastTo(TensorVar a, int... shape) {
        return apply(Structural.BROADCAST, shape, a);
    }

    /** Sums down to {@code shape}, the inverse of broadcasting (numpy rules). */
    public TensorVar sumTo(TensorVar a, int... shape) {
        return apply(Structural.SUM_TO, shape, a);
    }

    /** Sum of all elements (rank 0). */
    public TensorVar sum(TensorVar a) {
        return apply(Structural.SUM, NONE, a);
    }

    /** Sum along an axis (negative counts from the end), keeping it as size 1 if asked. */
    public TensorVar sum(TensorVar a, int axis, boolean keepDims) {
        int ax = Shapes.axis("sum", value(a).shape, axis);
        return apply(Structural.SUM, new int[] {ax, keepDims ? 1 : 0}, a);
    }

    private static final int[] NONE = {};

    /** Gives a node a name (for traces and messages); returns it unchanged. */
    public TensorVar name(TensorVar v, String name) {
        int i = own(v);
        nodes.set(i, nodes.get(i).named(name));
        return v;
    }

    /** How many nodes the tape holds. */
    public int size() {
        return nodes.size();
    }

    /**
     * ∂output/∂(every node recorded before it), in one reverse sweep. The output must hold a single
     * number (any shape of size 1).
     *
     * @throws IllegalArgumentException if {@code output} holds more than one number
     */
    public TensorGradients gradient(TensorVar output) {
        int o = own(output);
        Tensor y = nodes.get(o).value;
        if (y.size() != 1) {
            throw new IllegalArgumentException("gradient: the output must hold one number, got shape " + Shapes.format(y.shape));
        }
        Tensor[] adj = new Tensor[o + 1];
        adj[o] = Tensor.full(1, y.shape);
        for (int i = o; i >= 0; i--) {
            Node n = nodes.get(i);
            if (adj[i] == null || n.rule == null) {
                continue;
            }
            for (int k = 0; k < n.args.length; k++) {
                int arg = n.args[k];
                if (!nodes.get(arg).tracked) {
                    continue;
                }
                Tensor g = n.rule.grad(k, adj[i]);
                adj[arg] = adj[arg] == null ? g : adj[arg].add(g);
            }
        }
        return new TensorGradients(this, adj);
    }

    /**
     * ∂output/∂(every node recorded before it), as {@link #gradient(TensorVar)} gives it, or with
     * {@code createGraph} as tensors recorded on this tape (PyTorch's {@code create_graph=True}):
     * {@link TensorGradients#var} then hands out each gradient as a {@link TensorVar} that can be
     * used in further computation and differentiated again with {@code gradient}, for a gradient
     * penalty such as ‖∇ₓf‖², a Hessian-vector product (the gradient of Σ ∇f ⊙ v) or a third
     * derivative.
     *
     * <p>The recorded sweep is the numeric one written in tape operations, so {@link
     * TensorGradients#of} gives the same numbers: an elementwise step passes back {@link
     * Op#CONTRIBUTION}(g, ∂y/∂x) summed to the operand's shape ({@link Structural#SUM_TO}), its
     * local derivative built by {@link Op}'s own expression rule on this tape (a quotient rule as
     * {@link Op#QUOTIENT_CONTRIBUTION} of the contribution over the denominator), so strong zeros
     * hold as in the numeric sweep and at every order; a structural step passes back the recorded
     * form of its rule, {@link Structural#vjp(int, TensorVar, TensorVar[], TensorVar, int[])}.
     * What is piecewise constant (a maximum's tie shares, where's mask) is recorded as a constant
     * and has no derivative, as in PyTorch. The recording costs a few nodes per step on this tape,
     * which keeps growing: use a fresh tape for each evaluation.
     *
     * @throws IllegalArgumentException if {@code output} holds more than one number
     */
    public TensorGradients gradient(TensorVar output, boolean createGraph) {
        if (!createGraph) {
            return gradient(output);
        }
        int o = own(output);
        Tensor y = nodes.get(o).value;
        if (y.size() != 1) {
            throw new IllegalArgumentException("gradient: the output must hold one number, got shape " + Shapes.format(y.shape));
        }
        Algebra<TensorVar> alg = new Recording();
        TensorVar[] adj = new TensorVar[o + 1];
        adj[o] = constant(Tensor.full(1, y.shape));
        // The list grows as the sweep records; positions at or below o are the forward steps, untouched.
        for (int i = o; i >= 0; i--) {
            Node n = nodes.get(i);
            if (adj[i] == null || n.rule == null) {
                continue;
            }
            TensorVar[] x = new TensorVar[n.args.length];
            for (int k = 0; k < x.length; k++) {
                x[k] = new TensorVar(this, n.args[k]);
            }
            TensorVar node = new TensorVar(this, i);
            for (int k = 0; k < x.length; k++) {
                int arg = n.args[k];
                if (!nodes.get(arg).tracked) {
                    continue;
                }
                TensorVar d = n.structural != null
                        ? n.structural.vjp(k, adj[i], x, node, n.params)
                        : elementwiseVjp(n.op, k, adj[i], x, node, alg);
                adj[arg] = adj[arg] == null ? d : adj[arg].add(d);
            }
        }
        Tensor[] values = new Tensor[adj.length];
        for (int i = 0; i < adj.length; i++) {
            values[i] = adj[i] == null ? null : adj[i].value();
        }
        return new TensorGradients(this, values, adj);
    }

    /**
     * Forward mode: the tangent of {@code output} (its directional derivative, of the output's
     * shape) when the tensors of {@code tangents} move along the given tangents (same shapes;
     * every other input stays put), in one sweep from the inputs up, with a tangent beside every
     * value. Elementwise steps take their products from {@link Op#vjp} (a scalar step's Jacobian is
     * one row, so a tangent meets a partial as an adjoint does), structural steps from {@link
     * Structural#jvp}: the same tables as the reverse sweep. Equal, to rounding, to
     * Σ ⟨∂output/∂x, t_x⟩ for a scalar output.
     *
     * @throws IllegalArgumentException if a tangent's shape differs from its tensor's
     */
    public Tensor jvp(TensorVar output, java.util.Map<TensorVar, Tensor> tangents) {
        int o = own(output);
        Tensor[] t = new Tensor[o + 1];
        for (java.util.Map.Entry<TensorVar, Tensor> e : tangents.entrySet()) {
            int i = own(e.getKey());
            if (!Arrays.equals(e.getValue().shape, nodes.get(i).value.shape)) {
                throw new IllegalArgumentException("jvp: the tangent of shape " + Shapes.format(e.getValue().shape)
                        + " does not match its tensor's shape " + Shapes.format(nodes.get(i).value.shape));
            }
            if (i <= o) {
                t[i] = e.getValue();
            }
        }
        for (int i = 0; i <= o; i++) {
            Node n = nodes.get(i);
            if (n.args.length == 0) {
                continue;
            }
            boolean moves = false;
            for (int a : n.args) {
                moves |= t[a] != null;
            }
            if (!moves) {
                continue; // nothing below it moves: its tangent is zero
            }
            Tensor[] x = new Tensor[n.args.length];
            Tensor[] ts = new Tensor[n.args.length];
            for (int k = 0; k < x.length; k++) {
                x[k] = nodes.get(n.args[k]).value;
                ts[k] = t[n.args[k]] != null || n.structural == Structural.MATMUL ? t[n.args[k]] : Tensor.zeros(x[k].shape);
            }
            t[i] = n.structural != null ? n.structural.jvp(ts, x, n.value, n.params) : elementwiseJvp(n.op, ts, x, n.value);
        }
        return t[o] != null ? t[o] : Tensor.zeros(nodes.get(o).value.shape);
    }

    /** Σₖ op.vjp(k, tₖ, x, y) per element, every operand broadcast to y's shape. */
    private static Tensor elementwiseJvp(Op op, Tensor[] t, Tensor[] x, Tensor y) {
        int n = x.length;
        double[][] xs = new double[n][];
        double[][] ts = new double[n][];
        for (int k = 0; k < n; k++) {
            xs[k] = x[k].broadcastTo(y.shape).data;
            ts[k] = t[k].broadcastTo(y.shape).data;
        }
        double[] d = new double[y.data.length];
        double[] at = new double[n];
        for (int i = 0; i < d.length; i++) {
            double sum = 0;
            if (n <= 2) {
                double a = xs[0][i];
                double b = n == 2 ? xs[1][i] : 0;
                for (int k = 0; k < n; k++) {
                    sum += op.vjp(k, ts[k][i], a, b, y.data[i]);
                }
            } else {
                for (int k = 0; k < n; k++) {
                    at[k] = xs[k][i];
                }
                for (int k = 0; k < n; k++) {
                    sum += op.vjp(k, ts[k][i], at, y.data[i]);
                }
            }
            d[i] = sum;
        }
        return new Tensor(d, y.shape);
    }

    /**
     * What an elementwise step y = op(x…) passes back to operand {@code k} for the adjoint {@code
     * g}, recorded: {@link Op#vjp}'s product over the expression rule, then summed over the axes
     * the operand was broadcast along.
     */
    private TensorVar elementwiseVjp(Op op, int k, TensorVar g, TensorVar[] x, TensorVar y, Algebra<TensorVar> alg) {
        List<TensorVar> xs = List.of(x);
        TensorVar d;
        if (op.quotient(k)) {
            d = apply(Op.QUOTIENT_CONTRIBUTION, apply(Op.CONTRIBUTION, g, op.numerator(k, alg, xs, y)), op.denominator(k, alg, xs, y));
        } else {
            TensorVar partial = op.partial(k, alg, xs, y);
            // contribution(g, 1) is g (a −0 aside), and so is its derivative: no product to record for a sum's operands
            d = partial == alg.constant(1) ? g : apply(Op.CONTRIBUTION, g, partial);
        }
        int[] shape = value(x[k]).shape;
        return Arrays.equals(value(d).shape, shape) ? d : sumTo(d, shape);
    }

    /** The expressions of {@link Op}'s rules built on this tape: constants rank 0, broadcasting does the rest. */
    Algebra<TensorVar> algebra() {
        return new Recording();
    }

    /** {@link Algebra} over this tape's nodes; a constant is recorded once per number. */
    private final class Recording implements Algebra<TensorVar> {
        private final Map<Long, TensorVar> constants = new HashMap<>();

        @Override
        public TensorVar constant(double value) {
            return constants.computeIfAbsent(Double.doubleToRawLongBits(value), v -> TensorTape.this.constant(value));
        }

        @Override
        public TensorVar apply(Op op, TensorVar a, TensorVar b) {
            return b == null || op.unary() ? TensorTape.this.apply(op, a) : TensorTape.this.apply(op, a, b);
        }

        @Override
        public TensorVar apply(Op op, List<TensorVar> args) {
            return TensorTape.this.apply(op, args.toArray(new TensorVar[0]));
        }
    }

    Tensor value(TensorVar v) {
        return nodes.get(own(v)).value;
    }

    String name(TensorVar v) {
        return nodes.get(own(v)).name;
    }

    private TensorVar record(Tensor y, Rule rule, Op op, Structural structural, int[] params, TensorVar... args) {
        int[] idx = new int[args.length];
        boolean tracked = false;
        for (int k = 0; k < args.length; k++) {
            idx[k] = own(args[k]);
            tracked |= nodes.get(idx[k]).tracked;
        }
        // A node no gradient can reach through keeps no rule, so its arguments' values can be freed.
        return add(new Node(y, idx, tracked ? rule : null, tracked, null, op, structural, params));
    }

    private TensorVar add(Node n) {
        nodes.add(n);
        return new TensorVar(this, nodes.size() - 1);
    }

    private int own(TensorVar v) {
        if (v.tape() != this) {
            throw new IllegalArgumentException("that tensor was recorded on another tape");
        }
        return v.index();
    }
}
