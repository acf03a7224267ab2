package dev.backprop.formula;

import dev.backprop.graph.Program;
import dev.backprop.op.Algebra;
import dev.backprop.op.CustomFunction;
import dev.backprop.op.Op;
import dev.backprop.op.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The functions a formula may call: the built-in primitives of {@link Op}, plus the {@link
 * CustomFunction}s registered here. Immutable: {@link #with} returns a new set.
 *
 * <pre>{@code
 * Functions fs = Functions.builtIn()
 *         .withFormulas("swish", List.of("z"), "z*sigmoid(z)",
 *                 List.of("sigmoid(z) + z*sigmoid(z)*(1 - sigmoid(z))"));
 * Formula f = Formula.compile("(swish(a*x + b) - y)^2", fs);
 * }</pre>
 *
 * <p>A name may be registered once, and never the name of a built-in function or of the constants
 * {@code pi} and {@code e}. A custom function with numeric partials also registers its partials'
 * own functions ({@code dswish_dz}), which its printed closed forms call, so they compile back.
 */
public final class Functions {
    private static final Functions BUILT_IN = new Functions(Map.of(), List.of());

    /** Every callable custom function by name, partials' functions included. */
    private final Map<String, CustomFunction> byName;
    /** The functions registered, in order. */
    private final List<CustomFunction> registered;

    private Functions(Map<String, CustomFunction> byName, List<CustomFunction> registered) {
        this.byName = byName;
        this.registered = registered;
    }

    /** The built-in primitives only: what {@link Formula#compile(String)} uses. */
    public static Functions builtIn() {
        return BUILT_IN;
    }

    /**
     * These functions and {@code f}.
     *
     * @throws IllegalArgumentException if {@code f}'s name, a parameter's (which names a partial's
     *         function) or a partial's function's is not a plain name ({@code sw ish}), or a name is
     *         a built-in function or constant or is already registered
     */
    public Functions with(CustomFunction f) {
        Objects.requireNonNull(f, "f");
        checkName(f.name(), "function");
        for (String p : f.parameters()) {
            checkName(p, "parameter of " + f.name());
        }
        Map<String, CustomFunction> m = new LinkedHashMap<>(byName);
        List<CustomFunction> all = new ArrayList<>(f.partialFunctions());
        all.add(0, f);
        for (CustomFunction g : all) {
            checkName(g.name(), "function");
            if (m.containsKey(g.name())) {
                throw new IllegalArgumentException("a custom function called " + g.name() + " is already registered"
                        + (g == f ? "" : " (the partial derivative of " + f.name() + " would have that name)"));
            }
            m.put(g.name(), g);
        }
        List<CustomFunction> r = new ArrayList<>(registered);
        r.add(f);
        return new Functions(Collections.unmodifiableMap(m), List.copyOf(r));
    }

    /**
     * These functions and one defined by formulas: its value, and its partial derivative with
     * respect to each parameter, each a formula in the parameters. The formulas may call the
     * functions registered so far. Every engine and mode works through it, second derivatives
     * included (the partials' own derivatives come from their formulas), and closed forms print
     * the partials expanded. The partials are trusted as given: {@code check} compares them
     * with finite differences of the value.
     *
     * @param name       what formulas call it
     * @param parameters the parameters' names, in argument order
     * @param value      the value as a formula in the parameters ({@code "z*sigmoid(z)"})
     * @param partials   ∂value/∂parameter, one formula per parameter, in the same order
     * @throws IllegalArgumentException naming the function and the formula, if a formula does not
     *         compile or uses a name that is not a parameter, a parameter is not a plain name or
     *         is the name of a function or constant, the counts differ, or the name is taken
     */
    public Functions withFormulas(String name, List<String> parameters, String value, List<String> partials) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(partials, "partials");
        checkName(name, "function");
        if (partials.size() != parameters.size()) {
            throw new IllegalArgumentException(name + " has " + count(parameters.size(), "parameter") + " but "
                    + count(partials.size(), "partial derivative") + " were given, one per parameter");
        }
        for (String p : parameters) {
            checkName(p, "parameter of " + name);
            if (lookup(p) != null) {
                throw new IllegalArgumentException("the parameter " + p + " of " + name + " has the name of a function");
            }
        }
        Template v = new Template(name, "the value", value, parameters, this);
        Template[] d = new Template[partials.size()];
        for (int k = 0; k < d.length; k++) {
            d[k] = new Template(name, "the derivative with respect to " + parameters.get(k), partials.get(k), parameters, this);
        }
        CustomFunction f = CustomFunction.of(name, parameters, v::value, (k, x, y) -> d[k].value(x),
                new CustomFunction.Expression() {
                    @Override
                    public <E> E partial(int k, Algebra<E> s, List<E> x, E y) {
                        return d[k].replay(s, x);
                    }
                });
        return with(f);
    }

    /** The functions registered, in order (not the built-ins, nor partials' functions). */
    public List<CustomFunction> custom() {
        return registered;
    }

    /**
     * The custom function a formula calls by {@code name}: a registered one or a partial's function.
     *
     * @throws IllegalArgumentException if there is none, listing those there are
     */
    public CustomFunction function(String name) {
        CustomFunction f = byName.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no custom function called " + name + " (registered: "
                    + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")");
        }
        return f;
    }

    /** What a formula's call to {@code name} runs: a built-in primitive, a custom function, or null. */
    Rule lookup(String name) {
        Op op = Op.ofFunctionName(name);
        return op != null ? op : byName.get(name);
    }

    /** Every callable name, for "unknown function" messages. */
    String known() {
        return byName.isEmpty() ? Parser.KNOWN_FUNCTIONS : Parser.KNOWN_FUNCTIONS + ", " + String.join(", ", byName.keySet());
    }

    /** Their names: {@code Functions[swish, dswish_dz]}. */
    @Override
    public String toString() {
        return "Functions[built-in" + (byName.isEmpty() ? "" : ", " + String.join(", ", byName.keySet())) + "]";
    }

    private void checkName(String name, String what) {
        if (name == null || !isName(name)) {
            throw new IllegalArgumentException((name == null ? "null" : FormulaException.quote(name)) + " cannot be the name of a "
                    + what + ": use letters, digits and _, starting with a letter or _");
        }
        if (name.equals("pi") || name.equals("e")) {
            throw new IllegalArgumentException(name + " cannot be the name of a " + what + ": it is a constant");
        }
        if (what.equals("function") && Op.ofFunctionName(name) != null) {
            throw new IllegalArgumentException(name + " is a built-in function; choose another name for the custom one");
        }
    }

    /** Whether {@code s} is one name token of the formula language, as a call or parameter must be. */
    private static boolean isName(String s) {
        Lexer lex = new Lexer(s, true);
        Lexer.Token t = lex.next();
        return t.kind() == Lexer.Kind.NAME && t.text().equals(s) && lex.next().kind() == Lexer.Kind.EOF;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /**
     * One formula of a custom function, compiled over its parameters: evaluated as a number, or
     * replayed over any {@link Algebra} with the parameters bound to the arguments given.
     */
    private static final class Template {
        private final Program program;
        /** For each input of the program, in its order, the parameter it is. */
        private final int[] parameterOfInput;
        /** For each node, the parameter it is (inputs) or -1. */
        private final int[] parameterOfNode;
        /** The nodes the output reads: what a replay rebuilds. */
        private final boolean[] live;

        Template(String function, String what, String source, List<String> parameters, Functions functions) {
            Objects.requireNonNull(source, "formula");
            Formula f;
            try {
                f = Formula.compile(source, functions);
            } catch (FormulaException e) {
                throw new IllegalArgumentException(what + " of " + function + ": " + e.getMessage(), e);
            }
            program = f.program();
            List<String> inputs = program.inputs();
            parameterOfInput = new int[inputs.size()];
            parameterOfNode = new int[program.size()];
            java.util.Arrays.fill(parameterOfNode, -1);
            for (int k = 0; k < inputs.size(); k++) {
                int p = parameters.indexOf(inputs.get(k));
                if (p < 0) {
                    throw new IllegalArgumentException(what + " of " + function + " uses " + inputs.get(k)
                            + ", which is not one of its parameters (" + String.join(", ", parameters) + ")");
                }
                parameterOfInput[k] = p;
                parameterOfNode[program.inputNode(inputs.get(k))] = p;
            }
            int out = program.output();
            live = new boolean[out + 1];
            live[out] = true;
            for (int i = out; i >= 0; i--) {
                if (live[i] && program.isOperation(i)) {
                    for (int k = 0; k < program.arity(i); k++) {
                        live[program.argument(i, k)] = true;
                    }
                }
            }
        }

        double value(double[] x) {
            double[] in = new double[parameterOfInput.length];
            for (int k = 0; k < in.length; k++) {
                in[k] = x[parameterOfInput[k]];
            }
            return program.evaluate(in).value();
        }

        <E> E replay(Algebra<E> s, List<E> x) {
            int out = program.output();
            List<E> v = new ArrayList<>(Collections.nCopies(out + 1, null));
            for (int i = 0; i <= out; i++) {
                if (!live[i]) {
                    continue;
                }
                if (program.isConstant(i)) {
                    v.set(i, s.constant(program.constantValue(i)));
                } else if (program.isInput(i)) {
                    v.set(i, x.get(parameterOfNode[i]));
                } else {
                    List<E> args = new ArrayList<>(program.arity(i));
                    for (int k = 0; k < program.arity(i); k++) {
                        args.add(v.get(program.argument(i, k)));
                    }
                    v.set(i, s.apply(program.rule(i), args));
                }
            }
            return v.get(out);
        }
    }
}
