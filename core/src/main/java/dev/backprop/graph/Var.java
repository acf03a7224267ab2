package dev.backprop.graph;

import dev.backprop.io.Limits;
import dev.backprop.op.Op;

/**
 * A value recorded on a {@link Tape}: a handle to one node. Operations return new handles and
 * record new nodes; nothing is ever changed in place.
 *
 * @param tape  the tape the value lives on
 * @param index its position on the tape
 */
public record Var(Tape tape, int index) {

    /** The value computed when this node was recorded. */
    public double value() {
        return tape.nodes.value(index);
    }

    /** The name given to this node, or null. */
    public String name() {
        return tape.nodes.name(index);
    }

    /** Names this node (for traces) and returns it. */
    public Var named(String name) {
        return tape.name(this, name);
    }

    public Var add(Var o) { return tape.apply(Op.ADD, this, o); }
    public Var sub(Var o) { return tape.apply(Op.SUB, this, o); }
    public Var mul(Var o) { return tape.apply(Op.MUL, this, o); }
    public Var div(Var o) { return tape.apply(Op.DIV, this, o); }
    public Var pow(Var o) { return tape.apply(Op.POW, this, o); }
    public Var max(Var o) { return tape.apply(Op.MAX, this, o); }
    public Var min(Var o) { return tape.apply(Op.MIN, this, o); }

    public Var add(double c) { return add(tape.constant(c)); }
    public Var sub(double c) { return sub(tape.constant(c)); }
    public Var mul(double c) { return mul(tape.constant(c)); }
    public Var div(double c) { return div(tape.constant(c)); }
    public Var pow(double c) { return pow(tape.constant(c)); }

    public Var neg() { return tape.apply(Op.NEG, this); }
    public Var sin() { return tape.apply(Op.SIN, this); }
    public Var cos() { return tape.apply(Op.COS, this); }
    public Var tan() { return tape.apply(Op.TAN, this); }
    public Var exp() { return tape.apply(Op.EXP, this); }
    public Var log() { return tape.apply(Op.LOG, this); }
    public Var sqrt() { return tape.apply(Op.SQRT, this); }
    public Var tanh() { return tape.apply(Op.TANH, this); }
    public Var sigmoid() { return tape.apply(Op.SIGMOID, this); }
    public Var relu() { return tape.apply(Op.RELU, this); }
    public Var abs() { return tape.apply(Op.ABS, this); }

    /** {@code this * this}: a composite, no rule of its own. */
    public Var square() { return mul(this); }

    /**
     * The node as a trace shows it, with its value: {@code Var[x = 1.5, input]},
     * {@code Var[t1 = sin(x) = 0.997…]}, {@code Var[2, constant]}.
     */
    @Override
    public String toString() {
        byte code = tape.nodes.code(index);
        int[] steps = tape.nodes.stepNumbers(index + 1);
        String label = Limits.shortName(tape.nodes.label(index, steps));
        if (code == Nodes.INPUT) {
            return "Var[" + label + " = " + value() + ", input]";
        }
        if (code == Nodes.CONSTANT && tape.nodes.name(index) == null) {
            return "Var[" + Nodes.number(value()) + ", constant]";
        }
        return "Var[" + label + " = " + tape.nodes.describe(index, steps) + " = " + value() + "]";
    }
}
