package dev.backprop.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every primitive's rule, in both its numeric and its expression form, against central differences. */
class OpTest {

    /** Evaluates expressions as plain numbers, so the symbolic rules can be checked numerically. */
    static final Algebra<Double> NUMBERS = new Algebra<>() {
        public Double constant(double value) { return value; }
        public Double apply(Op op, Double a, Double b) { return op.apply(a, b == null ? 0 : b); }
    };

    /** Points away from each primitive's kinks and poles. */
    static Stream<Arguments> cases() {
        double[][] points = {{0.7, 1.3}, {-0.4, 2.1}, {1.9, -0.6}, {2.5, 0.8}};
        return Stream.of(Op.values()).flatMap(op -> Stream.of(points).map(p -> {
            double a = p[0], b = p[1];
            if (op == Op.LOG || op == Op.SQRT || op == Op.POW) {
                a = Math.abs(a) + 0.1;
            }
            return Arguments.of(op, a, b);
        }));
    }

    @ParameterizedTest(name = "{0} at ({1}, {2})")
    @MethodSource("cases")
    void partialsMatchCentralDifferences(Op op, double a, double b) {
        double y = op.apply(a, b);
        for (int arg = 0; arg < op.arity(); arg++) {
            double h = 1e-6;
            double fd = arg == 0
                    ? (op.apply(a + h, b) - op.apply(a - h, b)) / (2 * h)
                    : (op.apply(a, b + h) - op.apply(a, b - h)) / (2 * h);
            double numeric = op.partial(arg, a, b, y);
            double symbolic = op.partial(arg, NUMBERS, a, op.arity() == 2 ? b : null, y);
            double tol = 1e-6 * Math.max(1, Math.abs(fd));
            assertThat(numeric).as("numeric ∂%s/∂arg%d", op, arg).isCloseTo(fd, within(tol));
            assertThat(symbolic).as("symbolic ∂%s/∂arg%d", op, arg).isCloseTo(numeric, within(1e-12 * Math.max(1, Math.abs(numeric))));
        }
    }

    /**
     * PyTorch's value and local derivatives at special arguments (0, −0, ±1, subnormals, ±1e300,
     * ±∞, NaN and all their pairs), from {@code op/special_values.csv}, made by the script beside
     * it. Both forms of every rule must give PyTorch's number ({@link #close}), except where {@link
     * #deviation} names a deliberate difference (documented in the README); and the numeric rule and
     * the expression rule must give the same number everywhere, so no engine can disagree with another.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorchSpecialValues")
    void rulesMatchPyTorchAtSpecialValues(String row) {
        String[] f = row.split(",", -1);
        Op op = Op.valueOf(f[0]);
        double a = number(f[1]);
        double b = op.arity() == 2 ? number(f[2]) : 0;
        double y = op.apply(a, b);
        if ((op == Op.SIGN || op == Op.STEP) && Double.isNaN(a)) {
            // NaN in, NaN out; PyTorch's sign and heaviside give 0 and hide it.
            assertThat(y).as("%s at NaN", op).isNaN();
        } else {
            assertThat(close(y, number(f[3]))).as("%s value: ours %s, PyTorch %s", row, y, f[3]).isTrue();
        }
        for (int arg = 0; arg < op.arity(); arg++) {
            double numeric = op.partial(arg, a, b, y);
            double symbolic = op.partial(arg, NUMBERS, a, op.arity() == 2 ? b : null, y);
            assertThat(same(numeric, symbolic, 0))
                    .as("%s: numeric rule %s, expression rule %s for arg %d", row, numeric, symbolic, arg).isTrue();
            double torch = number(f[4 + arg]);
            String why = deviation(op, arg, a, b);
            if (why == null) {
                assertThat(close(numeric, torch)).as("%s ∂/∂arg%d: ours %s, PyTorch %s", row, arg, numeric, torch).isTrue();
            } else {
                assertThat(close(numeric, torch)).as("%s: listed as a deviation (%s) but agrees with PyTorch", row, why).isFalse();
            }
        }
    }

    /** Where our local derivative deliberately differs from PyTorch's, and why; null where it must not. */
    static String deviation(Op op, int arg, double a, double b) {
        boolean nanIn = Double.isNaN(a) || (op.arity() == 2 && Double.isNaN(b));
        if (nanIn && (op == Op.RELU || op == Op.ABS || op == Op.MAX || op == Op.MIN)) {
            return "NaN in, NaN out: PyTorch's mask gives 0 or 1 and hides the NaN";
        }
        if ((op == Op.MAX || op == Op.MIN) && a == b && Double.isInfinite(a)) {
            return "a tie of equal infinities: a − b is NaN, so the half-half split is NaN (PyTorch: 0.5)";
        }
        if (op == Op.POW && arg == 1 && a == 0 && b < 0) {
            return "∂(a^b)/∂b at a = 0, b < 0, where a^b is already infinite: NaN (PyTorch: −∞)";
        }
        return null;
    }

