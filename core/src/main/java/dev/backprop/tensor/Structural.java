package dev.backprop.tensor;

import dev.backprop.op.Op;
import java.util.Arrays;

/**
 * The rule table for tensor structure: matrix product, transpose, reshape, broadcast, sums,
 * reductions and normalisations along an axis, slices, gathers, joins and selection, each with its
 * value, its vector-Jacobian product (reverse mode) and its Jacobian-vector product (forward
 * mode), side by side, as {@link dev.backprop.op.Op} is for elementwise primitives.
 * {@link TensorTape} records a structural step by calling this table and holds no rule of its own.
 *
 * <p>Every rule takes the step's arguments {@code x}, its value {@code y} and its integer
 * parameters {@code p}, listed on each constant (axes already resolved to 0 … rank − 1, {@code
 * keepDims} as 1 or 0). Two steps need more than a few integers and get it without a second
 * parameter channel: {@link #GATHER}'s index list is simply the tail of {@code p}, and {@link
 * #WHERE}'s mask is its first <em>argument</em>, a tensor of zeros and ones that callers record
 * as a constant and whose VJP is zero (the selection is piecewise constant in the mask). {@link
 * #CONCAT} takes one or more arguments ({@link #accepts}).
 *
 * <p>The linear steps' JVP is the step itself applied to the tangents (the product rule for
 * {@link #MATMUL}), and each VJP its transpose. The nonlinear ones ({@link #AMAX}, {@link
 * #LOGSUMEXP}, {@link #LOG_SOFTMAX}) write both from the same local quantities (the tie shares,
 * the softmax); they are primitives rather than composites because a lane is one unit for them
 * (a maximum's ties, a stable log-sum) that elementwise steps cannot see. Softmax itself, the
 * losses and the means are composites with no rule of their own. {@code StructuralTest} checks
 * ⟨g, J·t⟩ = ⟨Jᵀ·g, t⟩ for every rule on random tensors, {@code TensorGradientTest} the VJPs
 * against finite differences. Where a rule multiplies a gradient or a tangent by a local
 * derivative it goes through {@link Op#contribution}, the strong zero every engine shares.
 *
 * <p>Each rule also writes its VJP a second time, recorded: {@link #vjp(int, TensorVar,
 * TensorVar[], TensorVar, int[])} builds the same Jᵀ·g out of tape operations (transposes and
 * products for {@link #MATMUL}, {@link #SUM_TO} for {@link #BROADCAST}, a join with zeros for
 * {@link #SLICE}, {@link #SCATTER_ADD} for {@link #GATHER}, …), so that a recorded reverse sweep
 * can be differentiated again; {@link #SUM_TO} and {@link #SCATTER_ADD} are in the table because
 * they are the transposes that needs. The numeric form stays for the speed of the plain sweep;
 * {@code StructuralTest} holds every rule's recorded form to its numeric one.
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

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return arg == 0 ? g.matmul(x[1].transpose()) : x[0].transpose().matmul(g);
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

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return g.transpose();
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

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return g.reshape(x[0].shape());
        }
    },
    /** Copies along new or size-1 axes up to shape {@code p} (numpy rules); the gradient sums them back ({@link #SUM_TO}). */
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

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return g.sumTo(x[0].shape());
        }
    },
    /**
     * Sums down to shape {@code p}, the inverse of broadcasting (every axis broadcasting would add
     * or stretch from 1 is summed): how an elementwise step's gradient returns to a broadcast
     * operand, recorded. Its gradient is {@link #BROADCAST} back.
     */
    SUM_TO(1) {
        public Tensor value(Tensor[] x, int[] p) {
            return x[0].sumTo(p);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            return g.broadcastTo(x[0].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            return t[0].sumTo(y.shape);
        }

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return g.broadcastTo(x[0].shape());
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

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return (p.length == 0 ? g : kept(g, x[0], p[0])).broadcastTo(x[0].shape());
        }
    },
    /**
     * The largest element along axis {@code p[0]} ({@code torch.amax}), the axis kept as size 1
     * when {@code p[1] == 1}. Elements tied at the maximum share the gradient equally (⅓ each of
     * three, as amax does; equal infinities tie like any equal numbers, where the elementwise
     * {@code Op.MAX} gives NaN); a NaN in a lane makes its value NaN and every share in it NaN.
     * {@code Op.MAX}'s own n-argument rule gives the same shares but costs n² a lane.
     */
    AMAX(1) {
        public Tensor value(Tensor[] x, int[] p) {
            Lanes l = nonEmpty("max", x[0], axis("max", x[0], p, 2));
            double[] out = new double[l.count()];
            for (int lane = 0; lane < out.length; lane++) {
                int s = l.start(lane);
                double m = x[0].data[s];
                for (int k = 1; k < l.n(); k++) {
                    m = Math.max(m, x[0].data[s + k * l.inner()]); // a NaN wins, as in torch
                }
                out[lane] = m;
            }
            return new Tensor(out, Shapes.reduce(x[0].shape, p[0], p[1] == 1));
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            Lanes l = Lanes.of(x[0].shape, p[0]);
            double[] share = maxShares(x[0], y, l);
            double[] d = new double[share.length];
            for (int lane = 0; lane < l.count(); lane++) {
                for (int k = 0, i = l.start(lane); k < l.n(); k++, i += l.inner()) {
                    d[i] = Op.contribution(g.data[lane], share[i]);
                }
            }
            return new Tensor(d, x[0].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            Lanes l = Lanes.of(x[0].shape, p[0]);
            double[] share = maxShares(x[0], y, l);
            double[] out = new double[l.count()];
            for (int lane = 0; lane < out.length; lane++) {
                for (int k = 0, i = l.start(lane); k < l.n(); k++, i += l.inner()) {
                    out[lane] += Op.contribution(t[0].data[i], share[i]);
                }
            }
            return new Tensor(out, y.shape);
        }

        /** The shares are a constant: piecewise constant in x, so no derivative passes through them (as in PyTorch). */
        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            Tensor v = x[0].value();
            Tensor share = new Tensor(maxShares(v, y.value(), Lanes.of(v.shape, p[0])), v.shape);
            return g.tape().apply(Op.CONTRIBUTION, kept(g, x[0], p[0]), g.tape().constant(share));
        }
    },
    /**
     * log Σ e^x along axis {@code p[0]}, the axis kept as size 1 when {@code p[1] == 1}: {@code
     * Op.LOGSUMEXP}'s own n-argument value and rule on each lane, so the largest element is taken
     * out first ({@code [1000, 1000]} gives 1000 + log 2, a lane of −∞ gives −∞, an empty lane the
     * −∞ of an empty sum). The derivative is the softmax e^(x − y); where y is infinite it is NaN
     * for the elements at ±∞ (e^(∞ − ∞)), as in PyTorch.
     */
    LOGSUMEXP(1) {
        public Tensor value(Tensor[] x, int[] p) {
            Lanes l = Lanes.of(x[0].shape, axis("logsumexp", x[0], p, 2));
            double[] out = new double[l.count()];
            double[] lane = new double[l.n()];
            for (int j = 0; j < out.length; j++) {
                out[j] = lane.length == 0 ? Double.NEGATIVE_INFINITY : Op.LOGSUMEXP.value(read(x[0], l, j, lane));
            }
            return new Tensor(out, Shapes.reduce(x[0].shape, p[0], p[1] == 1));
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            Lanes l = Lanes.of(x[0].shape, p[0]);
            double[] d = new double[x[0].data.length];
            double[] lane = new double[l.n()];
            for (int j = 0; j < l.count(); j++) {
                read(x[0], l, j, lane);
                for (int k = 0, i = l.start(j); k < l.n(); k++, i += l.inner()) {
                    d[i] = Op.LOGSUMEXP.vjp(k, g.data[j], lane, y.data[j]);
                }
            }
            return new Tensor(d, x[0].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            Lanes l = Lanes.of(x[0].shape, p[0]);
            double[] out = new double[l.count()];
            double[] lane = new double[l.n()];
            for (int j = 0; j < out.length; j++) {
                read(x[0], l, j, lane);
                for (int k = 0, i = l.start(j); k < l.n(); k++, i += l.inner()) {
                    out[j] += Op.contribution(t[0].data[i], Op.LOGSUMEXP.partial(k, lane, y.data[j]));
                }
            }
            return new Tensor(out, y.shape);
        }

        /** {@code Op.LOGSUMEXP}'s expression rule e^(x − y) over whole tensors, y broadcast along the lanes. */
        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            TensorVar yk = kept(y, x[0], p[0]);
            TensorVar softmax = Op.LOGSUMEXP.partial(0, g.tape().algebra(), java.util.List.of(x[0]), yk);
            return g.tape().apply(Op.CONTRIBUTION, kept(g, x[0], p[0]), softmax);
        }
    },
    /**
     * x − logsumexp(x) along axis {@code p[0]}, computed as (x − m) − log Σ e^(x − m) with m the
     * lane's largest element, as PyTorch does: x − logsumexp(x) would first round m + log Σ at the
     * magnitude of m. A lane of −∞, or one holding +∞ or NaN, is NaN throughout, as in PyTorch.
     * With the softmax s = e^y, the VJP is g − s·Σg and the JVP t − Σ s·t. Softmax itself is
     * the composite e^(logSoftmax x).
     */
    LOG_SOFTMAX(1) {
        public Tensor value(Tensor[] x, int[] p) {
            Lanes l = Lanes.of(x[0].shape, axis("logSoftmax", x[0], p, 1));
            double[] v = x[0].data;
            double[] out = new double[v.length];
            for (int j = 0; j < l.count(); j++) {
                int s = l.start(j), step = l.inner(), end = s + l.n() * step;
                double m = Double.NEGATIVE_INFINITY;
                for (int i = s; i < end; i += step) {
                    m = Math.max(m, v[i]);
                }
                double sum = 0;
                for (int i = s; i < end; i += step) {
                    sum += Math.exp(v[i] - m);
                }
                double log = Math.log(sum);
                for (int i = s; i < end; i += step) {
                    out[i] = (v[i] - m) - log;
                }
            }
            return new Tensor(out, x[0].shape);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            Lanes l = Lanes.of(y.shape, p[0]);
            double[] d = new double[y.data.length];
            for (int j = 0; j < l.count(); j++) {
                int s = l.start(j), step = l.inner(), end = s + l.n() * step;
                double sum = 0;
                for (int i = s; i < end; i += step) {
                    sum += g.data[i];
                }
                for (int i = s; i < end; i += step) {
                    d[i] = g.data[i] - Op.contribution(sum, Math.exp(y.data[i]));
                }
            }
            return new Tensor(d, y.shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            Lanes l = Lanes.of(y.shape, p[0]);
            double[] out = new double[y.data.length];
            for (int j = 0; j < l.count(); j++) {
                int s = l.start(j), step = l.inner(), end = s + l.n() * step;
                double mean = 0; // Σ softmax·t: the tangent's mean under the softmax
                for (int i = s; i < end; i += step) {
                    mean += Op.contribution(t[0].data[i], Math.exp(y.data[i]));
                }
                for (int i = s; i < end; i += step) {
                    out[i] = t[0].data[i] - mean;
                }
            }
            return new Tensor(out, y.shape);
        }

        /** g − Σg·e^y, through y itself, so its own derivative flows back through this step. */
        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return g.sub(g.tape().apply(Op.CONTRIBUTION, g.sum(p[0], true), y.exp()));
        }
    },
    /**
     * Positions {@code [p[1], p[2])} along axis {@code p[0]}, 0 ≤ p[1] ≤ p[2] ≤ the axis' length;
     * the gradient lands in those positions of a tensor of zeros.
     */
    SLICE(1) {
        public Tensor value(Tensor[] x, int[] p) {
            int ax = axis("slice", x[0], p, 3);
            int n = x[0].shape[ax];
            if (p[1] < 0 || p[1] > p[2] || p[2] > n) {
                throw new IllegalArgumentException("slice: [" + p[1] + ", " + p[2] + ") is not a range of axis " + ax
                        + " of shape " + Shapes.format(x[0].shape));
            }
            int[] s = x[0].shape.clone();
            s[ax] = p[2] - p[1];
            double[] out = new double[Tensor.count(s)];
            Lanes.of(x[0].shape, ax).copy(x[0].data, p[1], Lanes.of(s, ax), out, 0, s[ax], false);
            return new Tensor(out, s);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            double[] d = new double[x[0].data.length];
            Lanes.of(g.shape, p[0]).copy(g.data, 0, Lanes.of(x[0].shape, p[0]), d, p[1], p[2] - p[1], false);
            return new Tensor(d, x[0].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            return value(t, p);
        }

        /** g between constant zeros ({@link #CONCAT}), whose gradient slices it back out. */
        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            int[] s = x[0].shape();
            java.util.List<TensorVar> parts = new java.util.ArrayList<>();
            if (p[1] > 0) {
                s[p[0]] = p[1];
                parts.add(g.tape().constant(Tensor.zeros(s)));
            }
            parts.add(g);
            int after = x[0].value().shape[p[0]] - p[2];
            if (after > 0) {
                s[p[0]] = after;
                parts.add(g.tape().constant(Tensor.zeros(s)));
            }
            return parts.size() == 1 ? g : TensorVar.concat(p[0], parts.toArray(new TensorVar[0]));
        }
    },
    /**
     * The positions {@code p[1], p[2], …} along axis {@code p[0]}, in that order, repeats allowed
     * ({@code torch.index_select}); the gradient adds each selected slice back at its position, so
     * a position selected twice receives both.
     */
    GATHER(1) {
        public Tensor value(Tensor[] x, int[] p) {
            int ax = axis("gather", x[0], p, 1);
            int n = x[0].shape[ax];
            for (int r = 1; r < p.length; r++) {
                if (p[r] < 0 || p[r] >= n) {
                    throw new IllegalArgumentException("gather: index " + p[r] + " is out of range for axis " + ax
                            + " of shape " + Shapes.format(x[0].shape));
                }
            }
            int[] s = x[0].shape.clone();
            s[ax] = p.length - 1;
            double[] out = new double[Tensor.count(s)];
            Lanes from = Lanes.of(x[0].shape, ax), to = Lanes.of(s, ax);
            for (int r = 1; r < p.length; r++) {
                from.copy(x[0].data, p[r], to, out, r - 1, 1, false);
            }
            return new Tensor(out, s);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            return SCATTER_ADD.value(new Tensor[] {g}, scatter(p, x[0].shape[p[0]]));
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            return value(t, p);
        }

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return g.tape().apply(SCATTER_ADD, scatter(p, x[0].value().shape[p[0]]), g);
        }
    },
    /**
     * The transpose of {@link #GATHER}: a tensor of length {@code p[1]} along axis {@code p[0]},
     * zero but for slice k of the argument added at position {@code p[k + 2]} ({@code
     * torch.index_add} into zeros), so a position named twice receives both. It is how a gather's
     * gradient is recorded; its own gradient is that gather.
     */
    SCATTER_ADD(1) {
        public Tensor value(Tensor[] x, int[] p) {
            int ax = axis("scatter_add", x[0], p, 2);
            if (x[0].shape[ax] != p.length - 2) {
                throw new IllegalArgumentException("scatter_add: " + (p.length - 2) + " positions for " + x[0].shape[ax]
                        + " slices along axis " + ax + " of shape " + Shapes.format(x[0].shape));
            }
            for (int r = 2; r < p.length; r++) {
                if (p[r] < 0 || p[r] >= p[1]) {
                    throw new IllegalArgumentException("scatter_add: position " + p[r] + " is out of range for length " + p[1]);
                }
            }
            int[] s = x[0].shape.clone();
            s[ax] = p[1];
            double[] out = new double[Tensor.count(s)];
            Lanes from = Lanes.of(x[0].shape, ax), to = Lanes.of(s, ax);
            for (int r = 2; r < p.length; r++) {
                from.copy(x[0].data, r - 2, to, out, p[r], 1, true);
            }
            return new Tensor(out, s);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            return GATHER.value(new Tensor[] {g}, gather(p));
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            return value(t, p);
        }

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            return g.tape().apply(GATHER, gather(p), g);
        }
    },
    /**
     * The arguments joined along axis {@code p[0]} ({@code torch.cat}); all other axes must agree.
     * Each argument's gradient is its own span of the incoming one.
     */
    CONCAT(1, Op.VARIADIC) {
        public Tensor value(Tensor[] x, int[] p) {
            int ax = axis("concat", x[0], p, 1);
            int[] s = x[0].shape.clone();
            s[ax] = 0;
            for (Tensor part : x) {
                int[] other = part.shape.clone();
                if (other.length == s.length) {
                    other[ax] = 0;
                }
                if (!Arrays.equals(other, s)) {
                    throw new IllegalArgumentException("concat: shapes " + Shapes.format(x[0].shape) + " and "
                            + Shapes.format(part.shape) + " differ off axis " + ax);
                }
            }
            for (Tensor part : x) {
                s[ax] += part.shape[ax];
            }
            double[] out = new double[Tensor.count(s)];
            Lanes to = Lanes.of(s, ax);
            int at = 0;
            for (Tensor part : x) {
                Lanes.of(part.shape, ax).copy(part.data, 0, to, out, at, part.shape[ax], false);
                at += part.shape[ax];
            }
            return new Tensor(out, s);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            int at = 0;
            for (int k = 0; k < arg; k++) {
                at += x[k].shape[p[0]];
            }
            double[] d = new double[x[arg].data.length];
            Lanes.of(g.shape, p[0]).copy(g.data, at, Lanes.of(x[arg].shape, p[0]), d, 0, x[arg].shape[p[0]], false);
            return new Tensor(d, x[arg].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            Tensor[] tt = new Tensor[x.length];
            for (int k = 0; k < x.length; k++) {
                tt[k] = t[k] != null ? t[k] : Tensor.zeros(x[k].shape);
            }
            return value(tt, p);
        }

        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            int at = 0;
            for (int k = 0; k < arg; k++) {
                at += x[k].value().shape[p[0]];
            }
            return g.slice(p[0], at, at + x[arg].value().shape[p[0]]);
        }
    },
    /**
     * {@code mask ? a : b} elementwise over the arguments (mask, a, b), all three broadcast to one
     * shape (numpy rules, as {@code torch.where}); the mask holds only 0 and 1 and receives no
     * gradient. The gradient goes to a where the mask is 1 and to b where it is 0, selected and
     * never multiplied by the mask, so a NaN or ∞ in the branch not taken cannot reach the
     * gradient (g·0 would pass NaN where g is NaN, and ∞·0 is NaN).
     */
    WHERE(3) {
        public Tensor value(Tensor[] x, int[] p) {
            int[] s = Broadcast.of("where", Broadcast.of("where", x[0].shape, x[1].shape).shape, x[2].shape).shape;
            double[] m = x[0].broadcastTo(s).data, a = x[1].broadcastTo(s).data, b = x[2].broadcastTo(s).data;
            double[] out = new double[m.length];
            for (int i = 0; i < out.length; i++) {
                if (m[i] != 0 && m[i] != 1) {
                    throw new IllegalArgumentException("where: the mask must hold only 0 and 1, found " + m[i]);
                }
                out[i] = m[i] == 1 ? a[i] : b[i];
            }
            return new Tensor(out, s);
        }

        public Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p) {
            if (arg == 0) {
                return Tensor.zeros(x[0].shape);
            }
            double[] m = x[0].broadcastTo(y.shape).data;
            double taken = arg == 1 ? 1 : 0;
            double[] d = new double[m.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = m[i] == taken ? g.data[i] : 0;
            }
            return new Tensor(d, y.shape).sumTo(x[arg].shape);
        }

        public Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p) {
            double[] m = x[0].broadcastTo(y.shape).data;
            double[] a = t[1] == null ? null : t[1].broadcastTo(y.shape).data;
            double[] b = t[2] == null ? null : t[2].broadcastTo(y.shape).data;
            double[] out = new double[m.length];
            for (int i = 0; i < out.length; i++) {
                double[] from = m[i] == 1 ? a : b;
                out[i] = from == null ? 0 : from[i];
            }
            return new Tensor(out, y.shape);
        }

        /** Selected by this step itself, with a constant 0 for the branch not taken. */
        public TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p) {
            TensorTape tape = g.tape();
            if (arg == 0) {
                return tape.constant(Tensor.zeros(x[0].shape()));
            }
            TensorVar zero = tape.constant(0);
            TensorVar picked = arg == 1 ? tape.apply(WHERE, p, x[0], g, zero) : tape.apply(WHERE, p, x[0], zero, g);
            return picked.sumTo(x[arg].shape());
        }
    };

    private final int minArity;
    private final int maxArity;

    Structural(int arity) {
        this(arity, arity);
    }

    Structural(int minArity, int maxArity) {
        this.minArity = minArity;
        this.maxArity = maxArity;
    }

    /** The fewest tensors the step takes. */
    public int minArity() {
        return minArity;
    }

    /** Whether the step takes {@code n} tensors. */
    public boolean accepts(int n) {
        return n >= minArity && n <= maxArity;
    }

    /** "takes 2 arguments", "takes 1 or more arguments": for error messages. */
    public String arityText() {
        String n = maxArity == Op.VARIADIC ? minArity + " or more" : Integer.toString(minArity);
        return "takes " + n + (maxArity == 1 ? " argument" : " arguments");
    }

    /** The step's value at {@code x} with parameters {@code p}. */
    public abstract Tensor value(Tensor[] x, int[] p);

    /** Jᵀ·g for argument {@code arg}: what the step passes back to it for the gradient {@code g} of its value {@code y}. */
    public abstract Tensor vjp(int arg, Tensor g, Tensor[] x, Tensor y, int[] p);

    /** J·t: the tangent of the value for tangents {@code t} of the arguments (null: zero tangent). */
    public abstract Tensor jvp(Tensor[] t, Tensor[] x, Tensor y, int[] p);

    /**
     * {@link #vjp(int, Tensor, Tensor[], Tensor, int[])} recorded: the same Jᵀ·g written in
     * operations of the tape that {@code g}, the arguments {@code x} and the step's node {@code y}
     * live on, so it can be differentiated again (double backward). It gives the numeric form's
     * numbers; {@code StructuralTest} holds every rule to that.
     */
    public abstract TensorVar vjp(int arg, TensorVar g, TensorVar[] x, TensorVar y, int[] p);

    /** Checks that {@code p} holds at least {@code count} parameters, the first an axis of {@code x}, and returns it. */
    private static int axis(String op, Tensor x, int[] p, int count) {
        if (p.length < count) {
            throw new IllegalArgumentException(op + ": expected " + count + " parameters, got " + p.length);
        }
        if (p[0] < 0 || p[0] >= x.shape.length) {
            throw new IllegalArgumentException(op + ": axis " + p[0] + " is out of range for shape " + Shapes.format(x.shape));
        }
        return p[0];
    }

    /** {@code v}, of {@code x} reduced along {@code axis}, with that axis back as length 1 so it broadcasts along the lanes. */
    private static TensorVar kept(TensorVar v, TensorVar x, int axis) {
        int[] s = Shapes.reduce(x.value().shape, axis, true);
        return Arrays.equals(v.value().shape, s) ? v : v.reshape(s);
    }

    /** {@link #SCATTER_ADD}'s parameters for the transpose of a gather with parameters {@code p} from an axis of length {@code n}. */
    private static int[] scatter(int[] p, int n) {
        int[] q = new int[p.length + 1];
        q[0] = p[0];
        q[1] = n;
        System.arraycopy(p, 1, q, 2, p.length - 1);
        return q;
    }

    /** {@link #GATHER}'s parameters for the transpose of a scatter with parameters {@code p}. */
    private static int[] gather(int[] p) {
        int[] q = new int[p.length - 1];
        q[0] = p[0];
        System.arraycopy(p, 2, q, 1, p.length - 2);
        return q;
    }

    /** The lanes along {@code axis}, which must not be empty (a maximum of nothing has no value). */
    private static Lanes nonEmpty(String op, Tensor x, int axis) {
        Lanes l = Lanes.of(x.shape, axis);
        if (l.n() == 0) {
            throw new IllegalArgumentException(op + ": axis " + axis + " of shape " + Shapes.format(x.shape) + " is empty");
        }
        return l;
    }

    /** Copies lane {@code j} of {@code x} into {@code lane} and returns it. */
    private static double[] read(Tensor x, Lanes l, int j, double[] lane) {
        for (int k = 0, i = l.start(j); k < lane.length; k++, i += l.inner()) {
            lane[k] = x.data[i];
        }
        return lane;
    }

    /**
     * Each element's share of its lane's maximum {@code y}: 1/(number tied) at the maximum, 0
     * below it, NaN across a lane whose maximum is NaN (no element equals it).
     */
    private static double[] maxShares(Tensor x, Tensor y, Lanes l) {
        double[] share = new double[x.data.length];
        for (int j = 0; j < l.count(); j++) {
            double m = y.data[j];
            int ties = 0;
            for (int k = 0, i = l.start(j); k < l.n(); k++, i += l.inner()) {
                ties += x.data[i] == m ? 1 : 0;
            }
            double at = ties == 0 ? Double.NaN : 1.0 / ties;
            double below = ties == 0 ? Double.NaN : 0;
            for (int k = 0, i = l.start(j); k < l.n(); k++, i += l.inner()) {
                share[i] = x.data[i] == m ? at : below;
            }
        }
        return share;
    }
}
