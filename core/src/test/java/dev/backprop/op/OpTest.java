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
        public Double apply(Op op, java.util.List<Double> x) { return op.value(x.stream().mapToDouble(Double::doubleValue).toArray()); }
    };

    /** Points away from each primitive's kinks and poles. */
    static Stream<Arguments> cases() {
        double[][] points = {{0.7, 1.3}, {-0.4, 2.1}, {1.9, -0.6}, {2.5, 0.8}};
        return Stream.of(Op.values()).flatMap(op -> Stream.of(points).map(p -> {
            double a = p[0], b = p[1];
            if (op == Op.LOG || op == Op.SQRT || op == Op.POW) {
                a = Math.abs(a) + 0.1;
            }
            if (op == Op.ASIN || op == Op.ACOS) {
                a = a / 3;
            }
            return Arguments.of(op, a, b);
        }));
    }

    @ParameterizedTest(name = "{0} at ({1}, {2})")
    @MethodSource("cases")
    void partialsMatchCentralDifferences(Op op, double a, double b) {
        double y = op.apply(a, b);
        for (int arg = 0; arg < op.minArity(); arg++) {
            double h = 1e-6;
            double fd = arg == 0
                    ? (op.apply(a + h, b) - op.apply(a - h, b)) / (2 * h)
                    : (op.apply(a, b + h) - op.apply(a, b - h)) / (2 * h);
            double numeric = op.partial(arg, a, b, y);
            double symbolic = op.partial(arg, NUMBERS, a, op.unary() ? null : b, y);
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
        double b = op.unary() ? 0 : number(f[2]);
        double y = op.apply(a, b);
        if ((op == Op.SIGN || op == Op.STEP) && Double.isNaN(a)) {
            // NaN in, NaN out; PyTorch's sign and heaviside give 0 and hide it.
            assertThat(y).as("%s at NaN", op).isNaN();
        } else {
            assertThat(close(y, number(f[3]))).as("%s value: ours %s, PyTorch %s", row, y, f[3]).isTrue();
        }
        for (int arg = 0; arg < op.minArity(); arg++) {
            double numeric = op.partial(arg, a, b, y);
            double symbolic = op.partial(arg, NUMBERS, a, op.unary() ? null : b, y);
            assertThat(same(numeric, symbolic, 0))
                    .as("%s: numeric rule %s, expression rule %s for arg %d", row, numeric, symbolic, arg).isTrue();
            double torch = number(f[4 + arg]);
            String why = deviation(op, arg, a, b);
            if (why == null) {
                assertThat(close(numeric, torch)).as("%s ∂/∂arg%d: ours %s, PyTorch %s", row, arg, numeric, torch).isTrue();
            } else if (op == Op.ATAN2) {
                // PyTorch's own formula fails here; exact arithmetic decides instead.
                double exact = atan2PartialExactly(arg, a, b);
                assertThat(close(numeric, exact)).as("%s ∂/∂arg%d: ours %s, exact %s (%s)", row, arg, numeric, exact, why).isTrue();
            } else {
                assertThat(close(numeric, torch)).as("%s: listed as a deviation (%s) but agrees with PyTorch", row, why).isFalse();
            }
        }
    }

    /** Where our local derivative deliberately differs from PyTorch's, and why; null where it must not. */
    static String deviation(Op op, int arg, double a, double b) {
        boolean nanIn = Double.isNaN(a) || (!op.unary() && Double.isNaN(b));
        if (nanIn && (op == Op.RELU || op == Op.ABS || op == Op.MAX || op == Op.MIN)) {
            return "NaN in, NaN out: PyTorch's mask gives 0 or 1 and hides the NaN";
        }
        if ((op == Op.MAX || op == Op.MIN) && a == b && Double.isInfinite(a)) {
            return "a tie of equal infinities: a − b is NaN, so the half-half split is NaN (PyTorch: 0.5)";
        }
        if (op == Op.POW && arg == 1 && a == 0 && b < 0) {
            return "∂(a^b)/∂b at a = 0, b < 0, where a^b is already infinite: NaN (PyTorch: −∞)";
        }
        double squares = a * a + b * b;
        double h = Math.hypot(a, b);
        if (op == Op.ATAN2 && h > 0 && Double.isFinite(h) && (Double.isInfinite(squares) || squares < Double.MIN_NORMAL)) {
            return "atan2' where a² + b² over- or underflows: ours divides by hypot twice (PyTorch: 0, ∞ or NaN)";
        }
        return null;
    }

    /**
     * The variadic primitives of three arguments against PyTorch's {@code amax}, {@code amin} and
     * {@code logsumexp} ({@code op/special_values_3.csv}): both forms of every rule, with the same
     * deviations as at two arguments (NaN through a tie mask, a tie of equal infinities).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorchSpecialValuesOfThree")
    void variadicRulesMatchPyTorchAtThreeArguments(String row) {
        String[] f = row.split(",", -1);
        Op op = Op.valueOf(f[0]);
        double[] x = {number(f[1]), number(f[2]), number(f[3])};
        double y = op.value(x);
        assertThat(close(y, number(f[4]))).as("%s value: ours %s, PyTorch %s", row, y, f[4]).isTrue();
        java.util.List<Double> xs = java.util.List.of(x[0], x[1], x[2]);
        boolean nanIn = Double.isNaN(x[0]) || Double.isNaN(x[1]) || Double.isNaN(x[2]);
        for (int arg = 0; arg < 3; arg++) {
            double numeric = op.partial(arg, x, y);
            double symbolic = op.partial(arg, NUMBERS, xs, y);
            assertThat(same(numeric, symbolic, 0)).as("%s: numeric %s, expression %s, arg %d", row, numeric, symbolic, arg).isTrue();
            double torch = number(f[5 + arg]);
            boolean infiniteTie = Double.isInfinite(y) && tiedAtTheTop(x, y) && op != Op.LOGSUMEXP;
            if (op != Op.LOGSUMEXP && (nanIn || infiniteTie)) {
                // Listed deviations: NaN in gives NaN out; a tie of infinities gives NaN.
                assertThat(numeric).as("%s arg %d", row, arg).isNaN();
            } else if (op == Op.LOGSUMEXP && Double.isInfinite(y)) {
                // e^(x − y) with y infinite: PyTorch masks infinities its own way; ours is NaN where
                // x = y = ±∞ (∞ − ∞) and 0 where x is finite and y = +∞, as the formula gives.
                assertThat(same(numeric, Math.exp(x[arg] - y), 0)).as("%s arg %d", row, arg).isTrue();
            } else {
                assertThat(close(numeric, torch)).as("%s ∂/∂arg%d: ours %s, PyTorch %s", row, arg, numeric, torch).isTrue();
            }
        }
    }

    private static boolean tiedAtTheTop(double[] x, double y) {
        int n = 0;
        for (double v : x) {
            n += v == y ? 1 : 0;
        }
        return n > 1;
    }

    static Stream<String> pytorchSpecialValuesOfThree() throws java.io.IOException {
        try (var in = OpTest.class.getResourceAsStream("/op/special_values_3.csv")) {
            assertThat(in).as("op/special_values_3.csv on the test classpath").isNotNull();
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.List<String> rows = text.lines().filter(l -> !l.startsWith("#") && !l.startsWith("op,")).toList();
            assertThat(rows).hasSizeGreaterThan(1500);
            return rows.stream();
        }
    }

    /** A variadic primitive's n-argument rules at two arguments are its two-argument rules, bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorchSpecialValues")
    void variadicRulesAtTwoArgumentsAreTheBinaryRules(String row) {
        String[] f = row.split(",", -1);
        Op op = Op.valueOf(f[0]);
        if (op.maxArity() <= 2) {
            return;
        }
        double a = number(f[1]);
        double b = number(f[2]);
        double[] x = {a, b};
        double y = op.apply(a, b);
        assertThat(same(op.value(x), y, 0)).as("%s value", row).isTrue();
        for (int arg = 0; arg < 2; arg++) {
            assertThat(same(op.partial(arg, x, y), op.partial(arg, a, b, y), 0)).as("%s arg %d", row, arg).isTrue();
        }
    }

    /** Variadic rules at four arguments against central differences, away from ties. */
    @org.junit.jupiter.api.Test
    void variadicRulesMatchCentralDifferences() {
        java.util.Random rnd = new java.util.Random(7);
        for (Op op : new Op[] {Op.MAX, Op.MIN, Op.LOGSUMEXP}) {
            for (int trial = 0; trial < 50; trial++) {
                double[] x = new double[4];
                for (int k = 0; k < 4; k++) {
                    x[k] = (rnd.nextDouble() - 0.5) * 10;
                }
                double y = op.value(x);
                for (int arg = 0; arg < 4; arg++) {
                    double h = 1e-6;
                    double[] up = x.clone();
                    double[] down = x.clone();
                    up[arg] += h;
                    down[arg] -= h;
                    double fd = (op.value(up) - op.value(down)) / (2 * h);
                    assertThat(op.partial(arg, x, y)).as("%s arg %d at %s", op, arg, java.util.Arrays.toString(x)).isCloseTo(fd, within(1e-6));
                }
            }
        }
        assertThat(Op.LOGSUMEXP.value(new double[] {1000, 1000, 1000})).isCloseTo(1000 + Math.log(3), within(1e-12));
        assertThat(Op.MAX.partial(1, new double[] {2, 2, 2, 1}, 2)).isEqualTo(1.0 / 3);
    }

    /** ∂atan2(a, b)/∂(arg) = b/(a² + b²) or −a/(a² + b²), in exact decimal arithmetic, rounded once. */
    static double atan2PartialExactly(int arg, double a, double b) {
        java.math.BigDecimal x = new java.math.BigDecimal(a);
        java.math.BigDecimal y = new java.math.BigDecimal(b);
        java.math.BigDecimal squares = x.multiply(x).add(y.multiply(y));
        java.math.BigDecimal top = arg == 0 ? y : x.negate();
        return top.divide(squares, new java.math.MathContext(40)).doubleValue();
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
        double b = op.unary() ? 0 : number(f[2]);
        double y = op.apply(a, b);
        for (int arg = 0; arg < op.minArity(); arg++) {
            if (!op.quotient(arg)) {
                continue;
            }
            double n = op.numerator(arg, a, b, y);
            double d = op.denominator(arg, a, b, y);
            assertThat(same(n / d, op.partial(arg, a, b, y), 0)).as("%s arg %d", row, arg).isTrue();
            Double bs = op.unary() ? null : b;
            assertThat(same(op.numerator(arg, NUMBERS, a, bs, y), n, 0)).isTrue();
            assertThat(same(op.denominator(arg, NUMBERS, a, bs, y), d, 0)).isTrue();
            // With an adjoint of 1 the product is the local derivative, strong zeros aside: a zero
            // numerator passes 0 even over a zero denominator (hypot at (0, 0)).
            double want = n == 0 ? 0 : Op.contribution(1, n / d);
            assertThat(same(op.vjp(arg, 1, a, b, y), want, 1)).as("%s vjp", row).isTrue();
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
