package dev.backprop.tensor;

import dev.backprop.io.Limits;
import dev.backprop.op.Op;

/**
 * A tensor recorded on a {@link TensorTape}: a handle to one node. Operations record new nodes
 * and return new handles; nothing is changed in place. The methods mirror {@link Tensor}'s, and
 * add what a classifier needs: reductions and normalisations along an axis ({@link #max(int)},
 * {@link #logsumexp(int)}, {@link #softmax(int)}, {@link #logSoftmax(int)}), {@link
 * #slice}, {@link #gather}, {@link #concat}, {@link #where} and three mean losses ({@link
 * #crossEntropy}, {@link #binaryCrossEntropyWithLogits}, {@link #mse}). Axes may be negative,
 * counting from the end as in numpy.
 *
 * @param tape  the tape the value lives on
 * @param index its position on the tape
 */
public record TensorVar(TensorTape tape, int index) {

    /** The value computed when this node was recorded. */
    public Tensor value() {
        return tape.value(this);
    }

    /** The shape of the value (a copy). */
    public int[] shape() {
        return value().shape();
    }

    /** The name given to this node, or null. */
    public String name() {
        return tape.name(this);
    }

    /** Names this node and returns it. */
    public TensorVar named(String name) {
        return tape.name(this, name);
    }

    public TensorVar add(TensorVar o) { return tape.apply(Op.ADD, this, o); }
    public TensorVar sub(TensorVar o) { return tape.apply(Op.SUB, this, o); }
    public TensorVar mul(TensorVar o) { return tape.apply(Op.MUL, this, o); }
    public TensorVar div(TensorVar o) { return tape.apply(Op.DIV, this, o); }
    public TensorVar pow(TensorVar o) { return tape.apply(Op.POW, this, o); }
    public TensorVar max(TensorVar o) { return tape.apply(Op.MAX, this, o); }
    public TensorVar min(TensorVar o) { return tape.apply(Op.MIN, this, o); }

    public TensorVar add(double c) { return add(tape.constant(c)); }
    public TensorVar sub(double c) { return sub(tape.constant(c)); }
    public TensorVar mul(double c) { return mul(tape.constant(c)); }
    public TensorVar div(double c) { return div(tape.constant(c)); }
    public TensorVar pow(double c) { return pow(tape.constant(c)); }

    public TensorVar neg() { return tape.apply(Op.NEG, this); }
    public TensorVar sin() { return tape.apply(Op.SIN, this); }
    public TensorVar cos() { return tape.apply(Op.COS, this); }
    public TensorVar tan() { return tape.apply(Op.TAN, this); }
    public TensorVar exp() { return tape.apply(Op.EXP, this); }
    public TensorVar log() { return tape.apply(Op.LOG, this); }
    public TensorVar sqrt() { return tape.apply(Op.SQRT, this); }
    public TensorVar tanh() { return tape.apply(Op.TANH, this); }
    public TensorVar sigmoid() { return tape.apply(Op.SIGMOID, this); }
    public TensorVar relu() { return tape.apply(Op.RELU, this); }
    public TensorVar abs() { return tape.apply(Op.ABS, this); }

    /** Any unary primitive of the table, elementwise. */
    public TensorVar apply(Op op) { return tape.apply(op, this); }

    /** Any binary primitive of the table, elementwise with broadcasting. */
    public TensorVar apply(Op op, TensorVar o) { return tape.apply(op, this, o); }

    /** Any primitive of the table of this and {@code others} ({@code max(a, b, c)}), elementwise with broadcasting. */
    public TensorVar apply(Op op, TensorVar... others) {
        TensorVar[] args = new TensorVar[others.length + 1];
        args[0] = this;
        System.arraycopy(others, 0, args, 1, others.length);
        return tape.apply(op, args);
    }

    /** Copies along new or size-1 axes up to {@code shape} (numpy rules). */
    public TensorVar broadcastTo(int... shape) { return tape.broadcastTo(this, shape); }

