package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Program;
import org.junit.jupiter.api.Test;

/** {@code def name(args) = body}: a call is its body over the call's values, in every engine and mode. */
class DefTest {

    /** A formula with def gives the numbers of the same formula written out, every mode included. */
    private static void sameAs(String withDef, String written, double... at) {
        Program a = Formula.compile(withDef).program();
        Program b = Formula.compile(written).program();
        assertThat(a.inputs()).isEqualTo(b.inputs());
        Evaluation ea = a.evaluate(at);
        Evaluation eb = b.evaluate(at);
        assertThat(ea.value()).isEqualTo(eb.value());
        assertThat(ea.gradient().inputs()).isEqualTo(eb.gradient().inputs());
        double[][] ha = ea.hessian();
        double[][] hb = eb.hessian();
        for (int i = 0; i < ha.length; i++) {
            assertThat(ha[i]).containsExactly(hb[i], within(0.0));
        }
    }

    @Test
    void aCallIsItsBodyOverTheArguments() {
        sameAs("def swish(z) = z*sigmoid(z)\nswish(x*w) + swish(w)", "t = x*w\nt*sigmoid(t) + w*sigmoid(w)", 1.5, 0.3);
        sameAs("def sq(a, b) = (a - b)^2; def twice(u) = sq(u, 0) + sq(0, u); l = twice(x)",
                "l = (x - 0)^2 + (0 - x)^2", 3);
        sameAs("def f(a, b, c) = max(a, b, c)*pi\nf(x, y, 2)", "max(x, y, 2)*pi", 1.0, 0.5);
    }

    @Test
    void argumentsAreNotInputsAndStatementsMayUseTheSameNames() {
        Formula f = Formula.compile("def g(z) = z^2\nz = g(x) + 1\nz*y");
        assertThat(f.inputs()).containsExactly("x", "y");
        assertThat(f.program().evaluate(2.0, 3.0).value()).isEqualTo(15.0);
    }

    private static String error(String src) {
        try {
            Formula.compile(src);
        } catch (FormulaException e) {
            return e.detail();
        }
        throw new AssertionError("no error for " + src);
    }

    @Test
    void mistakesAreReportedWhereTheyAreWritten() {
        assertThat(error("def sin(z) = z; sin(x)")).isEqualTo("cannot redefine 'sin': it is a built-in function");
        assertThat(error("def f(z) = f(z); f(x)")).isEqualTo("f calls itself: a function defined with def cannot be recursive");
        assertThat(error("def f(z) = z*w; f(x)")).isEqualTo("'w' is not an argument of f (its arguments: z)");
        assertThat(error("def f(z) = z; f(x, x)")).isEqualTo("f takes 1 argument, got 2");
        assertThat(error("def f(z) = z; def f(y) = y; f(x)")).isEqualTo("'f' is defined twice");
        assertThat(error("def f(z, z) = z; f(x)")).isEqualTo("argument 'z' of f is named twice");
        assertThat(error("x = 1; def x(z) = z; x")).isEqualTo("cannot define 'x': it is already a name in this program");
        assertThat(error("def f(z) = z; f = 2; f")).isEqualTo("cannot assign to 'f': it is a function");
        assertThat(error("def f(z) = z; f")).startsWith("expected '(' after 'f'");
        assertThatThrownBy(() -> Formula.compile("def f(z) = z +; f(x)")).isInstanceOf(FormulaException.class);
    }
}
