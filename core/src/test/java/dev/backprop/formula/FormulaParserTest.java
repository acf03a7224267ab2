package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backprop.graph.Program;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The language: syntax, precedence, names, and every kind of error with its exact position. */
class FormulaParserTest {

    private static double eval(String source, double... inputs) {
        return Formula.compile(source).program().evaluate(inputs).value();
    }

    private static FormulaException error(String source) {
        FormulaException e = catchThrowableOfType(FormulaException.class, () -> Formula.compile(source));
        assertThat(e).as("compiling %s", source).isNotNull();
        return e;
    }

    private static void assertError(String source, int line, int column, String detail) {
        FormulaException e = error(source);
        assertThat(e.detail()).isEqualTo(detail);
        assertThat(e.line()).as("line").isEqualTo(line);
        assertThat(e.column()).as("column").isEqualTo(column);
        assertThat(e.getMessage()).isEqualTo(line + ":" + column + ": " + detail);
    }

    // ------------------------------------------------------------------ numbers, names, operators

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "2              | 2",
            "2.5            | 2.5",
            ".5             | 0.5",
            "2.             | 2",
            "1e-3           | 0.001",
            "2.5E+4         | 25000",
            "2e3            | 2000",
            "3E2            | 300",
            "2^3^2          | 512",
            "2**3**2        | 512",
            "(2^3)^2        | 64",
            "-2^2           | -4",
            "(-2)^2         | 4",
            "-2**2          | -4",
            "2^-1           | 0.5",
            "2**-1          | 0.5",
            "2^-1^2         | 0.5",
            "8/4/2          | 1",
            "2 - 3 - 4      | -5",
            "2 + 3*4        | 14",
            "(2 + 3)*4      | 20",
            "2*-3           | -6",
            "10 - -2        | 12",
            "--3            | 3",
            "+3             | 3",
            "-+-3           | 3",
            "-3*2^2         | -12",
            "2*3^2          | 18",
            "pow(2, 10)     | 1024",
            "max(2, 3)      | 3",
            "min(2, 3)      | 2",
            "max(-1, min(4, 2)) | 2",
            "abs(-2.5)      | 2.5",
            "relu(-1) + relu(2) | 2",
            "step(0) + step(0.1) + sign(-3) | 0",
            "sqrt(16)       | 4",
            "exp(0) + log(1) | 1",
    })
    void numbersOperatorsAndPrecedence(String source, double expected) {
        assertThat(eval(source)).isEqualTo(expected);
    }

    @Test
    void constantsPiAndE() {
        assertThat(eval("pi")).isEqualTo(Math.PI);
        assertThat(eval("e")).isEqualTo(Math.E);
        assertThat(eval("2*e")).isEqualTo(2 * Math.E);
        assertThat(eval("cos(pi)")).isEqualTo(-1.0);
        assertThat(Formula.compile("e*x").inputs()).containsExactly("x");
    }

    @Test
    void unaryMinusBindsLooserThanPowerButTighterThanProduct() {
        assertThat(eval("-x^2", 3)).isEqualTo(-9);
        assertThat(eval("-x*y", 3, 2)).isEqualTo(-6);
        assertThat(eval("x^-y", 2, 2)).isEqualTo(0.25);
        assertThat(eval("x - -y", 2, 2)).isEqualTo(4);
    }

    @Test
    void functionsAreLookedUpByName() {
        double x = 0.7;
        assertThat(eval("sin(x) + cos(x) + tan(x)", x)).isEqualTo(Math.sin(x) + Math.cos(x) + Math.tan(x));
        assertThat(eval("tanh(x)*sigmoid(x)", x)).isEqualTo(Math.tanh(x) * (1 / (1 + Math.exp(-x))));
        assertThat(eval("pow(x, 3)", x)).isEqualTo(Math.pow(x, 3));
    }

    @Test
    void inputsAreNamesNeverAssignedInOrderOfFirstUse() {
        Formula f = Formula.compile("a = y*x\nb = a + z*x\nb*w");
        assertThat(f.inputs()).containsExactly("y", "x", "z", "w");
        assertThat(f.inputs()).isEqualTo(f.program().inputs());
        assertThat(f.outputName()).isEqualTo("value");
        assertThat(Formula.compile("a = y*x; out = a*2").outputName()).isEqualTo("out");
    }

    @Test
    void unicodeNames() {
        Formula f = Formula.compile("f₀ = β0 + ω0*x\nℓ = (f₀ - y)^2");
        assertThat(f.inputs()).containsExactly("β0", "ω0", "x", "y");
        assertThat(f.outputName()).isEqualTo("ℓ");
        assertThat(f.program().evaluate(1.0, 2.0, 3.0, 4.0).value()).isEqualTo(9.0);
        // A letter outside the Basic Multilingual Plane counts as one column.
        assertError("z = \uD835\uDC65 $ 1", 1, 7, "unexpected character '$'");
        assertThat(Formula.compile("\uD835\uDC65*2").inputs()).containsExactly("\uD835\uDC65");
        assertThat(Formula.compile("_a1 = x; _a1").inputs()).containsExactly("x");
    }

    /** What the tool prints and the book typesets reads as the ASCII it stands for, to the last bit. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "x·y + x⋅y - x×y          | x*y + x*y - x*y",
            "x ÷ y − y                | x / y - y",
            "−x² + x³ − y⁻¹           | -x^2 + x^3 - y^-1",
            "x¹⁰ + 2⁰ + y⁴⁵⁶⁷⁸⁹ * 0    | x^10 + 2^0 + y^456789 * 0",
            "2·π·x + sin(π/y)         | 2*pi*x + sin(pi/y)",
            "(x + y)²                 | (x + y)^2",
            "x²^y                     | x^2^y"})
    void typesetOperatorsMeanTheirAsciiForms(String typeset, String ascii) {
        Formula a = Formula.compile(typeset);
        Formula b = Formula.compile(ascii);
        assertThat(a.inputs()).isEqualTo(b.inputs());
        for (double[] p : new double[][] {{1.5, 0.7}, {-2, 3}, {0.25, -1.5}}) {
            var ea = a.program().evaluate(p);
            var eb = b.program().evaluate(p);
            assertThat(Double.valueOf(ea.value())).isEqualTo(Double.valueOf(eb.value())); // NaN equals NaN here
            assertThat(ea.gradient().inputs()).isEqualTo(eb.gradient().inputs());
        }
        assertThat(eval("x²", 3)).isEqualTo(9);
        assertThat(eval("x⁻¹", 4)).isEqualTo(0.25);
        assertThat(eval("π", new double[0])).isEqualTo(Math.PI);
    }

    @Test
    void typesetErrorsPointAtWhatWasWritten() {
        assertError("x⁻ + 1", 1, 2, "'⁻' must be followed by superscript digits, as in x⁻¹");
        assertError("² + x", 1, 1, "expected an expression but found '²'");
        assertError("x ·· y", 1, 4, "expected an expression but found '·'");
        assertError("π = 3", 1, 1, "cannot assign to 'pi': it is a constant");
        // A name merely starting with π is a name.
        assertThat(Formula.compile("πr*2").inputs()).containsExactly("πr");
    }

    @Test
    void aByteOrderMarkAtTheStartIsIgnoredAndColumnsCountAfterIt() {
        assertThat(eval("\uFEFFx*2", 3)).isEqualTo(6);
        assertError("\uFEFFx $", 1, 3, "unexpected character '$'");
        assertThat(error("\uFEFFx $").sourceLine()).isEqualTo("x $");
    }

    @Test
    void insideParenthesesAnExpressionContinuesOnTheNextLine() {
        Formula f = Formula.compile("l = (beta0 + omega0*x   # a comment, then more\n     - y)^2\nm = max(l,\n  2)\nm");
        assertThat(f.inputs()).containsExactly("beta0", "omega0", "x", "y");
        assertThat(f.program().evaluate(1.0, 2.0, 3.0, 4.0).value()).isEqualTo(9.0);
        assertThat(f.steps()).extracting(Step::name).containsExactly("l", "m", "value");
        assertThat(f.steps().get(0).expression()).isEqualTo("(beta0 + omega0*x - y)^2");
        // Outside parentheses a line break still ends the statement.
        assertError("a = x\n+ 1\nb = 2", 2, 1, "only the last line can be a bare expression; give this one a name (name = ...)");
        assertError("a = x +\n1", 1, 8, "expected an expression but found end of line");
        // An error on a continued line carries on counting lines and columns.
        assertError("a = (x +\n  y $)", 2, 5, "unexpected character '$'");
    }

    @Test
    void aStatementTheOutputDoesNotUseStaysAStatement() {
        for (String src : new String[] {"l = x^2; u = 2*z; l", "l = x^2; u = 2*z; out = l", "l = x^2; u = 2*z; v = 3*l"}) {
            Formula f = Formula.compile(src);
            assertThat(f.inputs()).as(src).containsExactly("x", "z");
            assertThat(f.unused()).as(src).containsExactly("u");
            var e = f.program().evaluate(3.0, 5.0);
            assertThat(e.gradient().inputs()).as(src).containsEntry("z", 0.0);
            assertThat(f.steps()).as(src).extracting(Step::name).contains("u");
            assertThat(e.value(f.steps().get(1).node())).as(src).isEqualTo(10.0);
        }
        assertThat(Formula.compile("l = x^2; u = 2*z; l").program().evaluate(3.0, 5.0).value()).isEqualTo(9.0);
        assertThat(Formula.compile("a = x; b = a*2; c = b + 1; d = y; d").unused()).containsExactly("a", "b", "c");
        assertThat(Formula.compile("a = x; b = a*2; b").unused()).isEmpty();
        assertThat(Formula.compile("x*2").unused()).isEmpty();
    }

    @Test
    void commentsBlankLinesAndSemicolons() {
        Formula f = Formula.compile("# the model\n\na = x + 1   # one more\n;; b = a*2;\n\n# done\n");
        assertThat(f.outputName()).isEqualTo("b");
        assertThat(f.program().evaluate(3.0).value()).isEqualTo(8.0);
        assertThat(eval("x # a comment with ( and $", 5)).isEqualTo(5);
        assertThat(eval("a = x\r\nb = a*3\r\n", 2)).isEqualTo(6);
    }

    @Test
    void statementsNameTheTapeNodes() {
        Formula f = Formula.compile("f0 = b0 + w0*x; h1 = sin(f0); l = h1^2");
        int l = f.program().output();
        assertThat(f.program().name(l)).isEqualTo("l");
        assertThat(f.program().describe(l)).isEqualTo("h1^2");
        assertThat(f.program().describe(f.program().argument(l, 0))).isEqualTo("sin(f0)");
    }

    @Test
    void anonymousStepsInsideStatementsAreNumberedInOrderSkippingTakenNames() {
        Program p = Formula.compile("t2 = x*3; l = sin(t2) + t2^2*0.5").program();
        int l = p.output();
        // sin(t2) is the first unnamed step; t2^2 the second, shown as t3 since t2 is a statement's name
        assertThat(p.describe(l)).isEqualTo("t1 + t4");
        assertThat(p.label(p.argument(l, 0))).isEqualTo("t1");
        assertThat(p.describe(p.argument(l, 0))).isEqualTo("sin(t2)");
        int half = p.argument(l, 1);
        assertThat(p.describe(half)).isEqualTo("t3 * 0.5");
        assertThat(p.describe(p.argument(half, 0))).isEqualTo("t2^2");
    }

    @Test
    void anAssignmentOfANameIsAnAlias() {
        Formula f = Formula.compile("a = x\nb = a*2\nc = b\nc");
        assertThat(f.inputs()).containsExactly("x");
        assertThat(f.program().evaluate(4.0).value()).isEqualTo(8.0);
        // No new node: c is b's node, which keeps its first name.
        assertThat(f.steps().get(2).node()).isEqualTo(f.steps().get(1).node());
        assertThat(f.program().name(f.program().output())).isEqualTo("b");
        assertThat(f.derivative("x").text()).endsWith("dvalue_dx = 2");
    }

    @Test
    void constantStatementsFoldAndKeepTheirName() {
        Formula f = Formula.compile("k = 2*pi\ny = k*x");
        int out = f.program().output();
        int k = f.program().argument(out, 0);
        assertThat(f.program().isConstant(k)).isTrue();
        assertThat(f.program().constantValue(k)).isEqualTo(2 * Math.PI);
        assertThat(f.program().name(k)).isEqualTo("k");
        assertThat(f.derivative("x").text()).isEqualTo("k = 2*pi\ndy_dx = k");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void unexpectedCharacter() {
        assertError("x $ y", 1, 3, "unexpected character '$'");
        assertError("a = 1\nb = a @ 2", 2, 7, "unexpected character '@'");
        assertError("a = 1\u0007+ 2", 1, 6, "unexpected character U+0007");
        assertThat(eval("a = 1\u00a0+ x", 1)).as("a no-break space is a space").isEqualTo(2);
        assertError("x = 2!", 1, 6, "unexpected character '!'");
    }

    @Test
    void expectedButFound() {
        assertError("(x + 1", 1, 7, "expected ')' but found end of input");
        assertError("l = (f3 - y", 1, 12, "expected ')' but found end of input");
        // Inside parentheses a line break is space: a missing ')' shows on a later line.
        assertError("a = (x\nb = 2", 1, 5, "'(' is not closed (line 2 starts a new statement)");
        assertError("a = (x # comment\nb = 2", 1, 5, "'(' is not closed (line 2 starts a new statement)");
        assertError("a = sin(x\n\nb = 2", 1, 5, "'sin(' is not closed (line 3 starts a new statement)");
        assertError("a = (x\n  y", 2, 3, "expected an operator or ')' but found 'y' (is a ')' missing? the '(' on line 1, "
                + "column 5 is still open)");
        assertError("a = max(x,\n  y", 2, 4, "expected ')' but found end of input (is a ')' missing? the 'max(' on line 1, "
                + "column 5 is still open)");
        assertError("a = sin(x; b = 2", 1, 10, "expected ')' but found ';'");
        assertError("a = 2 *", 1, 8, "expected an expression but found end of input");
        assertError("a = 1\nb = a +\nc = 2", 2, 8, "expected an expression but found end of line");
        assertError("a = ", 1, 5, "expected an expression but found end of input");
        assertError("a = )", 1, 5, "expected an expression but found ')'");
        assertError("x y", 1, 3, "expected an operator or end of line but found 'y'");
        assertError("2x", 1, 2, "expected an operator or end of line but found 'x'; for a product write '2*x'");
        assertError("2e", 1, 2, "expected an operator or end of line but found 'e'; for a product write '2*e'");
        assertError("y = 1.5e-3(x + 1)", 1, 11, "expected an operator or end of line but found '('; for a product write '1.5e-3*(…)'");
        assertError("y = 2 x", 1, 7, "expected an operator or end of line but found 'x'");
        assertError("(x y)", 1, 4, "expected an operator or ')' but found 'y'");
        assertError("max(x y)", 1, 7, "expected an operator, ',' or ')' but found 'y'");
        assertError("x, y", 1, 2, "expected an operator or end of line but found ','");
        assertError("2 = x", 1, 3, "expected an operator or end of line but found '='");
        assertError("a = b = 2", 1, 7, "expected an operator or end of line but found '='");
        assertError("max(x,)", 1, 7, "expected an expression but found ')'");
        assertError("()", 1, 2, "expected an expression but found ')'");
        assertError("(x))", 1, 4, "unmatched ')'");
        assertError("sin + 1", 1, 5, "expected '(' after 'sin' but found '+'");
        assertError("x*sin", 1, 6, "expected '(' after 'sin' but found end of input");
    }

    @Test
    void unknownFunctionListsTheKnownOnes() {
        assertError("y = 2\nz = foo(y)", 2, 5,
                "unknown function 'foo' (known: sin, cos, tan, exp, log, sqrt, tanh, atan, asin, acos, sinh, cosh, log1p, expm1, softplus, sigmoid, relu, abs, step, sign, pow, max, min, atan2, hypot, logsumexp)");
        assertThat(error("pi(2)").detail()).startsWith("unknown function 'pi' (known: sin, ");
        assertThat(error("a = x; a(2)").detail()).startsWith("unknown function 'a' (known: ");
    }

    @Test
    void wrongNumberOfArguments() {
        assertError("max(x)", 1, 1, "max takes 2 or more arguments, got 1");
        assertError("a = 1\n  sin(x, y)", 2, 3, "sin takes 1 argument, got 2");
        assertError("pow(x, y, 2)", 1, 1, "pow takes 2 arguments, got 3");
        assertError("2*sin()", 1, 3, "sin takes 1 argument, got 0");
        assertError("min(max(x), y)", 1, 5, "max takes 2 or more arguments, got 1");
    }

    @Test
    void nameAssignedTwice() {
        assertError("a = 1\nb = 2\na = 3", 3, 1, "'a' is assigned twice (first on line 1)");
        assertError("a = 1; a = a + 1", 1, 8, "'a' is assigned twice (first on line 1)");
    }

    @Test
    void nameUsedBeforeItsAssignment() {
        assertError("b = a*2\na = 1", 1, 5, "'a' is used before it is assigned (on line 2)");
        assertError("x = 1\ny = 2\nz = x + w\nw = 3", 3, 9, "'w' is used before it is assigned (on line 4)");
        assertError("a = a + 1", 1, 5, "'a' is used in its own definition");
        assertError("h + 1\nh = 2", 1, 1, "'h' is used before it is assigned (on line 2)");
    }

    @Test
    void assigningToAConstantOrAFunction() {
        assertError("pi = 3", 1, 1, "cannot assign to 'pi': it is a constant");
        assertError("x = 1\ne = 2", 2, 1, "cannot assign to 'e': it is a constant");
        assertError("sin = 2", 1, 1, "cannot assign to 'sin': it is a function");
        assertError("a = 1; max = a", 1, 8, "cannot assign to 'max': it is a function");
    }

    @Test
    void emptyProgram() {
        assertError("", 1, 1, "empty program");
        assertError("   ", 1, 4, "empty program");
        assertError("\n# only a comment\n;;", 3, 3, "empty program");
    }

    @Test
    void onlyTheLastLineMayBeABareExpression() {
        assertError("x + 1\ny = 2", 1, 1, "only the last line can be a bare expression; give this one a name (name = ...)");
        assertError("a = 1\n  a*2; b = 3", 2, 3, "only the last line can be a bare expression; give this one a name (name = ...)");
    }

    @Test
    void errorShowsTheLineAndACaret() {
        FormulaException e = error("a = 1\nl = (f3 - y\nz = 2");
        assertThat(e.getMessage()).isEqualTo("2:5: '(' is not closed (line 3 starts a new statement)");
        assertThat(e.sourceLine()).isEqualTo("l = (f3 - y");
        assertThat(e.caret()).isEqualTo("    ^");
        FormulaException tabbed = error("\tb = 1 $");
        assertThat(tabbed.column()).isEqualTo(8);
        assertThat(tabbed.caret()).isEqualTo("\t      ^");
        FormulaException crlf = error("a = 1\r\nb = 2 +\r\n");
        assertThat(crlf.sourceLine()).isEqualTo("b = 2 +");
    }

    @Test
    void derivativeRejectsANameThatIsNotAnInput() {
        Formula f = Formula.compile("a = x*y; a + 1");
        assertThatThrownBy(() -> f.derivative("a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'a' is not an input of this formula (inputs: x, y)");
        assertThatThrownBy(() -> f.derivative("q")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evaluatesByName() {
        Formula f = Formula.compile("a = x/y");
        assertThat(f.program().evaluate(Map.of("y", 4.0, "x", 2.0)).value()).isEqualTo(0.5);
    }
}