    /** Sums down to {@code shape}, the inverse of broadcasting (numpy rules). */
    public TensorVar sumTo(int... shape) { return tape.sumTo(this, shape); }

    /** {@code this ⊙ this}: a composite, no rule of its own. */
    public TensorVar square() { return mul(this); }

    /** Matrix product. */
    public TensorVar matmul(TensorVar o) { return tape.matmul(this, o); }

    /** Matrix transpose. */
    public TensorVar transpose() { return tape.transpose(this); }

    /** Same elements, new shape (one axis may be −1). */
    public TensorVar reshape(int... shape) { return tape.reshape(this, shape); }

    /** Sum of all elements, rank 0. */
    public TensorVar sum() { return tape.sum(this); }

    /** Sum along an axis, dropping it. */
    public TensorVar sum(int axis) { return tape.sum(this, axis, false); }

    /** Sum along an axis, keeping it with length 1 if {@code keepDims}. */
    public TensorVar sum(int axis, boolean keepDims) { return tape.sum(this, axis, keepDims); }

    /** Its name (or {@code t<index>}) and value: {@code TensorVar[w = Tensor(2, 2) [[1.0, 2.0], [3.0, 4.0]]]}. */
    @Override
    public String toString() {
        String name = name();
        return "TensorVar[" + (name == null ? "t" + index : Limits.shortName(name)) + " = " + value() + "]";
    }

    /** Mean of all elements: a composite (sum / n). */
    public TensorVar mean() { return sum().div(value().size()); }

    /** Mean along an axis, dropping it: a composite (sum / n). */
    public TensorVar mean(int axis) { return mean(axis, false); }

    /** Mean along an axis, keeping it with length 1 if {@code keepDims}: a composite. */
    public TensorVar mean(int axis, boolean keepDims) {
        TensorVar s = sum(axis, keepDims); // checks the axis, with the operation's name in the message
        return s.div(value().dim(axis));
    }

    /** Largest element along an axis, dropping it: see {@link #max(int, boolean)}. */
    public TensorVar max(int axis) { return max(axis, false); }

    /**
     * Largest element along an axis ({@code torch.amax}), keeping it with length 1 if {@code
     * keepDims}. Elements tied at the maximum share its gradient equally; NaN wins.
     */
    public TensorVar max(int axis, boolean keepDims) {
        int ax = Shapes.axis("max", shape(), axis);
        return tape.apply(Structural.AMAX, new int[] {ax, keepDims ? 1 : 0}, this);
    }

    /** log Σ e^x along an axis, dropping it: see {@link #logsumexp(int, boolean)}. */
    public TensorVar logsumexp(int axis) { return logsumexp(axis, false); }

    /**
     * log Σ e^x along an axis, keeping it with length 1 if {@code keepDims}; stable (the largest
     * element is taken out first), −∞ for a lane of −∞.
     */
    public TensorVar logsumexp(int axis, boolean keepDims) {
        int ax = Shapes.axis("logsumexp", shape(), axis);
        return tape.apply(Structural.LOGSUMEXP, new int[] {ax, keepDims ? 1 : 0}, this);
    }

    /** x − logsumexp(x) along an axis, computed as PyTorch does (the lane's maximum subtracted first). */
    public TensorVar logSoftmax(int axis) {
        int ax = Shapes.axis("logSoftmax", shape(), axis);
        return tape.apply(Structural.LOG_SOFTMAX, new int[] {ax}, this);
    }

    /** e^x / Σ e^x along an axis: a composite, e^(logSoftmax x), so it never overflows. */
    public TensorVar softmax(int axis) { return logSoftmax(axis).exp(); }

    /**
     * Position of the largest element along an axis, dropping it, as doubles (first of ties; a NaN
     * counts as largest). A plain {@link Tensor}: a position has no gradient.
     */
    public Tensor argmax(int axis) { return value().argmax(axis); }

    /** Positions {@code [from, to)} along an axis ({@code x[from:to]} on that axis). */
    public TensorVar slice(int axis, int from, int to) {
        int ax = Shapes.axis("slice", shape(), axis);
        return tape.apply(Structural.SLICE, new int[] {ax, from, to}, this);
    }

