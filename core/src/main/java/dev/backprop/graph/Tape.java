package dev.backprop.graph;

import dev.backprop.io.Limits;
import dev.backprop.op.CustomFunction;
import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records a computation as it runs, so it can be differentiated in one reverse sweep.
 *
 * <p>Every operation on a {@link Var} appends a node holding its value; {@link #gradient(Var)}
 * then walks the nodes backwards once and returns the derivative of the output with respect to
 * every input. This is the book's "store every intermediate, then apply the chain rule in reverse".
 *
 * <pre>{@code
 * Tape tape = new Tape();
 * Var x = tape.input("x", 2.0);
 * Var y = x.sin().mul(x);          // y = x·sin x
 * Gradient g = tape.gradient(y);
 * g.of(x);                          // sin 2 + 2·cos 2
 * }</pre>
 *
 * <p>A tape is not thread-safe; use one per thread, or compile once into an immutable
 * {@link Program} with {@link #toProgram(Var)} and evaluate that from many threads.
 */
public final class Tape {
    final Nodes nodes;
    /**
     * Who recorded a {@link Var}: shared with the programs frozen from this tape, whose node
     * indices are this tape's, so their gradients accept its values and refuse any other tape's.
     * A token rather than the tape itself, so a program does not keep the tape's nodes alive.
     */
    final Object origin = new Object();
    private final List<Integer> inputs = new ArrayList<>();
    private final Set<String> inputNames = new HashSet<>();

    /** An empty tape. */
    public Tape() {
        this(16);
    }

    /** An empty tape with room for {@code expectedNodes} nodes before it grows. */
    public Tape(int expectedNodes) {
        nodes = new Nodes(expectedNodes);
    }

    /**
     * A new input (a leaf whose gradient is wanted) called {@code name}, with its value.
     *
     * @throws IllegalArgumentException if {@code name} is null or another input of this tape has
     *         it: {@link Gradient#of(String)} and {@link Program#evaluate(Map)} find inputs by name
     */
    public Var input(String name, double value) {
        if (name == null) {
            throw new IllegalArgumentException("an input needs a name");
        }
        if (!inputNames.add(name)) {
            throw new IllegalArgumentException("this tape already has an input called " + Limits.quote(name));
        }
        int i = nodes.add(Nodes.INPUT, -1, -1, value);
        nodes.name(i, name);
        inputs.add(i);
        return new Var(this, i);
    }

    /** A constant: no gradient flows into it. */
    public Var constant(double value) {
        return new Var(this, nodes.add(Nodes.CONSTANT, -1, -1, value));
    }

    /** Records {@code op} applied to one argument. */
    public Var apply(Op op, Var a) {
        checkArity(op, 1);
        int x = own(a);
        double v = op.apply(nodes.value(x), 0);
        byte c = nodes.isConstant(x) ? Nodes.CONSTANT : (byte) op.ordinal();
        return new Var(this, nodes.add(c, x, -1, v));
    }

    /** Records {@code op} applied to two arguments. */
    public Var apply(Op op, Var a, Var b) {
        checkArity(op, 2);
        int x = own(a);
        int y = own(b);
        double v = op.apply(nodes.value(x), nodes.value(y));
        byte c = nodes.isConstant(x) && nodes.isConstant(y) ? Nodes.CONSTANT : (byte) op.ordinal();
        return new Var(this, nodes.add(c, x, y, v));
    }

    /**
     * Records {@code op} applied to any number of arguments it {@link Op#accepts} ({@code max},
     * {@code min} and {@code logsumexp} take two or more).
     *
     * @throws IllegalArgumentException if {@code op} does not take that many arguments
     */
    public Var apply(Op op, Var... args) {
        if (args.length <= 2) {
            checkArity(op, args.length);
            return args.length == 1 ? apply(op, args[0]) : apply(op, args[0], args[1]);
        }
        checkArity(op, args.length);
        return wide((byte) op.ordinal(), op::value, args);
    }

    /** A node of its arguments in the tape's side list (more than two, or a custom function's), folded when all are constants. */
    private Var wide(byte code, java.util.function.ToDoubleFunction<double[]> value, Var[] args) {
        int[] idx = new int[args.length];
        double[] x = new double[args.length];
        boolean constant = true;
        for (int k = 0; k < args.length; k++) {
            idx[k] = own(args[k]);
            x[k] = nodes.value(idx[k]);
            constant &= nodes.isConstant(idx[k]);
        }
        double v = value.applyAsDouble(x);
        if (constant) {
            return constant(v);
        }
        return new Var(this, nodes.addWide(code, idx, v));
    }

    /**
     * Records {@code rule} applied to {@code args}: a primitive as {@link #apply(Op, Var...)} does,
     * or a {@link CustomFunction} (from its value; its partials serve every sweep of this tape).
     *
     * @throws IllegalArgumentException if {@code rule} does not take that many arguments
     */
    public Var apply(Rule rule, Var... args) {
        if (rule instanceof Op op) {
            return apply(op, args);
        }
        CustomFunction f = (CustomFunction) rule;
        checkArity(f, args.length);
        return wide(nodes.opcode(f), f::value, args);
    }

    private static void checkArity(Rule op, int n) {
        if (!op.accepts(n)) {
            throw new IllegalArgumentException(op.symbol() + " " + op.arityText() + ", got " + n);
        }
    }

    /** Gives a node a name, shown in traces; returns the same node. */
    public Var name(Var v, String name) {
        nodes.name(own(v), name);
        return v;
    }

    /** How many nodes the tape holds. */
    public int size() {
        return nodes.size();
    }

    /**
     * The derivative of {@code output} with respect to every node recorded before it, in one
     * reverse sweep. Memory is one double per node; there is no recursion, so chains of any length
     * work.
     */
    public Gradient gradient(Var output) {
        int o = own(output);
        double[] adj = nodes.backward(nodes.values(), o);
        return new Gradient(origin, nodes, nodes.values(), adj, inputIndices(o), null);
    }

    /**
     * Freezes what was recorded up to {@code output} into an immutable program that can be
     * re-evaluated at other input values, from any number of threads.
     */
    public Program toProgram(Var output) {
        int o = own(output);
        return new Program(origin, nodes.copy(o + 1), inputIndices(o), o);
    }

    private int[] inputIndices(int upTo) {
        return inputs.stream().mapToInt(Integer::intValue).filter(i -> i <= upTo).toArray();
    }

    /** Its size and inputs, {@code Tape[12 nodes; inputs x, y]}. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (int i : inputs) {
            names.add(nodes.name(i));
        }
        return "Tape[" + nodes.size() + " nodes; inputs " + Limits.list(names) + "]";
    }

    int own(Var v) {
        if (v.tape() != this) {
            throw new IllegalArgumentException("that value was recorded on another tape");
        }
        return v.index();
    }
}
