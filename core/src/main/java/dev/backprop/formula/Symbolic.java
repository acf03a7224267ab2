package dev.backprop.formula;

import dev.backprop.graph.Program;
import dev.backprop.op.Rule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Closed-form derivatives: forward mode over a compiled program, with expressions in place of
 * numbers. Each node's value is its user's name if it has one (so the result reads in terms of
 * f0, h2, f3, … like a hand derivation), else the primitive applied to its arguments' values; each
 * node's derivative is Σ (derivative of argument k) × (local partial k), the partials taken from
 * the node's {@link Rule} (a primitive of {@link dev.backprop.op.Op} or a custom function) through the simplifying {@link Simplifier}. One loop over the nodes, no recursion.
 *
 * <p>The expressions form a DAG. Before printing, a node used more than once is given a statement
 * of its own when printing it twice would cost much (or when it is the derivative of a user's
 * intermediate, named {@code df1_dx}), and a statement growing past {@link #LINE_LIMIT} characters
 * gets its largest operand split off into a temporary, so the text stays linear in the size of the
 * program.
 */
final class Symbolic {
    /** Statements are split beyond roughly this many characters. */
    static final int LINE_LIMIT = 200;
    /** A shared unnamed subexpression longer than this gets a temporary. */
    static final int SHARE_LIMIT = 40;
    /** A shared derivative of a user's intermediate longer than this gets a {@code d<name>_d<wrt>} statement. */
    static final int NAMED_LIMIT = 8;

    private Symbolic() {
    }

    /**
     * Each node's value as an expression: its user's name where it has one, a constant, or the
     * primitive applied (unsimplified, so it evaluates exactly as the program does) to its
     * arguments' values.
     */
    static Expr[] values(Program p, String[] userNames) {
        int n = p.size();
        Expr[] val = new Expr[n];
        for (int i = 0; i < n; i++) {
            if (userNames[i] != null) {
                val[i] = Expr.name(userNames[i]);
            } else {
                val[i] = definition(p, val, i);
            }
        }
        return val;
    }

    private static Expr definition(Program p, Expr[] val, int i) {
        if (p.isConstant(i)) {
            return Expr.constant(p.constantValue(i));
        }
        if (p.isInput(i)) {
            return Expr.name(p.name(i));
        }
        return Expr.apply(p.rule(i), arguments(p, val, i));
    }

    private static List<Expr> arguments(Program p, Expr[] val, int i) {
        Expr[] x = new Expr[p.arity(i)];
        for (int k = 0; k < x.length; k++) {
            x[k] = val[p.argument(i, k)];
        }
        return List.of(x);
    }

    /** The formula printed back canonically, one line per statement, from its compiled form. */
    static String canonical(Formula f) {
        Parser.Result r = f.result();
        Program p = r.program();
        Expr[] val = values(p, r.userNames());
        Printer printer = new Printer(Map.of(), null, constantNames(r));
        StringBuilder sb = new StringBuilder();
        for (Parser.Statement s : r.statements()) {
            if (s.node() >= p.size()) {
                continue;
            }
            String owner = r.userNames()[s.node()];
            Expr body = s.name() != null && s.name().equals(owner) ? definition(p, val, s.node()) : val[s.node()];
            if (sb.length() > 0) {
                sb.append('\n');
            }
            if (s.name() != null) {
                sb.append(s.name()).append(" = ");
            }
            sb.append(printer.print(body));
        }
        return sb.toString();
    }

    /** The closed-form derivative of {@code f}'s output with respect to input {@code wrt}. */
    static Derivative derivative(Formula f, String wrt) {
        Parser.Result r = f.result();
        Program p = r.program();
        int n = p.size();
        int wrtNode = p.inputNode(wrt);
        String[] userNames = r.userNames();
        Expr[] val = values(p, userNames);
        Expr[] der = new Expr[n];
        Simplifier s = Simplifier.INSTANCE;
        Map<Expr, String> suggested = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            if (p.isInput(i)) {
                der[i] = i == wrtNode ? Expr.ONE : Expr.ZERO;
                continue;
            }
            if (p.isConstant(i)) {
                der[i] = Expr.ZERO;
                continue;
            }
            Rule op = p.rule(i);
            List<Expr> x = arguments(p, val, i);
            Expr sum = null;
            for (int k = 0; k < x.size(); k++) {
                Expr d = der[p.argument(i, k)];
                if (d.isConstant() && d.value == 0) {
                    continue; // as in the reverse sweep: no contribution, and no partial to build
                }
                // A quotient rule divides last, as the engines do (d/x rather than d*(1/x)); by a
                // constant it multiplies, so constants fold ((-2*x)*(1/2) is -x).
                Expr den = op.quotient(k) ? op.denominator(k, s, x, val[i]) : null;
                Expr term = den != null && !den.isConstant()
                        ? s.div(s.mul(d, op.numerator(k, s, x, val[i])), den)
                        : s.mul(d, op.partial(k, s, x, val[i]));
                sum = sum == null ? term : s.add(sum, term);
            }
            der[i] = sum == null ? Expr.ZERO : sum;
            if (userNames[i] != null && !der[i].isLeaf()) {
                suggested.putIfAbsent(der[i], "d" + userNames[i] + "_d" + wrt);
            }
        }

        Set<String> taken = new HashSet<>(r.names());
        taken.add("pi");
        taken.add("e");
        String name = fresh("d" + r.outputName() + "_d" + wrt, taken);
        Expr root = der[p.output()];
        List<Expr> order = new ArrayList<>();
        Map<Expr, String> temporaries = temporaries(root, suggested, taken, order);

        Set<String> used = new HashSet<>();
        Printer printer = new Printer(temporaries, used, constantNames(r));
        StringBuilder derivation = new StringBuilder();
        for (Expr e : order) {
            derivation.append(temporaries.get(e)).append(" = ").append(printer.print(e)).append('\n');
        }
        derivation.append(name).append(" = ").append(printer.print(root));

        StringBuilder text = new StringBuilder();
        for (int k : needed(r, used)) {
            Parser.Statement st = r.statements().get(k);
            text.append(st.name()).append(" = ").append(st.text(f.source())).append('\n');
        }
        text.append(derivation);
        return new Derivative(wrt, name, text.toString(), f.inputs(), f.functions());
    }

    private static Set<String> constantNames(Parser.Result r) {
        Set<String> c = new HashSet<>();
        Program p = r.program();
        String[] names = r.userNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null && p.isConstant(i)) {
                c.add(names[i]);
            }
        }
        return c;
    }

    /** The user's statements (indices, in order) that the printed names need, with their own needs. */
    private static int[] needed(Parser.Result r, Set<String> used) {
        BitSet need = new BitSet();
        Deque<Integer> todo = new ArrayDeque<>();
        for (String u : used) {
            Integer k = r.statementIndex().get(u);
            if (k != null && !need.get(k)) {
                need.set(k);
                todo.push(k);
            }
        }
        while (!todo.isEmpty()) {
            for (int d : r.statements().get(todo.pop()).deps()) {
                if (!need.get(d)) {
                    need.set(d);
                    todo.push(d);
                }
            }
        }
        return need.stream().toArray();
    }

    private static String fresh(String base, Set<String> taken) {
        String n = base;
        for (int k = 2; taken.contains(n); k++) {
            n = base + "_" + k;
        }
        taken.add(n);
        return n;
    }

    private static final class Info {
        int refs;
        boolean expanded;
        boolean done;
        boolean hoisted;
        long size;
    }

    /**
     * Chooses which subexpressions of {@code root} become statements of their own and names them;
     * {@code order} receives them with every one after those it uses.
     */
    private static Map<Expr, String> temporaries(Expr root, Map<Expr, String> suggested, Set<String> taken,
                                                 List<Expr> order) {
        Map<Expr, Info> info = new IdentityHashMap<>();
        List<Expr> post = new ArrayList<>();
        Deque<Expr> stack = new ArrayDeque<>();
        stack.push(root);
        info.put(root, new Info());
        while (!stack.isEmpty()) {
            Expr e = stack.peek();
            Info in = info.get(e);
            if (in.done) {
                stack.pop();
            } else if (in.expanded || e.isLeaf()) {
                in.done = true;
                stack.pop();
                post.add(e);
            } else {
                in.expanded = true;
                for (Expr c : e.args) {
                    if (c == null) {
                        continue;
                    }
                    Info ci = info.computeIfAbsent(c, x -> new Info());
                    ci.refs++;
                    if (!ci.done) {
                        stack.push(c);
                    }
                }
            }
        }
        for (Expr e : post) {
            Info in = info.get(e);
            if (e.isLeaf()) {
                in.size = e.isName() ? e.name.length() : Printer.number(e.value).length();
                continue;
            }
            long size = size(e, info);
            while (size > LINE_LIMIT) {
                Expr big = null;
                for (Expr c : e.args) {
                    if (c != null && !c.isLeaf() && !info.get(c).hoisted
                            && (big == null || info.get(c).size > info.get(big).size)) {
                        big = c;
                    }
                }
                if (big == null) {
                    break;
                }
                info.get(big).hoisted = true;
                size = size(e, info);
            }
            in.size = size;
            if (e != root && in.refs >= 2) {
                in.hoisted = suggested.containsKey(e) ? size > NAMED_LIMIT : size > SHARE_LIMIT;
            }
        }
        Map<Expr, String> names = new IdentityHashMap<>();
        int k = 0;
        for (Expr e : post) {
            if (e != root && info.get(e).hoisted) {
                String s = suggested.get(e);
                names.put(e, fresh(s != null ? s : "tmp" + (++k), taken));
                order.add(e);
            }
        }
        return names;
    }

    /** Printed length of {@code e}, counting hoisted operands as short names; an estimate. */
    private static long size(Expr e, Map<Expr, Info> info) {
        long s = e.rule.symbol().length() + 2 * e.args.size();
        if (e.op != null) {
            switch (e.op) {
                case ADD: case SUB: s = 3; break;
                case MUL: case DIV: case POW: case NEG: s = 1; break;
                default: break;
            }
        }
        for (Expr c : e.args) {
            {
                Info ci = info.get(c);
                s += ci.hoisted ? 6 : ci.size + (c.isLeaf() ? 0 : 2);
            }
        }
        return s;
    }
}
