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

    @ParameterizedTest
    @MethodSource("kinks")
    void kinksFollowPyTorch(Op op, double a, double b, double da, double db) {
        double y = op.apply(a, b);
        assertThat(op.partial(0, a, b, y)).isEqualTo(da);
        assertThat(op.partial(0, NUMBERS, a, b, y)).isEqualTo(da);
        if (op.arity() == 2) {
            assertThat(op.partial(1, a, b, y)).isEqualTo(db);
            if (op != Op.POW) { // the closed form y·log a cannot express the a = 0 guard
                assertThat(op.partial(1, NUMBERS, a, b, y)).isEqualTo(db);
            }
        }
    }

    static Stream<Arguments> kinks() {
        return Stream.of(
                Arguments.of(Op.RELU, 0.0, 0.0, 0.0, 0.0),
                Arguments.of(Op.ABS, 0.0, 0.0, 0.0, 0.0),
                Arguments.of(Op.MAX, 1.0, 1.0, 1.0, 0.0),
                Arguments.of(Op.MIN, 1.0, 1.0, 1.0, 0.0),
                Arguments.of(Op.POW, 0.0, 2.0, 0.0, 0.0));
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
