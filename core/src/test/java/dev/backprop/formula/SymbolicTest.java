package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.op.Op;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The printer, the simplifying builder, and the shape of closed-form derivatives. */
class SymbolicTest {
    static final Expr A = Expr.name("a");
    static final Expr B = Expr.name("b");
    static final Expr C = Expr.name("c");

    static String print(Expr e) {
        return new Printer(Map.of(), null, Set.of("k")).print(e);
    }

    static Expr raw(Op op, Expr a, Expr b) {
        return Expr.apply(op, a, b);
    }

    static Expr raw(Op op, Expr a) {
        return Expr.apply(op, a, null);
    }

    @Test
    void numbersPrintShortAndExact() {
        assertThat(Printer.number(2)).isEqualTo("2");
        assertThat(Printer.number(0.5)).isEqualTo("0.5");
        assertThat(Printer.number(-2.5)).isEqualTo("-2.5");
        assertThat(Printer.number(1e-5)).isEqualTo("1e-5");
        assertThat(Printer.number(1e10)).isEqualTo("1e10");
        assertThat(Printer.number(123456789.0)).isEqualTo("1.23456789e8");
        assertThat(Printer.number(Math.PI)).isEqualTo("3.141592653589793");
        assertThat(Printer.number(-0.0)).isEqualTo("-0");
        assertThat(Printer.number(Double.NaN)).isEqualTo("(0/0)");
        assertThat(Printer.number(Double.POSITIVE_INFINITY)).isEqualTo("(1/0)");
        assertThat(Printer.number(Double.NEGATIVE_INFINITY)).isEqualTo("(-1/0)");
    }

    @Property(tries = 2000)
    void everyDoubleRoundTripsThroughItsPrintedForm(@ForAll double v) {
        double back = Formula.compile(Printer.number(v)).program().evaluate().value();
        assertThat(Double.doubleToLongBits(back)).as(Printer.number(v)).isEqualTo(Double.doubleToLongBits(v));
    }

    @Test
    void extremeDoublesRoundTrip() {
        for (double v : new double[] {Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL,
                0.1, 1.0 / 3, 5e-324, 1.7976931348623157e308, 9007199254740993.0, -0.0}) {
            double back = Formula.compile(Printer.number(v)).program().evaluate().value();
            assertThat(Double.doubleToLongBits(back)).as(Printer.number(v)).isEqualTo(Double.doubleToLongBits(v));
        }
    }

    @Test
    void printerUsesTheFewestParenthesesThatKeepTheTree() {
        assertThat(print(raw(Op.ADD, A, raw(Op.MUL, B, C)))).isEqualTo("a + b*c");
        assertThat(print(raw(Op.MUL, raw(Op.ADD, A, B), C))).isEqualTo("(a + b)*c");
        assertThat(print(raw(Op.SUB, A, raw(Op.SUB, B, C)))).isEqualTo("a - (b - c)");
        assertThat(print(raw(Op.SUB, raw(Op.SUB, A, B), C))).isEqualTo("a - b - c");
        assertThat(print(raw(Op.MUL, A, raw(Op.MUL, B, C)))).isEqualTo("a*(b*c)");
        assertThat(print(raw(Op.DIV, A, raw(Op.MUL, B, C)))).isEqualTo("a/(b*c)");
        assertThat(print(raw(Op.POW, A, raw(Op.POW, B, C)))).isEqualTo("a^b^c");
        assertThat(print(raw(Op.POW, raw(Op.POW, A, B), C))).isEqualTo("(a^b)^c");
        assertThat(print(raw(Op.NEG, raw(Op.POW, A, Expr.constant(2))))).isEqualTo("-a^2");
        assertThat(print(raw(Op.POW, raw(Op.NEG, A), Expr.constant(2)))).isEqualTo("(-a)^2");
        assertThat(print(raw(Op.POW, Expr.constant(-2), A))).isEqualTo("(-2)^a");
        assertThat(print(raw(Op.POW, A, Expr.constant(-1)))).isEqualTo("a^(-1)");
        assertThat(print(raw(Op.MUL, A, raw(Op.NEG, B)))).isEqualTo("a*(-b)");
        assertThat(print(raw(Op.SUB, A, Expr.constant(-2)))).isEqualTo("a - (-2)");
        assertThat(print(raw(Op.MUL, raw(Op.NEG, A), B))).isEqualTo("-a*b");
        assertThat(print(raw(Op.NEG, raw(Op.MUL, A, B)))).isEqualTo("-a*b");
        assertThat(print(raw(Op.NEG, raw(Op.MUL, raw(Op.NEG, A), B)))).isEqualTo("-(-a*b)");
        assertThat(print(raw(Op.NEG, raw(Op.ADD, A, B)))).isEqualTo("-(a + b)");
        assertThat(print(raw(Op.NEG, raw(Op.MUL, Expr.name("k"), B)))).as("k is a constant").isEqualTo("-(k*b)");
        assertThat(print(raw(Op.ADD, A, raw(Op.DIV, raw(Op.NEG, B), C)))).isEqualTo("a + (-b/c)");
        assertThat(print(raw(Op.NEG, raw(Op.NEG, A)))).isEqualTo("-(-a)");
        assertThat(print(raw(Op.NEG, raw(Op.SIN, raw(Op.MUL, A, B))))).isEqualTo("-sin(a*b)");
        assertThat(print(raw(Op.MAX, raw(Op.SUB, A, B), Expr.constant(0.5)))).isEqualTo("max(a - b, 0.5)");
        assertThat(print(raw(Op.ADD, Expr.constant(Double.POSITIVE_INFINITY), A))).isEqualTo("(1/0) + a");
    }

