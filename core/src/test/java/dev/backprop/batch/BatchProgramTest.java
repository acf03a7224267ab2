package dev.backprop.batch;

import dev.backprop.book.ToyTiming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.book.ToyModel;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import dev.backprop.io.Columns;
import dev.backprop.op.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Batch results against the point-by-point scalar engine, summed here in plain loops.
 *
 * <p>Tolerance: 1e-12 relative to the sum of the absolute per-point terms: Σ|ℓ_p| for the value,
 * and for a derivative the sum over points of the chain rule's terms taken in absolute value.
 * That is the scale of rounding when the same N terms are added in another order (blocks, SIMD
 * lanes) and when SIMD sin/cos/exp differ from Math's in the last bit; a wrong derivative rule, a
 * dropped block or a lost contribution is off by far more.
 */
class BatchProgramTest {
    static final double TOL = 1e-12;

    /** Reference sums from the scalar engine, and the absolute-value scales. */
    record Reference(double sum, double sumAbs, Map<String, Double> grad, Map<String, Double> gradAbs,
            boolean wellConditioned) {}

    static Reference reference(Program p, Columns data, Map<String, Double> scalars, List<String> cols) {
        double sum = 0;
        double sumAbs = 0;
        boolean wellConditioned = true;
        Map<String, Double> grad = new LinkedHashMap<>();
        Map<String, Double> gradAbs = new LinkedHashMap<>();
        Map<String, double[]> c = new LinkedHashMap<>();
        for (String name : cols) {
            c.put(name, data.column(name));
        }
        for (int i = 0; i < data.rows(); i++) {
            Map<String, Double> point = new LinkedHashMap<>(scalars);
            for (String name : cols) {
                point.put(name, c.get(name)[i]);
            }
            Evaluation e = p.evaluate(point);
            wellConditioned &= trigArgumentsModerate(p, e);
            Gradient g = e.gradient();
            sum += e.value();
            sumAbs += Math.abs(e.value());
            double[] abs = absoluteSweep(p, e);
            for (String s : scalars.keySet()) {
                if (p.inputs().contains(s)) {
                    grad.merge(s, g.of(s), Double::sum);
                    gradAbs.merge(s, abs[p.inputNode(s)], Double::sum);
                }
            }
        }
        return new Reference(sum, sumAbs, grad, gradAbs, wellConditioned);
    }

    /**
     * Whether every sin/cos/tan argument is at most 1e3 in size. Beyond that one ulp of the argument
     * (which SIMD and plain exp, say, may legitimately differ by) moves the result by more than any
     * relative tolerance on the sum can absorb: sin(exp(x²/tanh y)) at y near 0 is noise in both.
     */
    static boolean trigArgumentsModerate(Program p, Evaluation e) {
        for (int i = 0; i <= p.output(); i++) {
            Op op = p.op(i);
            if ((op == Op.SIN || op == Op.COS || op == Op.TAN) && Math.abs(e.value(p.argument(i, 0))) > 1e3) {
                return false;
            }
        }
        return true;
    }

    /**
     * The reverse sweep with |adjoint|·|local derivative| everywhere: the size of the terms the
     * chain rule adds, hence the scale of its rounding (a derivative that is 0 up to cancellation,
     * like that of r/r, is only 0 to within this).
     */
    static double[] absoluteSweep(Program p, Evaluation e) {
        double[] adj = new double[p.output() + 1];
        adj[p.output()] = 1;
        for (int i = p.output(); i >= 0; i--) {
            if (adj[i] == 0 || !p.isOperation(i)) {
                continue;
            }
            Op op = p.op(i);
            double[] x = new double[p.arity(i)];
            for (int k = 0; k < x.length; k++) {
                x[k] = e.value(p.argument(i, k));
            }
            for (int k = 0; k < x.length; k++) {
                int arg = p.argument(i, k);
                if (!p.isConstant(arg)) {
                    adj[arg] += adj[i] * Math.abs(op.partial(k, x, e.value(i)));
                }
            }
        }
        return adj;
    }

    static void assertMatches(BatchResult r, Reference ref, int n) {
        assertThat(r.n()).isEqualTo(n);
        assertThat(r.sum()).isCloseTo(ref.sum(), org.assertj.core.data.Offset.offset(TOL * ref.sumAbs() + 1e-300));
        assertThat(r.mean()).isEqualTo(r.sum() / n);
        assertThat(r.gradient().keySet()).containsExactlyInAnyOrderElementsOf(ref.grad().keySet());
        ref.grad().forEach((k, v) -> assertThat(r.gradient().get(k)).as("∂/∂" + k)
                .isCloseTo(v, org.assertj.core.data.Offset.offset(TOL * ref.gradAbs().get(k) + 1e-300)));
    }

