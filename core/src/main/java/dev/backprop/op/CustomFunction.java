package dev.backprop.op;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A function of n arguments that a user registers with its value and its partial derivatives, so
 * formulas can call it and every engine can differentiate through it, as through a row of {@link
 * Op}.
 *
 * <pre>{@code
 * CustomFunction swish = CustomFunction.of("swish", List.of("z"),
 *         x -> x[0] * Op.SIGMOID.apply(x[0]),
 *         (k, x, y) -> { double s = Op.SIGMOID.apply(x[0]); return s + x[0] * s * (1 - s); });
 * Formula f = Formula.compile("swish(a*x + b)", Functions.builtIn().with(swish));
 * }</pre>
 *
 * <p>The partial derivatives come in one of two kinds:
 *
 * <ul>
 *   <li><b>numbers</b> ({@link #of(String, List, Value, Partial)}): enough for values, gradients,
 *       forward mode, the batch engine and {@code check}. A closed form prints each partial as a
 *       call, {@code dswish_dz(z)}, to a function of its own ({@link #partialFunctions()}) that
 *       {@code Functions.with} makes callable too, so the printed text compiles. Second
 *       derivatives need the partials' own derivatives, which numbers do not give: they fail with
 *       an {@link IllegalArgumentException} naming the function, never a wrong number.
 *   <li><b>expressions</b> ({@link #of(String, List, Value, Partial, Expression)}), the same
 *       partials written over an {@link Algebra} as {@code Op}'s expression rules are (what {@code
 *       Functions.withFormulas} builds from formula text): every engine and mode works, second
 *       derivatives included, and closed forms print the partials expanded.
 * </ul>
 *
 * <p>The value and partials are called from many threads at once (a compiled program is shared;
 * the batch engine runs blocks in parallel), must not modify the array they are given, and must
 * return the same number for the same arguments. Immutable.
 */
public final class CustomFunction implements Rule {

    /** The value at the arguments {@code x} (one per parameter). */
    @FunctionalInterface
    public interface Value {
        /** The value at {@code x}; must not modify {@code x}. */
        double at(double[] x);
    }

    /** A partial derivative as a number. */
    @FunctionalInterface
    public interface Partial {
        /** ∂f/∂x[k] at {@code x}, where {@code y} is the function's value there; must not modify {@code x}. */
        double at(int k, double[] x, double y);
    }

    /**
     * The partial derivatives as expressions over an {@link Algebra}: the same rule building a
     * number, a recorded step (second derivatives), a batch instruction or a printed closed form.
     * It must give the same numbers as the numeric {@link Partial}.
     */
    public interface Expression {
        /** ∂f/∂x[k] built with {@code s} from the arguments {@code x} and the function's value {@code y}. */
        <E> E partial(int k, Algebra<E> s, List<E> x, E y);
    }

    private final String name;
    private final List<String> parameters;
    private final Value value;
    /** Null for a numeric partial's own function, which has no derivative. */
    private final Partial partial;
    /** Null when the partials are numbers only. */
    private final Expression expression;
    /** For numeric partials, {@code d<name>_d<parameter>}, one per parameter; else empty. */
    private final List<CustomFunction> partialFunctions;
    /** For a numeric partial's own function: the function it is a derivative of; else null. */
    private final CustomFunction parent;

    private CustomFunction(String name, List<String> parameters, Value value, Partial partial, Expression expression,
                           CustomFunction parent) {
        this.name = name;
        this.parameters = parameters;
        this.value = value;
        this.partial = partial;
        this.expression = expression;
        this.parent = parent;
        List<CustomFunction> d = new ArrayList<>();
        if (expression == null && partial != null) {
            for (int k = 0; k < parameters.size(); k++) {
                int arg = k;
                d.add(new CustomFunction("d" + name + "_d" + parameters.get(k), parameters,
                        x -> partial.at(arg, x, value.at(x)), null, null, this));
            }
        }
        this.partialFunctions = List.copyOf(d);
    }

    /**
     * A function of {@code arity} arguments with numeric partials; its parameters are called
     * {@code x} (one argument) or {@code x1 … xn}, which name its partials' functions ({@code
     * dswish_dx}).
     *
     * @throws IllegalArgumentException if the name is empty or the arity below 1
     */
    public static CustomFunction of(String name, int arity, Value value, Partial partial) {
        if (arity < 1) {
            throw new IllegalArgumentException("a custom function takes at least 1 argument; " + name + " was given " + arity);
        }
        List<String> p = new ArrayList<>();
        for (int k = 1; k <= arity; k++) {
            p.add(arity == 1 ? "x" : "x" + k);
        }
        return of(name, p, value, partial);
    }

    /**
     * A function of the named parameters with numeric partials: {@code partial.at(k, x, y)} is
     * ∂f/∂(parameter k). Second derivatives through it fail (see the class comment).
     *
     * @throws IllegalArgumentException if the name is empty or the parameters are none, empty or repeated
     */
    public static CustomFunction of(String name, List<String> parameters, Value value, Partial partial) {
        return create(name, parameters, value, partial, null);
    }

    /**
     * A function of the named parameters with its partials both as numbers and as expressions
     * (which must agree): every engine and mode works through it, second derivatives included.
     * {@code Functions.withFormulas} builds one from formula text.
     *
     * @throws IllegalArgumentException if the name is empty or the parameters are none, empty or repeated
     */
    public static CustomFunction of(String name, List<String> parameters, Value value, Partial partial,
                                    Expression expression) {
        Objects.requireNonNull(expression, "expression");
        return create(name, parameters, value, partial, expression);
    }

    private static CustomFunction create(String name, List<String> parameters, Value value, Partial partial,
                                         Expression expression) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(partial, "partial");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a custom function needs a name");
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("custom function " + name + " needs at least 1 parameter");
        }
        Set<String> seen = new HashSet<>();
        for (String p : parameters) {
            if (p == null || p.isEmpty()) {
                throw new IllegalArgumentException("custom function " + name + " has a parameter without a name");
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException("custom function " + name + " has two parameters called " + p);
            }
        }
        return new CustomFunction(name, List.copyOf(parameters), value, partial, expression, null);
    }

    /** The name formulas call it by. */
    public String name() {
        return name;
    }

    /** The parameters' names, one per argument. */
    public List<String> parameters() {
        return parameters;
    }

    /** How many arguments it takes. */
    public int arity() {
        return parameters.size();
    }

    /**
     * Whether second derivatives can be taken through it: its partials were given as expressions
     * (or formulas), which can themselves be differentiated.
     */
    public boolean secondOrder() {
        return expression != null;
    }

    /**
     * For numeric partials, each partial as a function of its own, {@code d<name>_d<parameter>},
     * which closed forms print and {@code Functions.with} makes callable; its value is the
     * partial, and it has no derivative. Empty when the partials are expressions.
     */
    public List<CustomFunction> partialFunctions() {
        return partialFunctions;
    }

    /**
     * Refuses, naming this function, unless {@link #secondOrder()}: what an engine calls before
     * recording this function's reverse sweep for second derivatives.
     *
     * @throws IllegalArgumentException if the partials are numbers only
     */
    public void requireSecondOrder() {
        if (expression == null) {
            throw parent != null ? noDerivative()
                    : new IllegalArgumentException("second derivatives through " + name + " need its partial derivatives as"
                            + " formulas (Functions.withFormulas) or expressions; it was registered with numeric ones");
        }
    }

    private IllegalArgumentException noDerivative() {
        return new IllegalArgumentException(name + ", a derivative of " + parent.name + " given as a number, has no"
                + " derivative of its own: give " + parent.name + "'s partial derivatives as formulas"
                + " (Functions.withFormulas) or expressions for second derivatives");
    }

    @Override
    public String symbol() {
        return name;
    }

    @Override
    public int minArity() {
        return parameters.size();
    }

    @Override
    public int maxArity() {
        return parameters.size();
    }

    @Override
    public boolean accepts(int n) {
        return n == parameters.size();
    }

    @Override
    public boolean unary() {
        return parameters.size() == 1;
    }

    @Override
    public String arityText() {
        int n = parameters.size();
        return "takes " + n + (n == 1 ? " argument" : " arguments");
    }

    @Override
    public double value(double[] x) {
        return value.at(x);
    }

    @Override
    public double partial(int arg, double[] x, double y) {
        if (partial == null) {
            throw noDerivative();
        }
        return partial.at(arg, x, y);
    }

    /** The expression rule, or for numeric partials a call to {@link #partialFunctions()}' function {@code arg}. */
    @Override
    public <E> E partial(int arg, Algebra<E> s, List<E> x, E y) {
        if (expression != null) {
            return expression.partial(arg, s, x, y);
        }
        if (partial == null) {
            throw noDerivative();
        }
        return s.call(partialFunctions.get(arg), x);
    }

    /** False: a custom function's partial is one number (or expression), met by the adjoint in one product. */
    @Override
    public boolean quotient(int arg) {
        return false;
    }

    @Override
    public double numerator(int arg, double[] x, double y) {
        return partial(arg, x, y);
    }

    @Override
    public double denominator(int arg, double[] x, double y) {
        return 1;
    }

    @Override
    public <E> E numerator(int arg, Algebra<E> s, List<E> x, E y) {
        return partial(arg, s, x, y);
    }

    @Override
    public <E> E denominator(int arg, Algebra<E> s, List<E> x, E y) {
        return s.constant(1);
    }

    /** {@link Op#contribution}(g, ∂f/∂x[arg]): the strong zeros of every other step. */
    @Override
    public double vjp(int arg, double g, double[] x, double y) {
        return g == 0 ? 0 : Op.contribution(g, partial(arg, x, y));
    }

    /** The call's shape, {@code swish(z)}. */
    @Override
    public String toString() {
        return name + "(" + String.join(", ", parameters) + ")";
    }
}
