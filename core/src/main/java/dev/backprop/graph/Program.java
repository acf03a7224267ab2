package dev.backprop.graph;

import dev.backprop.io.Limits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, compiled computation: the nodes of a tape frozen up to one output, with named
 * inputs. Evaluate it at as many points as you like, from as many threads as you like; each call
 * works in arrays of its own, so results are identical whatever the threading.
 */
public final class Program {
    final Nodes nodes;
    /** The {@link Tape#origin} of the tape this was frozen from. */
    final Object origin;
    private final int[] inputs;
    private final int output;
    private final List<String> inputNames;
    /** Input name → position in {@link #inputs()}: name lookups stay linear in the names given. */
    private final Map<String, Integer> inputPosition = new HashMap<>();
    /** Step numbers of the unnamed operations ({@link Nodes#stepNumbers}); racing threads compute equal arrays. */
    private volatile int[] steps;

    Program(Object origin, Nodes nodes, int[] inputs, int output) {
        this.origin = origin;
        this.nodes = nodes;
        this.inputs = inputs;
        this.output = output;
        List<String> names = new ArrayList<>();
        for (int i : inputs) {
            inputPosition.put(nodes.name(i), names.size());
            names.add(nodes.name(i));
        }
        this.inputNames = Collections.unmodifiableList(names);
    }

    /** The inputs' names, in the order {@link #evaluate(double...)} takes their values. */
    public List<String> inputs() {
        return inputNames;
    }

    /** Number of nodes (inputs, constants and operations). */
    public int size() {
        return output + 1;
    }

    /** The node index of the output. */
    public int output() {
        return output;
    }

    /** Evaluates with the inputs' values given in the order of {@link #inputs()}. */
    public Evaluation evaluate(double... values) {
        if (values.length != inputs.length) {
            throw new IllegalArgumentException(
                    "expected " + inputs.length + " input values " + inputNames + ", got " + values.length);
        }
        double[][] v = nodes.copyValues(output + 1);
        for (int k = 0; k < inputs.length; k++) {
            Nodes.set(v, inputs[k], values[k]);
        }
        nodes.forward(v, output + 1);
        return new Evaluation(this, v);
    }

    /**
     * Evaluates with the inputs' values given by name: exactly the inputs, each once.
     *
     * @throws IllegalArgumentException naming the first input that has no value, or a name that
     *         is not an input (a misspelling would otherwise be ignored silently), with the inputs'
     *         names
     */
    public Evaluation evaluate(Map<String, Double> values) {
        for (String name : values.keySet()) {
            if (name == null || !inputPosition.containsKey(name)) {
                throw new IllegalArgumentException((name == null ? "a null name" : Limits.quote(name))
                        + " is not an input (inputs: " + Limits.list(inputNames) + ")");
            }
        }
        double[] v = new double[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            Double x = values.get(inputNames.get(k));
            if (x == null) {
                throw new IllegalArgumentException("missing value for input '" + inputNames.get(k) + "'");
            }
            v[k] = x;
        }
        return evaluate(v);
    }

    /**
     * ∂output/∂(input {@code name}) as a program of its own, with the same inputs: this program's
     * reverse sweep recorded step by step, with the sweep's own numbers (strong zeros included).
     * Its gradient is a row of the Hessian; compiled by the batch engine, it gives second
     * derivatives summed over data.
     *
     * @throws IllegalArgumentException if {@code name} is not an input, or the output depends on
     *         a custom function whose partials are numbers only (their own derivatives are unknown)
     */
    public Program derivative(String name) {
        int k = inputNames.indexOf(name);
        if (k < 0) {
            throw new IllegalArgumentException("'" + name + "' is not an input (inputs: " + String.join(", ", inputNames) + ")");
        }
        Recorded r = Recorded.of(this, nodes.values());
        return r.tape.toProgram(r.gradient[k]);
    }

    /**
     * The derivative of the output along {@code direction} (inputs it does not name have 0) as a
     * program of its own, with the same inputs: the forward-mode sweep recorded step by step. Its
     * value is the Jacobian-vector product; its gradient is the Hessian times the direction
     * (reverse over forward). Compiled by the batch engine, it gives both summed over data.
     *
     * @throws IllegalArgumentException if {@code direction} names something that is not an input
     */
    public Program directionalDerivative(Map<String, Double> direction) {
        double[] d = new double[inputNames.size()];
        for (Map.Entry<String, Double> e : direction.entrySet()) {
            int k = inputNames.indexOf(e.getKey());
            if (k < 0) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not an input (inputs: " + String.join(", ", inputNames) + ")");
            }
            d[k] = e.getValue();
        }
        Tape tape = new Tape(4 * size());
        Var t = Recorded.tangent(this, d, tape);
        return tape.toProgram(t);
    }

    /** The node index of input {@code name}, or -1. */
    public int inputNode(String name) {
        Integer k = inputPosition.get(name);
        return k == null ? -1 : inputs[k];
    }

    int[] inputIndices() {
        return inputs;
    }

    /** The name given to node {@code i}, or null. */
    public String name(int i) {
        return nodes.name(i);
    }

    /**
     * Node {@code i}'s name; for an unnamed operation its step name, {@code t1, t2, …} counting the
     * unnamed operations in order (skipping names already taken); for a constant its value as typed
     * ({@code 2}, {@code 0.5}).
     */
    public String label(int i) {
        return nodes.label(i, steps());
    }

    /**
     * The operation that produced node {@code i}, in formula syntax over its arguments' labels
     * ({@code "sin(f0)"}, {@code "h1^2"}, {@code "t1 * (-0.5)"}).
     */
    public String describe(int i) {
        return nodes.describe(i, steps());
    }

    /** The step numbers, computed on first use: one pass, so describing every node stays linear. */
    private int[] steps() {
        int[] s = steps;
        if (s == null) {
            s = nodes.stepNumbers(nodes.size());
            steps = s;
        }
        return s;
    }

    /** Whether node {@code i} is a primitive operation (not an input or a constant). */
    public boolean isOperation(int i) {
        return nodes.code(i) >= 0;
    }

    /**
     * The primitive at node {@code i}, or null for inputs and constants.
     *
     * @throws IllegalStateException if node {@code i} is a custom function's: see {@link #rule(int)}
     */
    public dev.backprop.op.Op op(int i) {
        dev.backprop.op.Rule r = rule(i);
        if (r instanceof dev.backprop.op.CustomFunction f) {
            throw new IllegalStateException("node " + i + " is the custom function " + f.name() + ", not a primitive: use rule(i)");
        }
        return (dev.backprop.op.Op) r;
    }

    /** The rule at node {@code i}, a primitive or a {@link dev.backprop.op.CustomFunction}; null for inputs and constants. */
    public dev.backprop.op.Rule rule(int i) {
        byte c = nodes.code(i);
        return c >= 0 ? nodes.rule(c) : null;
    }

    /** Argument {@code k} (from 0 to {@link #arity(int)} − 1) of operation node {@code i}. */
    public int argument(int i, int k) {
        return nodes.arg(i, k);
    }

    /** How many arguments operation node {@code i} has. */
    public int arity(int i) {
        return nodes.count(i);
    }

    /** Whether node {@code i} is a constant (its value never depends on inputs). */
    public boolean isConstant(int i) {
        return nodes.code(i) == Nodes.CONSTANT;
    }

    /** Whether node {@code i} is an input. */
    public boolean isInput(int i) {
        return nodes.code(i) == Nodes.INPUT;
    }

    /** The value of constant node {@code i}. */
    public double constantValue(int i) {
        return nodes.value(i);
    }
}
