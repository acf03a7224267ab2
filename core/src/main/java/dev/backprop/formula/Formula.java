package dev.backprop.formula;

import dev.backprop.graph.Program;
import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A compiled formula: the text, the {@link Program} it compiles to, its steps for a trace, and
 * closed-form derivatives. Immutable and safe to share between threads.
 *
 * <pre>{@code
 * Formula f = Formula.compile("""
 *         f0 = beta0 + omega0*x
 *         h1 = sin(f0)
 *         l = (h1 - y)^2""");
 * f.inputs();                                   // [beta0, omega0, x, y]
 * Evaluation e = f.program().evaluate(1.0, 2.0, 0.5, 0.3);
 * e.value();                                    // the loss
 * e.gradient().of("omega0");                    // by the reverse sweep
 * f.derivative("omega0").text();                // ... dl_domega0 = x*cos(f0)*2*(h1 - y)
 * }</pre>
 *
 * <p>A program is statements {@code name = expression}, separated by newlines or {@code ;}; the
 * last line, a statement or a bare expression, is the output. Names never assigned are the inputs,
 * in order of first use. Statement names stay on the program's nodes, so a trace prints them.
 * A statement {@code a = b} makes {@code a} another name for {@code b}'s value: no step is
 * recorded, and the node keeps the name {@code b}. (If the output is such a name for an earlier
 * value and statements follow that value, the program ends with a copy of it, so those statements
 * stay in the program: every statement is a step, used by the output or not; see
 * {@link #unused()}.) A newline ends a statement, except inside parentheses, where an expression
 * may continue on the next line.
 */
public final class Formula {
    private final String source;
    private final Functions functions;
    private final Parser.Result result;
    private volatile List<Step> steps;

    private Formula(String source, Functions functions, Parser.Result result) {
        this.source = source;
        this.functions = functions;
        this.result = result;
    }

    /**
     * Compiles formula text that calls the built-in functions only.
     *
     * @throws FormulaException with the line and column of the first problem
     */
    public static Formula compile(String source) {
        return compile(source, Functions.builtIn());
    }

    /**
     * Compiles formula text that may also call the custom functions of {@code functions}; the
     * program, its closed-form derivatives and everything computed from them use those functions.
     *
     * @throws FormulaException with the line and column of the first problem
     */
    public static Formula compile(String source, Functions functions) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(functions, "functions");
        return new Formula(source, functions, Parser.parse(source, functions));
    }

    /** The functions this formula was compiled with (and its derivatives are). */
    public Functions functions() {
        return functions;
    }

    /** The text this formula was compiled from. */
    public String source() {
        return source;
    }

    /** The compiled program; its output node is the last line's value. */
    public Program program() {
        return result.program();
    }

    /** The names never assigned, in order of first use: the same list as {@code program().inputs()}. */
    public List<String> inputs() {
        return result.program().inputs();
    }

    /** The named constants the text uses ({@code pi}, {@code e}), in order of first use. */
    public Set<String> constants() {
        return result.constants();
    }

    /**
     * Checks names of data columns about to be bound to this formula's inputs. A column named like
     * a constant the formula uses ({@code e}, {@code pi}) would be silently ignored, the formula
     * computing with 2.718… instead, so it is an error: rename the column.
     *
     * @throws IllegalArgumentException naming the column and the constant
     */
    public void checkColumns(Collection<String> columns) {
        for (String c : result.constants()) {
            if (columns.contains(c)) {
                throw new IllegalArgumentException("column '" + c + "' has the name of the constant " + c + " ("
                        + (c.equals("e") ? Math.E : Math.PI) + "), which the formula uses; the formula cannot read "
                        + "that column: rename it (e.g. " + c + "_)");
            }
        }
    }

    /**
     * The statements the output does not depend on, in order: they are computed and traced, and
     * their inputs are inputs, but nothing they compute reaches the output (their derivatives are
     * 0). Usually a mistake, or a step kept for a look at its value.
     */
    public List<String> unused() {
        List<Parser.Statement> st = result.statements();
        boolean[] used = new boolean[st.size()];
        used[st.size() - 1] = true;
        for (int k = st.size() - 1; k >= 0; k--) {
            if (used[k]) {
                for (int d : st.get(k).deps()) {
                    used[d] = true;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < st.size() - 1; k++) {
            if (!used[k]) {
                names.add(st.get(k).name());
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** The last statement's name, or {@code value} when the last line is a bare expression. */
    public String outputName() {
        return result.outputName();
    }

    /**
     * The node in {@link #program()} that statement {@code name} computes, so it can serve as one
     * of several outputs ({@link dev.backprop.graph.Evaluation#jacobian}); -1 if no statement of
     * that name is part of the program.
     */
    public int statementNode(String name) {
        Integer k = result.statementIndex().get(name);
        if (k == null) {
            return -1;
        }
        int node = result.statements().get(k).node();
        return node <= program().output() ? node : -1;
    }

    /**
     * The rows of a trace. With statements: one row per statement, in order, with its expression as
     * written (whitespace normalised); a bare last line is the row {@code value}. A formula that is a
     * single bare expression is instead split into one row per primitive operation,
     * {@code t1, t2, …}, the last one {@code value}: {@code sin(x)*x} gives {@code t1 = sin(x)} and
     * {@code value = t1 * x}.
     */
    public List<Step> steps() {
        List<Step> s = steps;
        if (s == null) {
            s = Collections.unmodifiableList(result.bare() ? operationSteps() : statementSteps());
            steps = s;
        }
        return s;
    }

    private List<Step> statementSteps() {
        List<Step> rows = new ArrayList<>();
        int output = program().output();
        for (Parser.Statement st : result.statements()) {
            if (st.node() <= output) {
                rows.add(new Step(st.name() == null ? "value" : st.name(), st.text(source), st.node()));
            }
        }
        return rows;
    }

    private List<Step> operationSteps() {
        Program p = program();
        List<Step> rows = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            if (p.isOperation(i)) {
                rows.add(new Step(i == p.output() ? "value" : p.name(i), describe(p, i), i));
            }
        }
        if (rows.isEmpty()) {
            Parser.Statement st = result.statements().get(0);
            rows.add(new Step("value", st.text(source), st.node()));
        }
        return rows;
    }

    /** One operation over its arguments' names, spaced as in a trace: {@code t1 * x}. */
    private static String describe(Program p, int i) {
        Rule op = p.rule(i);
        String a = operand(p, p.argument(i, 0));
        if (op == Op.NEG) {
            return "-" + a;
        }
        int n = p.arity(i);
        if (n == 2 && op == Op.POW) {
            return a + "^" + operand(p, p.argument(i, 1));
        }
        if (n == 2 && op instanceof Op o && o.isInfix()) {
            return a + " " + op.symbol() + " " + operand(p, p.argument(i, 1));
        }
        StringBuilder call = new StringBuilder(op.symbol()).append('(').append(a);
        for (int k = 1; k < n; k++) {
            call.append(", ").append(operand(p, p.argument(i, k)));
        }
        return call.append(')').toString();
    }

    private static String operand(Program p, int node) {
        if (p.isConstant(node) && p.name(node) == null) {
            double v = p.constantValue(node);
            String s = Printer.number(v);
            return v < 0 ? "(" + s + ")" : s;
        }
        return p.label(node);
    }

    /**
     * The derivative of the output with respect to input {@code wrt}, in closed form. A custom
     * function's partials appear expanded where they were given as formulas or expressions, and
     * as calls to their own functions ({@code dswish_dz(a*x + b)}) where they were given as
     * numbers; the text compiles with {@link #functions()} either way.
     *
     * @throws IllegalArgumentException if {@code wrt} is not one of {@link #inputs()}, or (for a
     *         derivative of a derivative) the formula calls a numeric partial's function, which has
     *         no derivative of its own
     */
    public Derivative derivative(String wrt) {
        if (!inputs().contains(wrt)) {
            throw new IllegalArgumentException("'" + wrt + "' is not an input of this formula (inputs: "
                    + String.join(", ", inputs()) + ")");
        }
        return Symbolic.derivative(this, wrt);
    }

    Parser.Result result() {
        return result;
    }

    /** The source text. */
    @Override
    public String toString() {
        return source;
    }
}