    static Stream<String> pytorchSpecialValues() throws java.io.IOException {
        try (var in = OpTest.class.getResourceAsStream("/op/special_values.csv")) {
            assertThat(in).as("op/special_values.csv on the test classpath").isNotNull();
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.List<String> rows = text.lines().filter(l -> !l.startsWith("#") && !l.startsWith("op,")).toList();
            assertThat(rows).hasSizeGreaterThan(1500);
            return rows.stream();
        }
    }

    /** A fixture's number, as the scripts write them ({@code nan}, {@code inf}, {@code -inf}, Python's repr). */
    private static double number(String s) {
        return dev.backprop.io.Numbers.parse(s);
    }

    /**
     * Agreement with another library's number: {@link #same} within 4 ulps, or a relative 1e-12
     * for finite numbers (tanh' = 1 − y² magnifies a last-bit difference between two libraries' tanh).
     */
    static boolean close(double x, double y) {
        return same(x, y, 4) || (Double.isFinite(x) && Double.isFinite(y)
                && Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y)));
    }

    /** Both NaN, or equal (0 = −0), or within {@code ulps} units in the last place of the larger. */
    static boolean same(double x, double y, int ulps) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.isNaN(x) && Double.isNaN(y);
        }
        if (x == y) {
            return true;
        }
        if (Double.isInfinite(x) || Double.isInfinite(y)) {
            return false;
        }
        return Math.abs(x - y) <= ulps * Math.ulp(Math.max(Math.abs(x), Math.abs(y)));
    }

    /** A quotient rule's parts make its local derivative, in both forms, at every special argument. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorchSpecialValues")
    void quotientRulesAreTheirPartial(String row) {
        String[] f = row.split(",", -1);
        Op op = Op.valueOf(f[0]);
        double a = number(f[1]);
        double b = op.arity() == 2 ? number(f[2]) : 0;
        double y = op.apply(a, b);
        for (int arg = 0; arg < op.arity(); arg++) {
            if (!op.quotient(arg)) {
                continue;
            }
            double n = op.numerator(arg, a, b, y);
            double d = op.denominator(arg, a, b, y);
            assertThat(same(n / d, op.partial(arg, a, b, y), 0)).as("%s arg %d", row, arg).isTrue();
            Double bs = op.arity() == 2 ? b : null;
            assertThat(same(op.numerator(arg, NUMBERS, a, bs, y), n, 0)).isTrue();
            assertThat(same(op.denominator(arg, NUMBERS, a, bs, y), d, 0)).isTrue();
            // With an adjoint of 1 the product is the local derivative, strong zeros aside.
            assertThat(same(op.vjp(arg, 1, a, b, y), Op.contribution(1, n / d), 1)).as("%s vjp", row).isTrue();
        }
    }

    @org.junit.jupiter.api.Test
    void quotientRulesDivideLastSoSmallAdjointsMeetSubnormalsFinitely() {
        // d/dx of 1e-300·log(x) at x = 1e-310 is 1e10; 1/x alone overflows.
        assertThat(Op.LOG.partial(0, 1e-310, 0, Math.log(1e-310))).isInfinite();
        assertThat(Op.LOG.vjp(0, 1e-300, 1e-310, 0, Math.log(1e-310))).isCloseTo(1e10, within(1e-3));
        // d/db of a/b at a = 1, b = 1e-200: −1/b² = −1e400, but times 1e-300 it is −1e100.
        assertThat(Op.DIV.vjp(1, 1e-300, 1, 1e-200, 1e200)).isCloseTo(-1e100, within(1e86));
        assertThat(Op.LOG.vjp(0, 0, 0, 0, Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
    }

    @org.junit.jupiter.api.Test
    void contributionTreatsExactZerosAsStrong() {
        assertThat(Op.contribution(0, Double.POSITIVE_INFINITY)).isEqualTo(0.0);
        assertThat(Op.contribution(Double.NaN, 0)).isEqualTo(0.0);
        assertThat(Op.contribution(Double.NaN, 2)).isNaN();
        assertThat(Op.contribution(3, Double.NaN)).isNaN();
        assertThat(Op.contribution(-2, 1.5)).isEqualTo(-3.0);
    }

    @org.junit.jupiter.api.Test
    void sigmoidDoesNotOverflow() {
        assertThat(Op.SIGMOID.apply(-800)).isEqualTo(0.0);
        assertThat(Op.SIGMOID.apply(800)).isEqualTo(1.0);
    }

    @org.junit.jupiter.api.Test
    void functionNamesResolve() {
        assertThat(Op.ofFunctionName("sin")).isEqualTo(Op.SIN);
        assertThat(Op.ofFunctionName("pow")).isEqualTo(Op.POW);
        assertThat(Op.ofFunctionName("+")).isNull();
        assertThat(Op.ofFunctionName("nope")).isNull();
    }
}
