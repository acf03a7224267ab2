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
 * {@link Op} (nothing is written twice); the structural operations (matmul, transpose, reshape,
 * sum) state their rule next to their forward call in this class. Broadcasting is undone by
 * summing gradients back into the broadcast operand's shape. Composites ({@code mean},
 * {@code square}, …) are built from these and have no rule of their own.
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
        if (op.arity() != 2) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " takes 1 argument, got 2");
        }
        Broadcast bc = Broadcast.of(op.name().toLowerCase(), x.shape, z.shape);
        Tensor y = bc.apply(op, x.data, z.data);
        return record(y, (arg, g) -> bc.partial(op, arg, x.data, z.data, y.data, g.data), a, b);
    }

    /** Matrix product. Its own rule because it is fused for speed: dA = G·Bᵀ, dB = Aᵀ·G. */
    public TensorVar matmul(TensorVar a, TensorVar b) {
        Tensor x = value(a);
        Tensor z = value(b);
        Tensor y = x.matmul(z);
        int m = x.shape[0], k = x.shape[1], n = z.shape[1];
        // dA = G·Bᵀ (m×k) and dB = Aᵀ·G (k×n), read in place: no transposed copy.
        return record(y, (arg, g) -> arg == 0
                ? new Tensor(MatMul.multiplyTransposedB(g.data, z.data, m, n, k), new int[] {m, k})
                : new Tensor(MatMul.multiplyTransposedA(x.data, g.data, k, m, n), new int[] {k, n}), a, b);
    }

    /** Matrix transpose; the gradient is transposed back. */
    public TensorVar transpose(TensorVar a) {
        return record(value(a).transpose(), (arg, g) -> g.transpose(), a);
    }

    /** Same elements, new shape; the gradient is reshaped back. */
    public TensorVar reshape(TensorVar a, int... shape) {
        Tensor x = value(a);
        return record(x.reshape(shape), (arg, g) -> g.reshape(x.shape), a);
    }

    /** Sum of all elements (rank 0); every element's gradient is the incoming one. */
    public TensorVar sum(TensorVar a) {
        Tensor x = value(a);
        return record(x.sum(), (arg, g) -> g.broadcastTo(x.shape), a);
    }

    /** Sum along an axis; the gradient is copied back along that axis. */
    public TensorVar sum(TensorVar a, int axis, boolean keepDims) {
        Tensor x = value(a);
        int ax = Shapes.axis("sum", x.shape, axis);
        int[] kept = Shapes.reduce(x.shape, ax, true);
        return record(x.sum(ax, keepDims), (arg, g) -> g.reshape(kept).broadcastTo(x.shape), a);
    }

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