    /**
     * The rows {@code rows[0], rows[1], …} (positions along axis 0), repeats allowed, as {@code
     * x[rows]} or {@code torch.index_select(x, 0, rows)}; a row taken twice gets both gradients.
     */
    public TensorVar gather(int... rows) { return indexSelect(0, rows); }

    /** The positions {@code indices} along an axis, in order, repeats allowed ({@code torch.index_select}). */
    public TensorVar indexSelect(int axis, int... indices) {
        int ax = Shapes.axis("gather", shape(), axis);
        int[] p = new int[indices.length + 1];
        p[0] = ax;
        System.arraycopy(indices, 0, p, 1, indices.length);
        return tape.apply(Structural.GATHER, p, this);
    }

    /** The parts joined along an axis ({@code torch.cat}); every other axis must agree. */
    public static TensorVar concat(int axis, TensorVar... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: nothing to join");
        }
        int ax = Shapes.axis("concat", parts[0].shape(), axis);
        return parts[0].tape.apply(Structural.CONCAT, new int[] {ax}, parts);
    }

    /**
     * {@code a} where {@code mask} is 1, {@code b} where it is 0 ({@code torch.where}), all three
     * broadcast together; the mask (see {@link Tensor#mask}) is recorded as a constant. Each
     * branch's gradient is selected, not multiplied by the mask, so a NaN or ∞ in the branch not
     * taken never reaches the gradient.
     */
    public static TensorVar where(Tensor mask, TensorVar a, TensorVar b) {
        return a.tape.apply(Structural.WHERE, new int[0], a.tape.constant(mask), a, b);
    }

    /**
     * Softmax cross-entropy of these logits, shape (N, C), against class labels {@code 0 ≤
     * labels[i] < C}, averaged over the N rows, as {@code torch.nn.functional.cross_entropy}: the
     * mean of −logSoftmax(x)[i, labels[i]]. A composite (logSoftmax, flatten, gather, mean).
     */
    public TensorVar crossEntropy(int... labels) {
        int[] s = shape();
        if (s.length != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be a matrix (N, C), got shape " + Shapes.format(s));
        }
        if (labels.length != s[0]) {
            throw new IllegalArgumentException("crossEntropy: " + labels.length + " labels for " + s[0] + " rows of logits " + Shapes.format(s));
        }
        int[] picked = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= s[1]) {
                throw new IllegalArgumentException("crossEntropy: label " + labels[i] + " of row " + i + " is not a class of " + s[1]);
            }
            picked[i] = i * s[1] + labels[i];
        }
        return logSoftmax(1).reshape(-1).gather(picked).mean().neg();
    }

    /**
     * Binary cross-entropy of these logits against targets in [0, 1] of the same shape, averaged,
     * as {@code torch.nn.functional.binary_cross_entropy_with_logits}: the mean of max(x, 0) − x·y
     * + log(1 + e^−|x|), written softplus(x) − x·y, which is the same function with one smooth
     * piece, so its gradient is σ(x) − y everywhere, x = 0 included (a sum of relu and |x| would
     * take their one-sided derivatives there and give −y).
     */
    public TensorVar binaryCrossEntropyWithLogits(TensorVar targets) {
        sameShape("binaryCrossEntropyWithLogits", targets);
        return apply(Op.SOFTPLUS).sub(mul(targets)).mean();
    }

    /** Mean squared error against targets of the same shape: mean((x − y)²). */
    public TensorVar mse(TensorVar targets) {
        sameShape("mse", targets);
        return sub(targets).square().mean();
    }

    /** Losses refuse to broadcast: (N,) against (N, 1) would silently compare every pair. */
    private void sameShape(String op, TensorVar targets) {
        if (!value().sameShape(targets.value())) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.format(value().shape) + " and "
                    + Shapes.format(targets.value().shape) + " differ");
        }
    }
}
