package dev.backprop.graph;

import dev.backprop.op.CustomFunction;
import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Structure-of-arrays storage for a tape: one byte of opcode, two argument indices and one value per
 * node, plus names only where given. About 17 bytes a node, so ten million operations fit in a few
 * hundred megabytes and the reverse sweep walks memory in order.
 *
 * <p>Storage is a run of chunks of {@link #CHUNK} nodes. Only the first chunk grows by copying (a
 * small formula stays small); later chunks are allocated whole and never copied, so recording ten
 * million operations writes each byte once instead of re-copying the tape at every growth. Node
 * {@code i} lives at {@code [i >>> SHIFT][i & MASK]}; an evaluation's values use the same layout.
 *
 * <p>Opcodes {@code >= 0} are {@link Op} ordinals, then {@link CustomFunction}s: code {@link
 * #CUSTOM} + k is entry k of this tape's own list of them. Two negative codes mark leaves. A unary node's
 * second index is −1. A node of more than two arguments ({@code max(a, b, c)}) keeps them in a
 * side list, and its first index is {@code −2 − k} for entry k of that list: rare nodes pay for
 * their width, and every other node stays two ints. A custom function's node is always kept in the
 * side list, whatever its arity, so the loops meet it only where they already handle wide nodes and
 * the built-in primitives' path stays as it was. A node whose
 * arguments are all constants is folded into a constant when recorded, so no gradient ever flows
 * into constants (which keeps {@code (f − y)^2} from asking for {@code log} of a negative base).
 */
final class Nodes {
    static final byte CONSTANT = -1;
    static final byte INPUT = -2;
    static final int SHIFT = 16;
    static final int CHUNK = 1 << SHIFT;
    static final int MASK = CHUNK - 1;
    /** The first opcode of a custom function; below it, {@link Op} ordinals. */
    static final int CUSTOM = Op.values().length;

    private byte[][] code;
    private int[][] a;
    private int[][] b;
    private double[][] value;
    /** Names by chunk; a chunk where nothing is named stays null. */
    private String[][] names;
    /** Argument lists of the nodes of more than two arguments; never modified once added. */
    private List<int[]> wide;
    /** The custom functions recorded, by opcode − {@link #CUSTOM}; only ever appended to. */
    private List<CustomFunction> functions;
    private int size;

    Nodes(int capacity) {
        int chunks = Math.max(1, (capacity + MASK) >>> SHIFT);
        code = new byte[chunks][];
        a = new int[chunks][];
        b = new int[chunks][];
        value = new double[chunks][];
        names = new String[chunks][];
        wide = new ArrayList<>();
        functions = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            allocate(c, c == 0 ? Math.min(Math.max(capacity, 16), CHUNK) : CHUNK);
        }
    }

    private Nodes(byte[][] code, int[][] a, int[][] b, double[][] value, String[][] names, List<int[]> wide,
                  List<CustomFunction> functions, int size) {
        this.wide = wide;
        this.functions = functions;
        this.code = code;
        this.a = a;
        this.b = b;
        this.value = value;
        this.names = names;
        this.size = size;
    }

    private void allocate(int c, int length) {
        code[c] = new byte[length];
        a[c] = new int[length];
        b[c] = new int[length];
        value[c] = new double[length];
    }

    int size() {
        return size;
    }

    int add(byte c, int x, int y, double v) {
        int i = size;
        int k = i >>> SHIFT;
        int j = i & MASK;
        if (k == code.length || code[k] == null || j == code[k].length) {
            grow(k);
        }
        code[k][j] = c;
        a[k][j] = x;
        b[k][j] = y;
        value[k][j] = v;
        return size++;
    }

    /** Adds a node of more than two arguments. */
    int addWide(byte c, int[] args, double v) {
        wide.add(args);
        return add(c, -1 - wide.size(), -1, v);
    }

    /** The opcode of {@code f} on this tape, given it on first use. */
    byte opcode(CustomFunction f) {
        for (int k = 0; k < functions.size(); k++) {
            if (functions.get(k) == f) {
                return (byte) (CUSTOM + k);
            }
        }
        if (CUSTOM + functions.size() > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("a tape records at most " + (Byte.MAX_VALUE - CUSTOM + 1)
                    + " different custom functions; " + f.name() + " would be one more");
        }
        functions.add(f);
        return (byte) (CUSTOM + functions.size() - 1);
    }

    /** The rule of opcode {@code c} (an operation's, so {@code c >= 0}). */
    Rule rule(byte c) {
        return c < CUSTOM ? Op.ofOrdinal(c) : functions.get(c - CUSTOM);
    }

    private void grow(int k) {
        if (k == 0) {
            int n = Math.min(CHUNK, code[0].length * 2);
            code[0] = Arrays.copyOf(code[0], n);
            a[0] = Arrays.copyOf(a[0], n);
            b[0] = Arrays.copyOf(b[0], n);
            value[0] = Arrays.copyOf(value[0], n);
            if (names[0] != null) {
                names[0] = Arrays.copyOf(names[0], n);
            }
            return;
        }
        if (k == code.length) {
            int n = code.length * 2;
            code = Arrays.copyOf(code, n);
            a = Arrays.copyOf(a, n);
            b = Arrays.copyOf(b, n);
            value = Arrays.copyOf(value, n);
            names = Arrays.copyOf(names, n);
        }
        allocate(k, CHUNK);
    }

    byte code(int i) {
        return code[i >>> SHIFT][i & MASK];
    }

    int a(int i) {
        return a[i >>> SHIFT][i & MASK];
    }

    int b(int i) {
        return b[i >>> SHIFT][i & MASK];
    }

    /** How many arguments operation node {@code i} has. */
    int count(int i) {
        int x = a(i);
        return x < -1 ? wide.get(-2 - x).length : b(i) < 0 ? 1 : 2;
    }

    /** Argument {@code k} of operation node {@code i}. */
    int arg(int i, int k) {
        int x = a(i);
        return x < -1 ? wide.get(-2 - x)[k] : k == 0 ? x : b(i);
    }

    /** The values of node {@code i}'s arguments in {@code v}, for a node of more than two. */
    private double[] wideValues(double[][] v, int i) {
        int[] args = wide.get(-2 - a(i));
        double[] x = new double[args.length];
        for (int k = 0; k < args.length; k++) {
            x[k] = get(v, args[k]);
        }
        return x;
    }

    /** The value recorded for node {@code i}. */
    double value(int i) {
        return value[i >>> SHIFT][i & MASK];
    }

    /** The recorded values, chunked; shared, so callers must not write into them. */
    double[][] values() {
        return value;
    }

    /** A private copy of the recorded values of the first {@code n} nodes, to evaluate into. */
    double[][] copyValues(int n) {
        double[][] v = new double[(n + MASK) >>> SHIFT][];
        for (int k = 0; k < v.length; k++) {
            v[k] = Arrays.copyOf(value[k], Math.min(CHUNK, n - (k << SHIFT)));
        }
        return v;
    }

    static double get(double[][] v, int i) {
        return v[i >>> SHIFT][i & MASK];
    }

    static void set(double[][] v, int i, double x) {
        v[i >>> SHIFT][i & MASK] = x;
    }

    void name(int node, String name) {
        int k = node >>> SHIFT;
        if (names[k] == null) {
            names[k] = new String[code[k].length];
        }
        names[k][node & MASK] = name;
    }

    String name(int node) {
        String[] n = names[node >>> SHIFT];
        return n == null ? null : n[node & MASK];
    }

    boolean isConstant(int node) {
        return code(node) == CONSTANT;
    }

    /** A copy trimmed to the first {@code n} nodes. */
    Nodes copy(int n) {
        int chunks = Math.max(1, (n + MASK) >>> SHIFT);
        byte[][] c = new byte[chunks][];
        int[][] x = new int[chunks][];
        int[][] y = new int[chunks][];
        double[][] v = new double[chunks][];
        String[][] s = new String[chunks][];
        for (int k = 0; k < chunks; k++) {
            int len = Math.min(CHUNK, n - (k << SHIFT));
            c[k] = Arrays.copyOf(code[k], len);
            x[k] = Arrays.copyOf(a[k], len);
            y[k] = Arrays.copyOf(b[k], len);
            v[k] = Arrays.copyOf(value[k], len);
            s[k] = names[k] == null ? null : Arrays.copyOf(names[k], len);
        }
        return new Nodes(c, x, y, v, s, new ArrayList<>(wide), new ArrayList<>(functions), n);
    }

    /** Recomputes every operation node in order, given leaf values already in {@code v}. */
    void forward(double[][] v, int n) {
        for (int i = 0; i < n; i++) {
            byte c = code(i);
            if (c >= 0) {
                int x = a(i);
                if (x < -1) {
                    set(v, i, rule(c).value(wideValues(v, i)));
                } else {
                    int y = b(i);
                    set(v, i, Op.ofOrdinal(c).apply(get(v, x), y < 0 ? 0 : get(v, y)));
                }
            }
        }
    }

    /**
     * THE forward-mode sweep: the tangent of every node up to {@code n}, given the inputs'
     * tangents in {@code t} (every other entry 0 on entry). A step's tangent is Σₖ (its partial
     * derivative k × argument k's tangent), each product by {@link Op#vjp}: a scalar step's
     * Jacobian is one row, so a tangent meets a partial exactly as an adjoint does, strong zeros
     * and quotient order included. Constants have tangent 0.
     */
    void tangents(double[][] v, double[] t, int n) {
        for (int i = 0; i < n; i++) {
            byte c = code(i);
            if (c < 0) {
                if (c == CONSTANT) {
                    t[i] = 0;
                }
                continue;
            }
            int x = a(i);
            double vi = get(v, i);
            double sum = 0;
            if (x < -1) {
                Rule rule = rule(c);
                int[] args = wide.get(-2 - x);
                double[] xs = wideValues(v, i);
                for (int k = 0; k < args.length; k++) {
                    sum += rule.vjp(k, t[args[k]], xs, vi);
                }
            } else {
                Op op = Op.ofOrdinal(c);
                int y = b(i);
                double va = get(v, x);
                double vb = y < 0 ? 0 : get(v, y);
                sum = op.vjp(0, t[x], va, vb, vi);
                if (y >= 0) {
                    sum += op.vjp(1, t[y], va, vb, vi);
                }
            }
            t[i] = sum;
        }
    }

    /** The reverse sweep from {@code output}, seeded with 1 there: adjoints of every node up to it. */
    double[] backward(double[][] v, int output) {
        double[] adj = new double[output + 1];
        adj[output] = 1;
        sweep(v, adj, null);
        return adj;
    }

    /** Watches the reverse sweep; {@link NonFinite} uses it to stop at the first non-finite derivative. */
    interface Watch {
        /** Called as node {@code i} passes {@code d} (adjoint × local derivative) to argument {@code k}; true stops the sweep. */
        boolean stop(int i, int k, double d);
    }

    /**
     * THE reverse sweep, the only one over scalar nodes (the tape, compiled programs, the uniform
     * part of a batch, the non-finite locator): from the last node of {@code adj} down, each node
     * pushes its adjoint times its local derivatives into its arguments with {@code +=}, so a
     * value used in several places collects every contribution. {@code adj} holds the seeds on
     * entry (1 at an output, or any vector for a vector-Jacobian product) and every adjoint on
     * return. What passes is {@link Op#vjp}: a node whose adjoint is 0 passes nothing.
     * Constants receive nothing (they may have no derivative there: (f − y)² never asks for the
     * log of a negative base). Iterative: depth costs memory, never stack.
     *
     * @return the node where {@code watch} stopped the sweep, or -1
     */
    int sweep(double[][] v, double[] adj, Watch watch) {
        return sweep(v, adj, watch, null);
    }

    /**
     * {@link #sweep(double[][], double[], Watch)} that stops at the nodes of {@code boundary}
     * below the top: they collect their adjoints but pass nothing on. Seeded with 1 at a step and
     * bounded by the other steps and the inputs, it gives the step's local derivatives with
     * respect to what it reads directly: the terms of the chain rule as the book writes it.
     */
    int sweep(double[][] v, double[] adj, Watch watch, java.util.BitSet boundary) {
        int top = adj.length - 1;
        for (int i = top; i >= 0; i--) {
            double g = adj[i];
            byte c = code(i);
            if (g == 0 || c < 0 || (boundary != null && i != top && boundary.get(i))) {
                continue;
            }
            int x = a(i);
            double vi = get(v, i);
            if (x < -1) {
                Rule rule = rule(c);
                int[] args = wide.get(-2 - x);
                double[] xs = wideValues(v, i);
                for (int k = 0; k < args.length; k++) {
                    if (code(args[k]) != CONSTANT) {
                        double d = rule.vjp(k, g, xs, vi);
                        if (watch != null && watch.stop(i, k, d)) {
                            return i;
                        }
                        adj[args[k]] += d;
                    }
                }
                continue;
            }
            Op op = Op.ofOrdinal(c);
            int y = b(i);
            double va = get(v, x);
            double vb = y < 0 ? 0 : get(v, y);
            for (int k = 0; k <= (y < 0 ? 0 : 1); k++) {
                int arg = k == 0 ? x : y;
                if (code(arg) == CONSTANT) {
                    continue;
                }
                double d = op.vjp(k, g, va, vb, vi);
                if (watch != null && watch.stop(i, k, d)) {
                    return i;
                }
                adj[arg] += d;
            }
        }
        return -1;
    }

    /**
     * The step numbers of the unnamed operations below {@code end}: k for the one shown as
     * {@code tk}, counting them 1, 2, … in the order they were recorded, as the book numbers a
     * formula's steps, and skipping any {@code tk} that a node's own name already takes; 0 for
     * named nodes, inputs and constants. Numbers, not strings: four bytes a node, whatever the size.
     */
    int[] stepNumbers(int end) {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int c = 0; c < names.length && (c << SHIFT) < size; c++) {
            if (names[c] != null) {
                for (String n : names[c]) {
                    if (n != null && n.matches("t[1-9][0-9]{0,8}")) {
                        taken.add(Integer.parseInt(n.substring(1)));
                    }
                }
            }
        }
        int[] steps = new int[end];
        int k = 0;
        for (int i = 0; i < end; i++) {
            if (code(i) >= 0 && name(i) == null) {
                do {
                    k++;
                } while (taken.contains(k));
                steps[i] = k;
            }
        }
        return steps;
    }

    /** How a node is shown in traces: its name, else its step name {@code tk}, or a constant's value. */
    String label(int node) {
        return label(node, stepNumbers(node + 1));
    }

    /** {@link #label(int)} with the step numbers of {@link #stepNumbers} computed once by the caller. */
    String label(int node, int[] steps) {
        String n = name(node);
        if (n != null) {
            return n;
        }
        if (code(node) == CONSTANT) {
            return number(value(node));
        }
        return "t" + steps[node];
    }

    /**
     * A constant as a user would type it: the shortest text that reads back as the same double
     * ({@code 2}, {@code 0.5}, {@code 1e-8}), not {@code 2.0} or {@code 1.0E-8}.
     */
    static String number(double v) {
        String s = Double.toString(v);
        if (!Double.isFinite(v)) {
            return s;
        }
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return e < 0 ? mantissa : mantissa + "e" + s.substring(e + 1);
    }

    /** The operation that produced a node, in formula syntax over its arguments' labels. */
    String describe(int node) {
        return describe(node, stepNumbers(node + 1));
    }

    /** {@link #describe(int)} with the step numbers of {@link #stepNumbers} computed once by the caller. */
    String describe(int node, int[] steps) {
        byte c = code(node);
        if (c == CONSTANT) {
            return "constant " + number(value(node));
        }
        if (c == INPUT) {
            return "input";
        }
        Rule op = rule(c);
        String x = operand(arg(node, 0), steps);
        if (op == Op.NEG) {
            return "-" + x;
        }
        int n = count(node);
        if (n == 2 && op == Op.POW) {
            return x + "^" + operand(arg(node, 1), steps);
        }
        if (n == 2 && op instanceof Op o && o.isInfix()) {
            return x + " " + op.symbol() + " " + operand(arg(node, 1), steps);
        }
        StringJoiner j = new StringJoiner(", ", op.symbol() + "(", ")");
        for (int k = 0; k < n; k++) {
            j.add(label(arg(node, k), steps));
        }
        return j.toString();
    }

    /** An argument's label, a negative constant in parentheses so {@code x * (-2)} reads as typed. */
    private String operand(int arg, int[] steps) {
        String l = label(arg, steps);
        return name(arg) == null && code(arg) == CONSTANT && l.startsWith("-") ? "(" + l + ")" : l;
    }
}
