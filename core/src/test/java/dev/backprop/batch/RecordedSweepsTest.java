package dev.backprop.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.book.ToyModel;
import dev.backprop.graph.Program;
import dev.backprop.graph.Tape;
import dev.backprop.graph.Var;
import dev.backprop.io.Columns;
import dev.backprop.op.Op;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Programs recorded from a sweep ({@link Program#directionalDerivative}, {@link
 * Program#derivative}) compile without the work their recording repeats (a sine the forward pass
 * already holds, a product by the constant 1, {@code pow(a, 0)}), and dropping it changes no
 * double, the sign of a zero included: {@link Op#contribution}(g, 1) is +0 where g is −0.
 */
class RecordedSweepsTest {
    private static final List<String> PARAMETERS = List.of(
            "beta0", "beta1", "beta2", "beta3", "omega0", "omega1", "omega2", "omega3");

    @Test
    void theToyHvpComputesNoSineCosineOrPowerTwiceAndNoUnitProducts() {
        Program toy = ToyModel.formula().program();
        Map<String, Double> v = Map.of("beta0", 0.5, "omega1", -0.25, "omega3", 2.0);
        BatchProgram hvp = BatchProgram.compile(toy.directionalDerivative(v), List.of("x", "y"));
        String listing = hvp.listing(true);
        assertNoRepeatedComputation(listing);
        String sweep = listing.substring(listing.indexOf("-- reverse sweep"));
        assertThat(sweep).doesNotContain("apply sin", "apply cos", "apply pow", "apply exp");
        // The forward-mode sweep, value only: sin and cos of both angles, the exp, and per layer
        // the primal affine step and its tangent (a contribution and a sum of contributions).
        String value = hvp.listing(false);
        assertThat(value).doesNotContain("apply pow");
        assertThat(value.lines().filter(l -> l.startsWith("sincos"))).hasSize(2);
        assertThat(value.lines().filter(l -> !l.startsWith("--")).count()).isLessThanOrEqualTo(25);
        for (String p : PARAMETERS) {
            assertNoRepeatedComputation(BatchProgram.compile(toy.derivative(p), List.of("x", "y")).listing(true));
        }
    }

    /** No two block instructions {@code apply op} read the same operands. */
    private static void assertNoRepeatedComputation(String listing) {
        Set<String> seen = new HashSet<>();
        for (String line : listing.lines().filter(l -> l.startsWith("apply ")).toList()) {
            String what = line.replaceFirst(" dst=\\S+", "");
            assertThat(seen.add(what)).as("computed twice: %s in%n%s", what, listing).isTrue();
        }
    }

    @Test
    void aUnitContributionKeepsItsPlusZeroWhereTheSignOfAZeroShows() {
        // x·w is −0 at x = −0 and at x = 0 (w < 0); contribution(−0, 1) is +0.
        Columns data = new Columns(Map.of("x", new double[] {-0.0, 0.0, 1.5, -2.0, Double.NaN, Double.NEGATIVE_INFINITY}));
        Map<String, Double> w = Map.of("w", -3.0);
        // Read by the output, by a sum with −0, by a product: −0 would show in each.
        for (Shape shape : new Shape[] {(t, c) -> c, (t, c) -> t.apply(Op.ADD, t.constant(-0.0), c),
                (t, c) -> t.apply(Op.MUL, c, t.constant(-1.0))}) {
            Program p = unitContribution(shape);
            assertPointsEqualTheScalarEngine(p, data, w);
            // The contribution stays (alone, or as the first term of a fused lin), not dropped.
            assertThat(BatchProgram.compile(p, List.of("x")).listing(false)).containsAnyOf("mul_add", "lin ");
        }
        // Read by a sum with another constant, or by another contribution (the one mul_add left):
        // there it is dropped.
        Shape[] dropped = {(t, c) -> t.apply(Op.ADD, t.constant(2.0), c), (t, c) -> t.apply(Op.ADD, c, t.constant(0.0)),
            (t, c) -> t.apply(Op.CONTRIBUTION, c, t.input("z", 0))};
        for (int k = 0; k < dropped.length; k++) {
            Program p = unitContribution(dropped[k]);
            assertPointsEqualTheScalarEngine(p, data, Map.of("w", -3.0, "z", 0.5));
            assertThat(BatchProgram.compile(p, List.of("x")).listing(false).lines().filter(l -> l.startsWith("mul_add")))
                    .hasSize(k == 2 ? 1 : 0);
        }
    }

    /** What reads the unit contribution c, on tape t. */
    private interface Shape {
        Var readBy(Tape t, Var c);
    }

    private static Program unitContribution(Shape shape) {
        Tape t = new Tape();
        Var x = t.input("x", 0);
        Var w = t.input("w", 0);
        Var c = t.apply(Op.CONTRIBUTION, t.apply(Op.MUL, x, w), t.constant(1));
        Var out = shape.readBy(t, c);
        if (!t.toProgram(out).inputs().contains("z")) {
            t.input("z", 0); // every program takes z, so one parameter map serves all
        }
        return t.toProgram(out);
    }

    private static void assertPointsEqualTheScalarEngine(Program p, Columns data, Map<String, Double> scalars) {
        double[] x = data.column("x");
        for (boolean simd : new boolean[] {false, true}) {
            BatchProgram b = BatchProgram.compile(p, List.of("x")).withSimd(simd);
            Map<String, Double> used = new java.util.HashMap<>(scalars);
            used.keySet().retainAll(b.scalars());
            double[] got = b.pointValues(data, used);
            for (int i = 0; i < x.length; i++) {
                Map<String, Double> at = new java.util.HashMap<>(used);
                at.put("x", x[i]);
                // Bits, so that −0 is not +0 (and every NaN is the one NaN).
                assertThat(Double.doubleToLongBits(got[i])).as("row %d, simd %s: %s", i, simd, got[i])
                        .isEqualTo(Double.doubleToLongBits(p.evaluate(at).value()));
            }
        }
    }
}
