package dev.backprop.tensor;

/**
 * The rule table for tensor structure: matrix product, transpose, reshape, broadcast and sums,
 * each with its value, its vector-Jacobian product (reverse mode) and its Jacobian-vector product
 * (forward mode), side by side, as {@link dev.backprop.op.Op} is for elementwise primitives.
 * {@link TensorTape} records a structural step by calling this table and holds no rule of its own.
 *
 * <p>Every rule takes the step's arguments {@code x}, its value {@code y} and its parameters
 * {@code p}: the target shape of {@link #RESHAPE} and {@link #BROADCAST}, and for {@link #SUM}
 * either nothing (all elements, rank 0) or {@code {axis, keepDims ? 1 : 0}}. These steps are
 * linear, so each JVP is the step itself applied to the tangents (the product rule for
 * {@link #MATMUL}), and each VJP its transpose; {@code StructuralTest} checks ⟨g, J·t⟩ = ⟨Jᵀ·g, t⟩
 * for every rule on random tensors.
 *
 * <p>This table lives in {@code tensor}, not beside {@code Op}, because its rules are tensor
 * algorithms (the packed {@link Gemm} above all) that the dependency-free {@code op} package
 * must not reach.
 */
public enum Structural {
    /** A (m×k) · B (k×n). dA = G·Bᵀ, dB = Aᵀ·G, read in place without a transposed copy. */
    MATMUL(2) {
        public Tensor value(Tensor[] x, int[] p) {
            return x[0].matmul(x[1]);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            int m = x[0].shape[0], k = x[0].shape[1], n = x[1].shape[1];
            return arg == 0
                    ? new Tensor(MatMul.multiplyTransposedB(g.data, x[1].data, m, n, k), new int[] {m, k})
                    : new Tensor(MatMul.multiplyTransposedA(x[0].data, g.data, k, m, n), new int[] {k, n});
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            Tensor d = t[0] == null ? null : t[0].matmul(x[1]);
            Tensor e = t[1] == null ? null : x[0].matmul(t[1]);
            return d == null ? e : e == null ? d : d.add(e);
        }
    },
    /** Matrix transpose; its VJP and JVP transpose again. */
    TRANSPOSE(1) {
        public Tensor value(Tensor[] x, int[] p) {
            return x[0].transpose();
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            return g.transpose();
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            return t[0].transpose();
        }
    },
    /** The same elements in shape {@code p}; the gradient is reshaped back. */
    RESHAPE(1) {
        public Tensor value(Tensor[] x, int[] p) {
            return x[0].reshape(p);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            return g.reshape(x[0].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            return t[0].reshape(y.shape);
        }
    },
    /** Copies along new or size-1 axes up to shape {@code p} (numpy rules); the gradient sums them back. */
    BROADCAST(1) {
        public Tensor value(Tensor[] x, int[] p) {
            return x[0].broadcastTo(p);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            return g.sumTo(x[0].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            return t[0].broadcastTo(y.shape);
        }
    },
    /**
     * The sum of all elements ({@code p} empty, rank 0) or along axis {@code p[0]}, keeping it as
     * size 1 when {@code p[1] == 1}; every summed element's gradient is the incoming one.
     */
    SUM(1) {
        public Tensor value(Tensor[] x, int[] p) {
            return p.length == 0 ? x[0].sum() : x[0].sum(p[0], p[1] == 1);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            if (p.length == 0) {
                return g.broadcastTo(x[0].shape);
            }
            int[] kept = Shapes.reduce(x[0].shape, p[0], true);
            return g.reshape(kept).broadcastTo(x[0].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            return value(t, p);
        }
    };

    private final int arity;

    Structural(int arity) {
        this.arity = arity;
    }

    /** How many tensors the step takes. */
    public int arity() {
        return arity;
    }

    /** The step's value at {@code x} with parameters {@code p}. */
    public abstract Tensor value(Tensor[] x, int[] p);

    /** Jᵀ·g for argument {@code arg}: what the step passes back to it for the gradient {@code g} of its value {@code y}. */
    public abstract Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p);

    /** J·t: the tangent of the value for tangents {@code t} of the arguments (null: zero tangent). */
    public abstract Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p);
}
