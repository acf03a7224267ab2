/**
 * The formula language: write a function as text, compile it to a {@link dev.backprop.graph.Program},
 * see its steps, and get its derivative in closed form.
 *
 * <pre>
 * f0 = beta0 + omega0*x      # statements: name = expression, one per line or separated by ';'
 * h1 = sin(f0)
 * l = (h1 - y)^2             # the last line is the output; names never assigned are inputs
 * </pre>
 *
 * <p>Numbers ({@code 2}, {@code .5}, {@code 1e-3}), names of letters, digits and {@code _}
 * (Unicode letters too: {@code β0}), {@code + - * /}, unary minus, {@code ^} or {@code **} (right
 * associative, binding tighter than unary minus: {@code -x^2 = -(x^2)}), parentheses, the
 * functions of {@link dev.backprop.op.Op} ({@code sin cos tan exp log sqrt tanh sigmoid relu abs
 * step sign}, {@code pow max min}), the constants {@code pi} and {@code e}, and {@code #} comments.
 * A formula compiled with {@link dev.backprop.formula.Functions} may also call the user's custom
 * functions ({@link dev.backprop.op.CustomFunction}).
 *
 * <p>Entry point: {@link dev.backprop.formula.Formula#compile(String)}. Errors are
 * {@link dev.backprop.formula.FormulaException}s with line, column and a caret. Parsing, closed-form
 * differentiation and printing all use explicit stacks, so deeply nested input cannot overflow the
 * Java stack.
 */
package dev.backprop.formula;
