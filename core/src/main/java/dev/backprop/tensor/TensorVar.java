package dev.backprop.tensor;

import dev.backprop.io.Limits;
import dev.backprop.op.Op;

/**
 * A tensor recorded on a {@link TensorTape}: a handle to one node. Operations record new nodes
 * and return new handles; nothing is changed in place. The methods mirror {@link Tensor}'s.
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
}
