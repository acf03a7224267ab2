package dev.backprop.tensor;

import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * <p>Not thread-safe: use one tape per thread. Values ({@link Tensor}) are immutable and can be
 * shared freely.
 */
public final class TensorTape {

    /** The gradient of one argument given the gradient {@code g} of the node's value. */
    @FunctionalInterface
    interface Rule {
        Tensor grad(int arg, Tensor g);
    }

    private record Node(Tensor value, int[] args, Rule rule, boolean tracked, String name) {
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
        return add(new Node(value, new int[0], null, true, name));
    }

    /** A leaf whose gradient is wanted, unnamed. */
    public TensorVar input(Tensor value) {
        return input(null, value);
    }

    /** A leaf no gradient flows into (data, targets, fixed numbers). */
    public TensorVar constant(Tensor value) {
        return add(new Node(value, new int[0], null, false, null));
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
        }, a);
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
        return record(y, (arg, g) -> bc.partial(op, arg, x.data, z.data, y.data, g.data), a, b);
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
        }, args);
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
        return record(y, (arg, g) -> op.vjp(arg, g, x, y, params), args);
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
        Node n = nodes.get(i);
        nodes.set(i, new Node(n.value, n.args, n.rule, n.tracked, name));
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

    Tensor value(TensorVar v) {
        return nodes.get(own(v)).value;
    }

    String name(TensorVar v) {
        return nodes.get(own(v)).name;
    }

    private TensorVar record(Tensor y, Rule rule, TensorVar... args) {
        int[] idx = new int[args.length];
        boolean tracked = false;
        for (int k = 0; k < args.length; k++) {
            idx[k] = own(args[k]);
            tracked |= nodes.get(idx[k]).tracked;
        }
        // A node no gradient can reach through keeps no rule, so its arguments' values can be freed.
        return add(new Node(y, idx, tracked ? rule : null, tracked, null));
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
