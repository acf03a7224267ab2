package dev.backprop.formula;

import dev.backprop.io.Limits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A closed-form derivative of a formula's output with respect to one input, as a formula program
 * of its own: the original statements it needs, then the derivative's statements, the last one
 * {@code d<output>_d<input> = …}. Immutable.
 *
 * <pre>{@code
 * Derivative d = Formula.compile("h = sin(x); y = h*x").derivative("x");
 * d.text();                                     // "h = sin(x)\ndy_dx = cos(x)*x + h"
 * d.formula().program().evaluate(2.0).value();  // cos 2 · 2 + sin 2
 * }</pre>
 */
public final class Derivative {
    private final String wrt;
    private final String name;
    private final String text;
    private final Formula formula;
    /** The inputs of the formula differentiated, which {@link #valueAt} accepts. */
    private final List<String> pointNames;
    private final Set<String> pointNameSet;

    Derivative(String wrt, String name, String text, List<String> pointNames, Functions functions) {
        this.wrt = wrt;
        this.name = name;
        this.text = text;
        this.formula = Formula.compile(text, functions);
        this.pointNames = List.copyOf(pointNames);
        this.pointNameSet = Set.copyOf(pointNames);
    }

    /** The input differentiated with respect to. */
    public String wrt() {
        return wrt;
    }

    /** The derivative's name in {@link #text()}, e.g. {@code dl_domega0}. */
    public String name() {
        return name;
    }

    /** The derivative as an evaluable formula program, one statement per line. */
    public String text() {
        return text;
    }

    /** {@link #text()} compiled, with the functions of the formula differentiated; its output is the derivative. */
    public Formula formula() {
        return formula;
    }

    /**
     * The derivative's value at a point of the formula it was taken from. The derivative may use
     * fewer inputs than that formula (d(a·x)/da = x has no {@code a}), so values of inputs it does
     * not use are accepted and ignored, while a name that is not an input of the formula at all
     * is refused.
     *
     * @param point values by input name of the formula differentiated
     * @return the derivative at that point
     * @throws IllegalArgumentException for a name that is not an input of the formula, or a
     *         missing value the derivative needs
     */
    public double valueAt(Map<String, Double> point) {
        Map<String, Double> used = new HashMap<>();
        List<String> needed = formula.inputs();
        for (Map.Entry<String, Double> e : point.entrySet()) {
            if (e.getKey() == null || !pointNameSet.contains(e.getKey())) {
                throw new IllegalArgumentException((e.getKey() == null ? "a null name" : Limits.quote(e.getKey()))
                        + " is not an input of the formula (inputs: " + Limits.list(pointNames) + ")");
            }
        }
        for (String n : needed) {
            if (point.containsKey(n)) {
                used.put(n, point.get(n));
            }
        }
        return formula.program().evaluate(used).value();
    }

    @Override
    public String toString() {
        return text;
    }
}