    @Test
    void builderFoldsAndDropsNeutralElements() {
        Simplifier s = Simplifier.INSTANCE;
        Expr zero = s.constant(0);
        Expr one = s.constant(1);
        assertThat(print(s.mul(zero, A))).isEqualTo("0");
        assertThat(print(s.mul(A, zero))).isEqualTo("0");
        assertThat(s.mul(one, A)).isSameAs(A);
        assertThat(s.mul(A, one)).isSameAs(A);
        assertThat(s.add(A, zero)).isSameAs(A);
        assertThat(s.add(zero, A)).isSameAs(A);
        assertThat(s.sub(A, zero)).isSameAs(A);
        assertThat(print(s.sub(zero, A))).isEqualTo("-a");
        assertThat(s.neg(s.neg(A))).isSameAs(A);
        assertThat(s.div(A, one)).isSameAs(A);
        assertThat(s.apply(Op.POW, A, one)).isSameAs(A);
        assertThat(print(s.apply(Op.POW, A, zero))).isEqualTo("1");
        assertThat(print(s.mul(s.constant(-1), A))).isEqualTo("-a");
        assertThat(print(s.mul(A, s.constant(-1)))).isEqualTo("-a");
        assertThat(print(s.add(s.constant(2), s.constant(3)))).isEqualTo("5");
        assertThat(print(s.apply(Op.SIN, zero))).isEqualTo("0");
        assertThat(print(s.sub(A, A))).isEqualTo("0");
        assertThat(print(s.add(A, A))).isEqualTo("2*a");
        assertThat(print(s.add(A, s.neg(B)))).isEqualTo("a - b");
        assertThat(print(s.sub(A, s.neg(B)))).isEqualTo("a + b");
        assertThat(print(s.add(A, s.constant(-2)))).isEqualTo("a - 2");
        assertThat(print(s.neg(s.sub(A, B)))).isEqualTo("b - a");
        assertThat(print(s.mul(s.neg(A), s.neg(B)))).isEqualTo("a*b");
        assertThat(print(s.mul(A, s.neg(B)))).isEqualTo("-a*b");
        assertThat(print(s.mul(s.constant(2), s.neg(A)))).isEqualTo("-2*a");
        assertThat(print(s.mul(s.apply(Op.COS, A), s.constant(3)))).isEqualTo("3*cos(a)");
        assertThat(print(s.mul(s.constant(2), s.mul(s.constant(3), A)))).isEqualTo("6*a");
        assertThat(print(s.mul(A, s.div(one, B)))).isEqualTo("a/b");
        assertThat(print(s.div(s.neg(A), B))).isEqualTo("-a/b");
    }

    @ParameterizedTest(name = "d/dx {0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "x^2             | 2*x",
            "x^3             | 3*x^2",
            "-x^2            | -2*x",
            "3*x             | 3",
            "x*3             | 3",
            "sin(x)*3        | 3*cos(x)",
            "exp(x)          | exp(x)",
            "log(x)          | 1/x",
            "sqrt(x)         | 0.5/sqrt(x)",
            "cos(x)          | -sin(x)",
            "cos(x)^2        | -2*sin(x)*cos(x)",
            "cos(cos(x))     | sin(x)*sin(cos(x))",
            "1/x             | -1/x/x",
            "sin(x)/x        | cos(x)/x - sin(x)/x/x",
            "tanh(x)         | 1 - tanh(x)*tanh(x)",
            "sigmoid(x)      | sigmoid(x)*(1 - sigmoid(x))",
            "relu(x)         | step(x)",
            "abs(x)          | sign(x)",
            "max(x, y)       | 0.5*(1 + sign(x - y))",
            "min(y, x)       | 0.5*(1 + sign(y - x))",
            "x - y           | 1",
            "y - x           | -1",
            "-x              | -1",
            "x^y             | y*x^(y + (1 - abs(sign(y))) - 1)",
            "y^x             | y^x*log(y + (1 - abs(sign(y))))",
            "exp(-x^2/2)     | -x*exp(-x^2/2)",
            "sin(x)*x        | cos(x)*x + sin(x)",
            "step(x) + sign(x) + y | 0",
    })
    void derivativesOfSmallFormulasAreTidy(String source, String expected) {
        assertThat(Formula.compile(source).derivative("x").text()).isEqualTo("dvalue_dx = " + expected);
    }

    @Test
    void derivativeNamesAvoidTheFormulasNames() {
        Derivative d = Formula.compile("dl_dx = 2\nl = x*dl_dx").derivative("x");
        assertThat(d.name()).isEqualTo("dl_dx_2");
        assertThat(d.text()).isEqualTo("dl_dx = 2\ndl_dx_2 = dl_dx");
        assertThat(d.formula().program().evaluate().value()).isEqualTo(2.0);
    }

    @Test
    void sharedDerivativesOfIntermediatesAreNamed() {
        Derivative d = Formula.compile("a = sin(x)*y\nb = a*a + exp(a)\nc = b/a").derivative("x");
        assertThat(d.text()).isEqualTo("a = sin(x)*y\nb = a*a + exp(a)\nc = b/a\nda_dx = cos(x)*y\n"
                + "dc_dx = (da_dx*a + da_dx*a + da_dx*exp(a))/a - da_dx*c/a");
    }

    @Test
    void canonicalFormIsAFixedPoint() {
        Formula f = Formula.compile("a = -(x*y) + (2)*(3)*x**-1\nb = (a)\nc = -x^2 - (-x)^2 + max(a, (b - 1))\nc");
        String c = Symbolic.canonical(f);
        assertThat(c).isEqualTo("a = -x*y + 6*x^(-1)\nb = a\nc = -x^2 - (-x)^2 + max(a, a - 1)\nc");
        assertThat(Symbolic.canonical(Formula.compile(c))).isEqualTo(c);
    }
}
