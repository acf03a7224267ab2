package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.check.AllClose;
import dev.backprop.check.FiniteDifference;
import dev.backprop.check.GradientCheck;
import dev.backprop.fit.FormulaFit;
import dev.backprop.io.Columns;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Formulas a user can make huge or strange: linear cost, short messages, visible characters. */
class FormulaInputLimitsTest {

    private static FormulaException error(String source) {
        try {
            Formula.compile(source);
        } catch (FormulaException e) {
            return e;
        }
        throw new AssertionError("compiled: " + source.substring(0, Math.min(80, source.length())));
    }

    /** Bytes allocated by this thread while {@code r} runs (HotSpot's ThreadMXBean). */
    private static long allocated(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        r.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    private static String chain(int n) {
        StringBuilder sb = new StringBuilder("a0 = x\n");
        for (int i = 1; i < n; i++) {
            sb.append('a').append(i).append(" = a").append(i - 1).append(" + 1\n");
        }
        return sb.toString();
    }

    /**
     * Each statement kept a BitSet of the statements it uses, sized by the largest index: a chain
     * of n statements allocated n²/16 bytes (2.5 GB for 200,000). Now a bounded amount each:
     * twice the statements, about twice the bytes.
     */
    @Test
    void chainedStatementsCompileInLinearMemory() {
        int n = 100_000;
        String small = chain(n);
        String large = chain(2 * n);
        allocated(() -> Formula.compile(small)); // warm up
        long a = allocated(() -> assertThat(Formula.compile(small).program().evaluate(1.0).value()).isEqualTo(n));
        long b = allocated(() -> assertThat(Formula.compile(large).program().evaluate(1.0).value()).isEqualTo(2 * n));
        assertThat(b).as("bytes allocated for 200,000 statements").isLessThan(5000L * 2 * n);
        assertThat((double) b / a).as("200,000 statements against 100,000").isLessThan(2.6);
    }

    @Test
    void statementDependenciesAreListedOnceInOrder() {
        Formula f = Formula.compile("a = x; b = a*a; c = b + a + b; d = c*a");
        // The closed form lists exactly the statements it needs, which come from these lists.
        assertThat(f.derivative("x").text()).startsWith("a = x\nb = a*a\nc = b + a + b\n");
    }

    /** A 50 MB line with an error was echoed whole, twice (the line and the caret line). */
    @Test
    void errorShowsAWindowOfALongLine() {
        String src = "x + ".repeat(2_000_000) + "$ + " + "y + ".repeat(2_000_000) + "1";
        FormulaException e = error(src);
        assertThat(e.getMessage()).isEqualTo("1:8000001: unexpected character '$'");
        assertThat(e.sourceLine()).hasSizeLessThan(100).startsWith("…").endsWith("…").contains("+ $ + y");
        assertThat(e.caret()).hasSizeLessThan(100);
        assertThat(e.sourceLine().charAt(e.caret().length() - 1)).isEqualTo('$');
        FormulaException shortLine = error("x +\t$");
        assertThat(shortLine.sourceLine()).isEqualTo("x +\t$");
        assertThat(shortLine.caret()).isEqualTo("   \t^");
    }

    @Test
    void longNamesAreCutInMessages() {
        String name = "q".repeat(1_000_000);
        assertThat(error(name + "(x)").getMessage()).hasSizeLessThan(300).contains("(1000000 characters)");
        assertThat(error("a = " + name + "\n" + name + " = 1\na").getMessage()).hasSizeLessThan(300);
    }

    @Test
    void invisibleCharactersAreNamedByCodePoint() {
        assertThat(error("x\uFEFF + 1").detail()).isEqualTo("unexpected character U+FEFF (ZERO WIDTH NO-BREAK SPACE)");
        assertThat(error("x +\u200B 1").detail()).isEqualTo("unexpected character U+200B (ZERO WIDTH SPACE)");
        assertThat(error("x + \u0301").detail()).isEqualTo("unexpected character U+0301 (COMBINING ACUTE ACCENT)");
        assertThat(error("x + \u0007").detail()).isEqualTo("unexpected character U+0007");
    }

    @Test
    void numbersTooLargeForADoubleAreErrors() {
        assertThat(error("x + 1e400").detail()).isEqualTo("the number '1e400' is too large for a double (the largest is about 1.8e308)");
        assertThat(Formula.compile("x + 1e-400").program().evaluate(2.0).value()).isEqualTo(2.0);
    }

    @Test
    void aColumnNamedLikeAConstantTheFormulaUsesIsAnError() {
        Formula f = Formula.compile("(a*x - e)^2");
        assertThat(f.constants()).containsExactly("e");
        assertThat(f.inputs()).containsExactly("a", "x");
        assertThatThrownBy(() -> f.checkColumns(List.of("x", "e"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'e' has the name of the constant e (2.718281828459045), which the formula uses; "
                        + "the formula cannot read that column: rename it (e.g. e_)");
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", new double[] {1, 2});
        m.put("e", new double[] {3, 4});
        assertThatThrownBy(() -> FormulaFit.of(f, new Columns(m), List.of("a"))).hasMessageStartingWith("column 'e' has the name");
        // A formula that does not use the constant may have such a column (it is simply unused).
        FormulaFit.of(Formula.compile("(a*x)^2"), new Columns(m), List.of("a"));
        assertThat(Formula.compile("pi*r^2").constants()).containsExactly("pi");
    }

    /**
     * Where |f| is large, rounding of f alone makes the central difference err by far more than
     * the tolerances: a correct gradient failed the check. The rounding bound is allowed for.
     */
    @Test
    void checkAllowsForTheRoundingOfLargeValues() {
        Formula f = Formula.compile("x^2 + 1e12");
        GradientCheck c = GradientCheck.run(f, Map.of("x", 1.5), List.of("x"), new AllClose(1e-5, 1e-8), Double.NaN);
        assertThat(c.passed()).isTrue();
        // At the default step (~9e-6) the allowance (~54) exceeded the derivative (3): the difference
        // could not tell 3 from 0 (it was 0). The step is widened until the allowance is below the
        // derivative, and the allowance still exceeds the tolerances (it is what lets this pass).
        assertThat(c.entries().get(0).step()).isGreaterThan(FiniteDifference.centralStep(1.5));
        assertThat(c.entries().get(0).finiteDifferenceError()).isGreaterThan(1e-5 * 3 + 1e-8).isLessThanOrEqualTo(3);
        assertThat(new AllClose(1e-5, 1e-8).isClose(3, c.entries().get(0).finiteDifference())).isFalse();
        // For ordinary values the bound is far below the tolerances, so it changes nothing there.
        FiniteDifference.Estimate e = FiniteDifference.centralEstimate(p -> Math.sin(p[0]), new double[] {1}, 0, 6e-6);
        assertThat(e.roundingError()).isLessThan(1e-9);
        // And a wrong derivative still fails: the closed form and backprop of a program both agree,
        // so compare a deliberately wrong value through the rule the check uses.
        assertThat(Math.abs(3.5 - c.entries().get(0).finiteDifference()) <= c.entries().get(0).finiteDifferenceError()
                && new AllClose(1e-5, 1e-8).isClose(3.5, c.entries().get(0).closedForm())).isFalse();
    }
}
