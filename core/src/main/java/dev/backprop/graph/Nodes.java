package dev.backprop.graph;

import dev.backprop.op.Op;
import java.util.Arrays;

/**
 * Structure-of-arrays storage for a tape: one byte of opcode, two argument indices and one value per
 * node, plus names only where given. About 17 bytes a node, so ten million operations fit in a few
 * hundred megabytes and the reverse sweep walks memory in order.
 *
 * <p>Opcodes {@code >= 0} are {@link Op} ordinals; two negative codes mark leaves. A node whose
 * arguments are all constants is folded into a constant when recorded, so no gradient ever flows
 * into constants (which keeps {@code (f − y)^2} from asking for {@code log} of a negative base).
 */
final class Nodes {
    static final byte CONSTANT = -1;
    static final byte INPUT = -2;

    byte[] code;
    int[] a;
    int[] b;
    double[] value;
    String[] names;
    int size;

    Nodes(int capacity) {
        capacity = Math.max(capacity, 16);
        code = new byte[capacity];
        a = new int[capacity];
        b = new int[capacity];
        value = new double[capacity];
    }

    private Nodes(byte[] code, int[] a, int[] b, double[] value, String[] names, int size) {
        this.code = code;
        this.a = a;
        this.b = b;
        this.value = value;
        this.names = names;
        this.size = size;
    }

    int add(byte c, int x, int y, double v) {
        if (size == code.length) {
            grow();
        }
        code[size] = c;
        a[size] = x;
        b[size] = y;
        value[size] = v;
        return size++;
    }

    private void grow() {
        int n = code.length + (code.length >> 1) + 16;
        code = Arrays.copyOf(code, n);
        a = Arrays.copyOf(a, n);
        b = Arrays.copyOf(b, n);
        value = Arrays.copyOf(value, n);
        if (names != null) {
            names = Arrays.copyOf(names, n);
        }
    }

    void name(int node, String name) {
        if (names == null) {
            names = new String[code.length];
        }
        names[node] = name;
    }

    String name(int node) {
        return names == null ? null : names[node];
    }

    boolean isConstant(int node) {
        return code[node] == CONSTANT;
    }

    /** A copy trimmed to the first {@code n} nodes. */
    Nodes copy(int n) {
        return new Nodes(Arrays.copyOf(code, n), Arrays.copyOf(a, n), Arrays.copyOf(b, n),
                Arrays.copyOf(value, n), names == null ? null : Arrays.copyOf(names, n), n);
    }

    /** Recomputes every operation node in order, given leaf values already in {@code v}. */
    void forward(double[] v, int n) {
        for (int i = 0; i < n; i++) {
            byte c = code[i];
            if (c >= 0) {
                Op op = Op.ofOrdinal(c);
                v[i] = op.apply(v[a[i]], op.arity() == 2 ? v[b[i]] : 0);
            }
        }
    }

    /**
     * The reverse sweep: adjoints of every node below {@code output}, seeded with 1 at the output.
     * One loop from the output down, each node pushing its adjoint times its local derivatives into
     * its arguments with {@code +=}, so a value used in several places collects every contribution.
     * Iterative: depth costs memory, never stack.
     */
    double[] backward(double[] v, int output) {
        double[] adj = new double[output + 1];
        adj[output] = 1;
        for (int i = output; i >= 0; i--) {
            double g = adj[i];
            byte c = code[i];
            if (g == 0 || c < 0) {
                continue;
            }
            Op op = Op.ofOrdinal(c);
            int x = a[i];
            double va = v[x];
            if (op.arity() == 1) {
                adj[x] += g * op.partial(0, va, 0, v[i]);
            } else {
                int y = b[i];
                double vb = v[y];
                if (code[x] != CONSTANT) {
                    adj[x] += g * op.partial(0, va, vb, v[i]);
                }
                if (code[y] != CONSTANT) {
                    adj[y] += g * op.partial(1, va, vb, v[i]);
                }
            }
        }
        return adj;
    }

    /** How a node is shown in traces: its name, else {@code t<index>}. */
    String label(int node) {
        String n = name(node);
        if (n != null) {
            return n;
        }
        if (code[node] == CONSTANT) {
            return Double.toString(value[node]);
        }
        return "t" + node;
    }

    /** The operation that produced a node, in formula syntax over its arguments' labels. */
    String describe(int node) {
        byte c = code[node];
        if (c == CONSTANT) {
            return "constant " + value[node];
        }
        if (c == INPUT) {
            return "input";
        }
        Op op = Op.ofOrdinal(c);
        String x = label(a[node]);
        if (op == Op.NEG) {
            return "-" + x;
        }
        if (op.arity() == 1) {
            return op.symbol() + "(" + x + ")";
        }
        String y = label(b[node]);
        if (op == Op.POW) {
            return x + "^" + y;
        }
        if (op.isInfix()) {
            return x + " " + op.symbol() + " " + y;
        }
        return op.symbol() + "(" + x + ", " + y + ")";
    }
}
