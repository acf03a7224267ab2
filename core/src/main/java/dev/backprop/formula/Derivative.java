package dev.backprop.formula;

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

    Derivative(String wrt, String name, String text) {
        this.wrt = wrt;
        this.name = name;
        this.text = text;
        this.formula = Formula.compile(text);
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

    /** {@link #text()} compiled; its output is the derivative. */
    public Formula formula() {
        return formula;
    }

    @Override
    public String toString() {
        return text;
    }
}
