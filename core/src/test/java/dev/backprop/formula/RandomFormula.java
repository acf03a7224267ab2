package dev.backprop.formula;

import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random formula program for property tests: a few statements of random expression trees over
 * every primitive and operator, written out as source text by a printer of its own (independent of
 * the library's), with random spacing, redundant parentheses, {@code **} or {@code pow(…)} for
 * powers and several spellings of each number. The tree is kept, so the test can evaluate it
 * without the library's parser.
 */
final class RandomFormula {
    static final String[] INPUTS = {"x", "y", "z"};
    private static final String[] STATEMENT_NAMES = {"a", "h1", "f0", "β1", "g_2", "u", "ω"};
    /** Every function of the rule table. */
    private static final Op[] FUNCTIONS = java.util.Arrays.stream(Op.values())
            .filter(op -> Op.ofFunctionName(op.symbol()) == op).toArray(Op[]::new);
    private static final Op[] INFIX = {Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW};
    private static final double[] NUMBERS = {0.5, 2, 3, 1.5, 0.25, 1, 0.1, 4};
    private static final String[][] SPELLINGS = {
            {"0.5", ".5", "5e-1", "5E-1", "0.50"},
            {"2", "2.0", "2.", "2e0", "0.2e1"},
            {"3", "3.0", "30e-1"},
            {"1.5", "15e-1", "1.50"},
            {".25", "0.25", "2.5e-1", "2.5E-1"},
            {"1", "1.0", "1e+0"},
            {"0.1", ".1", "1e-1", "1E-1"},
            {"4", "4e+0", "4.000"},
    };

    /** An expression tree node. */
    static final class Node {
        final String kind; // num, name, pi, e, neg, pos, infix, call
        final Op op;
        final double number;
        final String spelling;
        final String name;
        final Node a;
        final Node b;
        /** A third argument of a variadic call, or null. */
        Node c;

        Node(String kind, Op op, double number, String spelling, String name, Node a, Node b) {
            this.kind = kind;
            this.op = op;
            this.number = number;
            this.spelling = spelling;
            this.name = name;
            this.a = a;
            this.b = b;
        }

        double eval(Map<String, Double> env) {
            switch (kind) {
                case "num": return number;
                case "name": return env.get(name);
                case "pi": return Math.PI;
                case "e": return Math.E;
                case "neg": return -a.eval(env);
                case "pos": return a.eval(env);
                default:
                    double x = a.eval(env);
                    if (c != null) {
                        return op.value(new double[] {x, b.eval(env), c.eval(env)});
                    }
                    return op.unary() ? op.apply(x) : op.apply(x, b.eval(env));
            }
        }
    }

    /** One statement: a name (null for a bare last line) and its tree. */
    record Statement(String name, Node tree) {}

    final List<Statement> statements = new ArrayList<>();
    final String source;
    private final Random rnd;
    private final List<String> inputs = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();

    RandomFormula(long seed) {
        rnd = new Random(seed);
        int nInputs = 1 + rnd.nextInt(3);
        for (int i = 0; i < nInputs; i++) {
            inputs.add(INPUTS[i]);
        }
        int nStatements = rnd.nextInt(4);
        List<String> pool = new ArrayList<>(List.of(STATEMENT_NAMES));
        for (int s = 0; s <= nStatements; s++) {
            boolean last = s == nStatements;
            String name = last && rnd.nextBoolean() ? null : pool.remove(rnd.nextInt(pool.size()));
            Node tree = tree(1 + rnd.nextInt(4));
            statements.add(new Statement(name, tree));
            if (name != null) {
                out.append(name).append(space()).append('=').append(space());
                names.add(name);
            }
            out.append(show(tree, 0));
            if (!last) {
                out.append(rnd.nextInt(4) == 0 ? "; " : (rnd.nextInt(5) == 0 ? "  # note\n\n" : "\n"));
            }
        }
        if (rnd.nextInt(5) == 0) {
            out.append(rnd.nextBoolean() ? ";" : "\n");
        }
        source = out.toString();
    }

    /** The value of every statement (by name, "value" for a bare last line) at {@code point}. */
    Map<String, Double> evaluate(Map<String, Double> point) {
        Map<String, Double> env = new HashMap<>(point);
        Map<String, Double> result = new LinkedHashMap<>();
        for (Statement s : statements) {
            double v = s.tree().eval(env);
            String n = s.name() == null ? "value" : s.name();
            env.put(n, v);
            result.put(n, v);
        }
        return result;
    }

    private Node tree(int depth) {
        if (depth == 0 || rnd.nextInt(5) == 0) {
            int r = rnd.nextInt(20);
            if (r < 13) {
                List<String> pool = new ArrayList<>(inputs);
                pool.addAll(names);
                pool.addAll(names); // prefer reusing statements, so intermediates are shared
                return new Node("name", null, 0, null, pool.get(rnd.nextInt(pool.size())), null, null);
            }
            if (r < 19) {
                int k = rnd.nextInt(NUMBERS.length);
                String[] sp = SPELLINGS[k];
                return new Node("num", null, NUMBERS[k], sp[rnd.nextInt(sp.length)], null, null, null);
            }
            return new Node(rnd.nextBoolean() ? "pi" : "e", null, 0, null, null, null, null);
        }
        int r = rnd.nextInt(100);
        if (r < 12) {
            return new Node("neg", null, 0, null, null, tree(depth - 1), null);
        }
        if (r < 15) {
            return new Node("pos", null, 0, null, null, tree(depth - 1), null);
        }
        if (r < 55) {
            Op op = INFIX[rnd.nextInt(INFIX.length)];
            return new Node("infix", op, 0, null, null, tree(depth - 1), tree(depth - 1));
        }
        Op f = FUNCTIONS[rnd.nextInt(FUNCTIONS.length)];
        Node call = new Node("call", f, 0, null, null, tree(depth - 1), f.unary() ? null : tree(depth - 1));
        if (f.accepts(3) && rnd.nextBoolean()) {
            call.c = tree(depth - 1);
        }
        return call;
    }

    private String space() {
        return rnd.nextInt(3) == 0 ? "" : " ";
    }

    // The grammar as this test understands it: + - bind loosest (1), then * / (2), unary - + (3),
    // then ^ (4, right associative, exponent may be unary), then atoms (5).
    private String show(Node n, int minPrec) {
        StringBuilder sb = new StringBuilder();
        int prec = print(n, sb);
        if (prec < minPrec || rnd.nextInt(15) == 0) {
            return "(" + space() + sb + space() + ")";
        }
        return sb.toString();
    }

    private int print(Node n, StringBuilder sb) {
        switch (n.kind) {
            case "num": sb.append(n.spelling); return 5;
            case "name": sb.append(n.name); return 5;
            case "pi": sb.append("pi"); return 5;
            case "e": sb.append("e"); return 5;
            case "neg": sb.append('-').append(show(n.a, 3)); return 3;
            case "pos": sb.append('+').append(show(n.a, 3)); return 3;
            case "call":
                if (n.op == Op.POW && rnd.nextInt(3) > 0) {
                    return infix(n, sb);
                }
                sb.append(n.op.symbol()).append('(').append(show(n.a, 0));
                if (n.b != null) {
                    sb.append(',').append(space()).append(show(n.b, 0));
                }
                if (n.c != null) {
                    sb.append(',').append(space()).append(show(n.c, 0));
                }
                sb.append(')');
                return 5;
            default:
                if (n.op == Op.POW && rnd.nextInt(4) == 0) {
                    sb.append("pow(").append(show(n.a, 0)).append(", ").append(show(n.b, 0)).append(')');
                    return 5;
                }
                return infix(n, sb);
        }
    }

    private int infix(Node n, StringBuilder sb) {
        switch (n.op) {
            case ADD:
            case SUB:
                sb.append(show(n.a, 1)).append(space()).append(n.op.symbol()).append(space()).append(show(n.b, 2));
                return 1;
            case MUL:
            case DIV:
                sb.append(show(n.a, 2)).append(space()).append(n.op.symbol()).append(space()).append(show(n.b, 3));
                return 2;
            default:
                sb.append(show(n.a, 5)).append(space()).append(rnd.nextBoolean() ? "^" : "**").append(space())
                        .append(show(n.b, 3));
                return 4;
        }
    }
}