    static Columns uniform(long seed, int n, String... names) {
        Random rnd = new Random(seed);
        Map<String, double[]> m = new LinkedHashMap<>();
        for (String name : names) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = -2 + 4 * rnd.nextDouble();
            }
            m.put(name, v);
        }
        return new Columns(m);
    }

    /** A power law fitted to data with x = 0 in it: ∂/∂p of x^p there is 0, not 0·log 0 = NaN. */
    @Test
    void powerOfAZeroColumnHasTheScalarEnginesExponentDerivative() {
        Program p = Formula.compile("(a*x^p - y)^2").program();
        Columns data = new Columns(Map.of("x", new double[] {0, 1, 2, 0, 3}, "y", new double[] {0, 1, 3, 0.5, 5}));
        Map<String, Double> params = Map.of("a", 1.0, "p", 1.5);
        Reference ref = reference(p, data, params, List.of("x", "y"));
        assertThat(ref.grad().get("p")).isFinite();
        for (boolean simd : new boolean[] {false, true}) {
            assertMatches(BatchProgram.compile(p, List.of("x", "y")).withSimd(simd).gradient(data, params), ref, 5);
        }
    }

    @Test
    void toyLossEqualsTheScalarEngineOnEveryKernelAndThreadCount() {
        Program p = ToyModel.formula().program();
        int n = 5000 + 37; // not a multiple of the block size or the vector length
        Columns data = uniform(1, n, "x", "y");
        Map<String, Double> params = ToyTiming.parameters();
        Reference ref = reference(p, data, params, List.of("x", "y"));
        BatchProgram b = BatchProgram.compile(p, List.of("x", "y"));
        assertThat(b.columns()).containsExactly("x", "y");
        assertThat(b.scalars()).containsExactlyInAnyOrderElementsOf(ToyModel.PARAMETERS);
        for (boolean simd : new boolean[] {false, true}) {
            for (int t : new int[] {1, 2, 3}) {
                BatchProgram q = b.withSimd(simd).withThreads(t);
                assertMatches(q.gradient(data, params), ref, n);
                BatchResult v = q.value(data, params);
                assertThat(v.gradient()).isEmpty();
                // Not bit for bit with SIMD: a lone sine reduces by π, a paired one by π/2.
                assertThat(v.sum()).isCloseTo(ref.sum(), org.assertj.core.data.Offset.offset(TOL * ref.sumAbs()));
            }
        }
    }

    @Test
    void theSimdKernelIsPresentUnderTheBuildsFlags() {
        // surefire runs with --add-modules jdk.incubator.vector; without it this test would pass
        // on the plain path alone and the SIMD comparisons above would compare plain with plain.
        assertThat(BatchProgram.compile(ToyModel.formula().program(), List.of("x")).simd()).isTrue();
    }

    @Test
    void threadCountDoesNotChangeTheResultBeyondRounding() {
        Program p = ToyModel.formula().program();
        Columns data = uniform(2, 100_000, "x", "y");
        Map<String, Double> params = ToyTiming.parameters();
        BatchProgram b = BatchProgram.compile(p, List.of("x", "y"));
        // Plain kernel: each block's sums land in their own place and are added in block order,
        // so the thread count cannot change a single bit.
        BatchResult one = b.withSimd(false).withThreads(1).gradient(data, params);
        assertThat(b.withSimd(false).withThreads(2).gradient(data, params)).isEqualTo(one);
        // SIMD: the same, except that interpreted and JIT-compiled vector sin/cos/exp may differ in
        // the last bit, and which blocks run before compilation depends on timing.
        BatchResult simd1 = b.withThreads(1).gradient(data, params);
        BatchResult simd2 = b.withThreads(2).gradient(data, params);
        assertThat(simd2.sum()).isCloseTo(simd1.sum(), org.assertj.core.data.Offset.offset(1e-12 * Math.abs(simd1.sum())));
        simd1.gradient().forEach((k, v) -> assertThat(simd2.gradient().get(k)).as(k)
                .isCloseTo(v, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(v))));
        assertThat(simd1.gradient().get("omega3")).isCloseTo(one.gradient().get("omega3"),
                org.assertj.core.data.Offset.offset(1e-12 * Math.abs(one.gradient().get("omega3"))));
    }

    @Test
    void pointValuesAreTheScalarEnginesValues() {
        Program p = ToyModel.formula().program();
        Columns data = uniform(3, 1300, "x", "y");
        Map<String, Double> params = ToyTiming.parameters();
        double[] plain = BatchProgram.compile(p, List.of("x", "y")).withSimd(false).pointValues(data, params);
        double[] simd = BatchProgram.compile(p, List.of("x", "y")).withSimd(true).pointValues(data, params);
        double[] x = data.column("x");
        double[] y = data.column("y");
        for (int i = 0; i < x.length; i++) {
            Map<String, Double> point = new LinkedHashMap<>(params);
            point.put("x", x[i]);
            point.put("y", y[i]);
            double want = p.evaluate(point).value();
            assertThat(plain[i]).isEqualTo(want);
            assertThat(simd[i]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(want))));
        }
    }

    @Test
    void aColumnFreeOutputIsSummedNTimes() {
        Program p = Formula.compile("a*a + 3").program();
        Columns data = uniform(4, 10, "x");
        BatchResult r = BatchProgram.compile(p, List.of("x")).gradient(data, Map.of("a", 2.0));
        assertThat(r.sum()).isEqualTo(70.0);
        assertThat(r.gradient()).containsEntry("a", 40.0);
    }

    @Test
    void scalarsThatOnlyMeetOtherScalarsStillGetTheirGradient() {
        // (a*b) is uniform, computed once per call; its summed adjoint flows back to a and b.
        Program p = Formula.compile("sin(a*b) * x + exp(a) * x^2").program();
        Columns data = uniform(5, 999, "x");
        Map<String, Double> s = Map.of("a", 0.3, "b", -1.2);
        BatchProgram b = BatchProgram.compile(p, List.of("x"));
        assertMatches(b.gradient(data, s), reference(p, data, s, List.of("x")), 999);
    }

    @Test
    void productsFusedIntoSumsAndProductsReadTwiceBothMatch() {
        // b + w*x fuses into one pass; m = w*y is read twice, so it must keep its own slot.
        Program p = Formula.compile("f = b + w*x; m = w*y; g = m + b; f*g*m + x*y + w*x").program();
        Columns data = uniform(8, 777, "x", "y");
        Map<String, Double> s = Map.of("b", 0.7, "w", -1.3);
        BatchProgram b = BatchProgram.compile(p, List.of("x", "y"));
        Reference ref = reference(p, data, s, List.of("x", "y"));
        assertMatches(b.withSimd(false).gradient(data, s), ref, 777);
        assertMatches(b.withSimd(true).gradient(data, s), ref, 777);
        double[] values = b.withSimd(false).pointValues(data, s);
        double[] x = data.column("x");
        double[] y = data.column("y");
        for (int i = 0; i < values.length; i++) {
            assertThat(values[i]).isEqualTo(p.evaluate(Map.of("x", x[i], "y", y[i], "b", 0.7, "w", -1.3)).value());
        }
    }

    @Test
    void sinAndCosOfOneBlockArePairedAndStillMatch() {
        // sin(u) and cos(u) pair in the forward pass; sin(s*y) pairs with the cos its derivative
        // needs in the reverse sweep; cos(x) is of a column only, so nothing asks for its sine.
        Program p = Formula.compile("u = w*x + b; s = sin(u); c = cos(u); v = sin(s*y); s*c + v + cos(x)").program();
        Columns data = uniform(9, 1501, "x", "y");
        Map<String, Double> s = Map.of("b", 0.4, "w", 2.5);
        BatchProgram b = BatchProgram.compile(p, List.of("x", "y")).withThreads(1);
        assertThat(b.sincosPairs(false)).isEqualTo(1);
        assertThat(b.sincosPairs(true)).isEqualTo(2);
        Reference ref = reference(p, data, s, List.of("x", "y"));
        for (boolean simd : new boolean[] {false, true}) {
            BatchResult g = b.withSimd(simd).gradient(data, s);
            assertMatches(g, ref, 1501);
            // The value-only pass computes no extra cosines; its values agree within rounding.
            assertThat(b.withSimd(simd).value(data, s).sum())
                    .isCloseTo(ref.sum(), org.assertj.core.data.Offset.offset(TOL * ref.sumAbs()));
        }
    }

    @Test
    void theToyGradientTakesEachSineAndCosineInOnePass() {
        BatchProgram b = BatchProgram.compile(ToyModel.formula().program(), List.of("x", "y"));
        assertThat(b.sincosPairs(false)).isZero();
        assertThat(b.sincosPairs(true)).isEqualTo(2); // sin and cos of f0, cos and sin of f2
    }

    @Test
    void theToyReverseSweepIsEightPassesWithNoNegation() {
        // Per layer f = β + ω·φ(h): one pass for ∂β and ∂ω together, one for the chain g·ω·φ'(h);
        // cos's −sin gives its sign to ω instead of a pass of its own.
        String listing = BatchProgram.compile(ToyModel.formula().program(), List.of("x", "y")).listing(true);
        String sweep = listing.substring(listing.indexOf("-- reverse sweep"));
        assertThat(sweep.lines().skip(1)).hasSize(8);
        assertThat(sweep.lines().filter(l -> l.startsWith("dot2"))).hasSize(4);
        assertThat(sweep.lines().filter(l -> l.startsWith("mul2"))).hasSize(3);
        assertThat(sweep).doesNotContain("apply neg");
    }

    @Test
    void theKernelIsChosenByTheWorkNeverByWhatRanBefore() {
        Program p = Formula.compile("a*x + b*y*y").program();
        int n = 1 << 16;
        Columns data = uniform(11, n, "x", "y");
        Map<String, Double> s = Map.of("a", 0.5, "b", -1.5);
        BatchProgram b = BatchProgram.compile(p, List.of("x", "y"));
        BatchResult plain = b.withSimd(false).gradient(data, s);
        BatchResult first = b.gradient(data, s);
        // However much has run before, a small call runs the plain kernel: bit for bit the same.
        for (int i = 0; i < 300; i++) {
            b.forWork(BatchProgram.PLAIN_POINTS).value(data, s);
        }
        assertThat(first).isEqualTo(plain);
        assertThat(b.gradient(data, s)).isEqualTo(plain);
        assertThat(b.forWork(BatchProgram.PLAIN_POINTS - 1).gradient(data, s)).isEqualTo(plain);
        // Large work runs SIMD: equal to the plain sums within rounding, and not bit for bit here.
        BatchResult simd = b.forWork(BatchProgram.PLAIN_POINTS).gradient(data, s);
        assertMatches(simd, reference(p, data, s, List.of("x", "y")), n);
        assertThat(simd).isNotEqualTo(plain);
        // A caller's fixed choice wins over the work's size.
        assertThat(b.withSimd(false).forWork(Long.MAX_VALUE).gradient(data, s)).isEqualTo(plain);
    }

    @Test
    void firstNonFiniteNamesTheRowAndTheStep() {
        Program p = Formula.compile("l = log(x); a*l").program();
        Columns data = new Columns(Map.of("x", new double[] {1, 2, -1, -2}));
        BatchProgram b = BatchProgram.compile(p, List.of("x"));
        assertThat(b.firstNonFinite(data, Map.of("a", 2.0), List.of("a")))
                .contains(new NonFiniteRow(2, "forward pass: step l = log(x) gave NaN"));
        // A finite value with an infinite derivative: sqrt'(0) = ∞ at the second row.
        BatchProgram root = BatchProgram.compile(Formula.compile("sqrt(a + x)").program(), List.of("x"));
        Columns zeroAt1 = new Columns(Map.of("x", new double[] {1, -2, 3}));
        assertThat(root.firstNonFinite(zeroAt1, Map.of("a", 2.0), List.of("a")).orElseThrow().row()).isEqualTo(1);
        assertThat(root.firstNonFinite(new Columns(Map.of("x", new double[] {1, 3})), Map.of("a", 2.0), List.of("a"))).isEmpty();
        // Every row finite, the sum not.
        BatchProgram big = BatchProgram.compile(Formula.compile("a*x").program(), List.of("x"));
        Columns huge = new Columns(Map.of("x", new double[] {1e308, 1e308}));
        assertThat(big.firstNonFinite(huge, Map.of("a", 1.0), List.of("a")).orElseThrow().row()).isEqualTo(-1);
    }

    @Test
    void missingColumnAndScalarAreNamed() {
        BatchProgram b = BatchProgram.compile(ToyModel.formula().program(), List.of("x", "y"));
        Columns onlyX = uniform(6, 10, "x");
        Map<String, Double> params = ToyTiming.parameters();
        assertThatThrownBy(() -> b.gradient(onlyX, params))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'y'");
        Map<String, Double> noBeta2 = new LinkedHashMap<>(params);
        noBeta2.remove("beta2");
        assertThatThrownBy(() -> b.value(uniform(6, 10, "x", "y"), noBeta2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'beta2'");
        assertThatThrownBy(() -> b.pointValues(onlyX, params))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'y'");
    }

    @Test
    void emptyDataSumsToZero() {
        BatchProgram b = BatchProgram.compile(ToyModel.formula().program(), List.of("x", "y"));
        BatchResult r = b.gradient(uniform(7, 0, "x", "y"), ToyTiming.parameters());
        assertThat(r.n()).isZero();
        assertThat(r.sum()).isZero();
        assertThat(r.gradient().values()).containsOnly(0.0);
    }

    /** SIMD against plain directly: 1e-12 relative to the same absolute-value scales. */
    static void simdAgreesWithPlain(BatchResult simd, BatchResult plain, Reference ref, String source) {
        assertThat(simd.sum()).as(source).isCloseTo(plain.sum(), org.assertj.core.data.Offset.offset(TOL * ref.sumAbs() + 1e-300));
        plain.gradient().forEach((k, v) -> assertThat(simd.gradient().get(k)).as(source + " ∂/∂" + k)
                .isCloseTo(v, org.assertj.core.data.Offset.offset(TOL * ref.gradAbs().get(k) + 1e-300)));
    }

    // Random formulas over every primitive: columns x, y; scalars p, q, r.

    private static final String[] LEAVES = {"x", "y", "p", "q", "r", "0.5", "2", "1.5"};

    private static final Op[] FORMULA_OPS = java.util.Arrays.stream(Op.values()).filter(op -> !op.internal()).toArray(Op[]::new);

    private static String expr(Random rnd, int depth) {
        if (depth == 0 || rnd.nextInt(6) == 0) {
            return LEAVES[rnd.nextInt(LEAVES.length)];
        }
        Op op = FORMULA_OPS[rnd.nextInt(FORMULA_OPS.length)];
        String a = expr(rnd, depth - 1);
        if (op == Op.NEG) {
            return "(-" + a + ")";
        }
        if (op.isInfix()) {
            return "(" + a + " " + op.symbol() + " " + expr(rnd, depth - 1) + ")";
        }
        if (op == Op.POW) {
            return "(" + a + ")^" + (1 + rnd.nextInt(3)) + "";
        }
        if (op == Op.LOG || op == Op.SQRT) {
            return op.symbol() + "(1 + abs(" + a + "))";
        }
        if (op.accepts(3) && rnd.nextBoolean()) {
            return op.symbol() + "(" + a + ", " + expr(rnd, depth - 1) + ", " + expr(rnd, depth - 1) + ")";
        }
        if (!op.unary()) {
            return op.symbol() + "(" + a + ", " + expr(rnd, depth - 1) + ")";
        }
        return op.symbol() + "(" + a + ")";
    }

    @Property(tries = 300)
    void randomFormulasEqualTheScalarEngine(@ForAll long seed) {
        Random rnd = new Random(seed);
        String source = "t = " + expr(rnd, 4) + "\n" + "t * " + expr(rnd, 3) + " + p*x";
        Program p = Formula.compile(source).program();
        int n = 1 + rnd.nextInt(1500);
        Columns data = uniform(seed, n, "x", "y");
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (String s : List.of("p", "q", "r")) {
            if (p.inputs().contains(s)) {
                scalars.put(s, -1.5 + 3 * rnd.nextDouble());
            }
        }
        Reference ref = reference(p, data, scalars, List.of("x", "y").stream().filter(p.inputs()::contains).toList());
        if (!Double.isFinite(ref.sumAbs()) || ref.gradAbs().values().stream().anyMatch(v -> !Double.isFinite(v))
                || !ref.wellConditioned()) {
            return; // overflow, a pole, or trig of a huge argument: nothing to compare within a relative tolerance
        }
        BatchProgram b = BatchProgram.compile(p, List.of("x", "y"));
        simdAgreesWithPlain(b.withSimd(true).gradient(data, scalars), b.withSimd(false).gradient(data, scalars), ref, source);
        for (boolean simd : new boolean[] {false, true}) {
            try {
                assertMatches(b.withSimd(simd).withThreads(1 + rnd.nextInt(2)).gradient(data, scalars), ref, n);
            } catch (AssertionError e) {
                throw new AssertionError("formula " + source + " (simd " + simd + ", scalars " + scalars + "): " + e.getMessage(), e);
            }
        }
    }
}
