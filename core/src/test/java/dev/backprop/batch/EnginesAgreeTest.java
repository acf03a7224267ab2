package dev.backprop.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Program;
import dev.backprop.io.Columns;
import dev.backprop.op.Op;
import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.TensorGradients;
import dev.backprop.tensor.TensorTape;
import dev.backprop.tensor.TensorVar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every engine on the same random programs and the same points: the scalar engine ({@link
 * Program#evaluate}), the batch engine on the plain kernel and on the SIMD kernel, and the tensor
 * engine ({@link TensorTape}, the program replayed with columns as vectors). Programs have dead
 * statements, aliases, shared intermediates and every primitive; points are smooth or special (0,
 * −0, ±1, subnormals, ±1e300, ±∞, NaN, ties). Each engine must give the scalar engine's value
 * and gradient: a NaN where it gives NaN, the same infinity where it gives one, and otherwise the
 * same number within rounding (the SIMD transcendentals are within an ulp, not bit for bit).
 *
 * <p>{@code -Dengines.programs=N} runs N programs instead of the default 150 (a deeper run: 5000).
 * A deep run finds about one program in 5,000 where the SIMD value differs from the scalar one by
 * more than the tolerance without a bug: an ill-conditioned chain such as {@code
 * cos(pow(pow(s, s), 3*z))}, where the vector {@code pow}'s last-bit difference (within an ulp) is
 * multiplied by an argument of 4e8. Read the program before calling a failure there a bug.
 */
class EnginesAgreeTest {
    private static final List<String> COLUMNS = List.of("x", "y", "z");
    private static final List<String> SCALARS = List.of("p", "q");
    private static final double[] SPECIAL = {0.0, -0.0, 1, -1, 2, 0.5, 1e-310, 1e300, -1e300,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
    /** Special values that overflow exp (±800) or are infinite, without making a chain ill-conditioned. */
    private static final double[] TAME = {0.0, -0.0, 1, -1, 2, 0.5, 800, -800,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
    /** Copies of each point per batch call: two vectors of 8 lanes and a tail, so SIMD loops and tails both run. */
    private static final int COPIES = 19;

    static Stream<Long> seeds() {
        int n = Integer.getInteger("engines.programs", 150);
        return IntStream.range(0, n).mapToObj(i -> 1_000_003L * i + 17);
    }

    @ParameterizedTest(name = "program {0}")
    @MethodSource("seeds")
    void everyEngineGivesTheScalarEnginesNumbers(long seed) {
        Random rnd = new Random(seed);
        String source = randomProgram(rnd);
        Program program = Formula.compile(source).program();
        BatchProgram plain = BatchProgram.compile(program, COLUMNS).withSimd(false).withThreads(1);
        BatchProgram simd = BatchProgram.compile(program, COLUMNS).withSimd(true).withThreads(1);
        Forward forward = new Forward(program, COLUMNS, rnd, true);
        for (int point = 0; point < 12; point++) {
            Map<String, Double> at = new LinkedHashMap<>();
            for (String name : program.inputs()) {
                at.put(name, point < 6 ? smooth(rnd) : rnd.nextInt(3) == 0 ? smooth(rnd) : SPECIAL[rnd.nextInt(SPECIAL.length)]);
            }
            if (point % 4 == 3 && at.containsKey("x") && at.containsKey("p")) {
                at.put("x", at.get("p")); // ties: max(x, p), x - p, pow at equal arguments
            }
            String where = source + "\n  at " + at;
            // With a subnormal argument a local derivative overflows (1/p > Double.MAX_VALUE), and
            // then whether a cancelling sum of adjoints rounds to exactly 0 (strong zero: nothing
            // passes) or to 1e-16 (times ∞: ∞ or NaN) depends on the order of the additions,
            // which differs between engines. Only there may a finite gradient become non-finite.
            boolean overflowingRules = at.values().stream().anyMatch(v -> v != 0 && Math.abs(v) < Double.MIN_NORMAL);
            Evaluation e = program.evaluate(at);
            Map<String, Double> grad = e.gradient().inputs();

            Columns data = copies(program, at);
            Map<String, Double> scalars = new LinkedHashMap<>();
            for (String s : plain.scalars()) {
                scalars.put(s, at.get(s));
            }
            for (BatchProgram batch : List.of(plain, simd)) {
                String engine = batch == plain ? "batch plain" : "batch SIMD";
                BatchResult r = batch.gradient(data, scalars);
                agree(engine + " value", r.sum(), COPIES * e.value(), where);
                for (String s : batch.scalars()) {
                    agree(engine + " ∂/∂" + s, r.gradient().get(s), COPIES * grad.get(s), where, overflowingRules);
                }
                double[] points = batch.pointValues(data, scalars);
                agree(engine + " point value", points[COPIES - 1], e.value(), where);
            }
            tensorAgrees(program, at, e.value(), grad, where, overflowingRules);
            forward.agrees(e, data, scalars, where, overflowingRules);
        }
    }

    /**
     * Forward mode through the batch engine, the directional program's values alone (the run the
     * compiler fuses most: a tangent step into one {@code lin}), on both kernels, against the
     * scalar engine's own tangent sweep ({@link Evaluation#jvp}): a different code path, from
     * the same rules. The direction has a zero component now and then, for the strong zero.
     */
    private static final class Forward {
        private final double[] direction;
        private final List<BatchProgram> batches;

        /** {@code zeros}: a component may be 0; without, every tangent step is whole, so every fusion of one runs. */
        Forward(Program program, List<String> columns, Random rnd, boolean zeros) {
            double[] choices = zeros ? new double[] {0.5, -0.25, 1, 0, -2, 0.125} : new double[] {0.5, -0.25, 1, -2, 0.125};
            direction = new double[program.inputs().size()];
            Map<String, Double> v = new LinkedHashMap<>();
            for (int k = 0; k < direction.length; k++) {
                direction[k] = choices[rnd.nextInt(choices.length)];
                v.put(program.inputs().get(k), direction[k]);
            }
            Program directional = program.directionalDerivative(v);
            batches = List.of(BatchProgram.compile(directional, columns).withSimd(false).withThreads(1),
                    BatchProgram.compile(directional, columns).withSimd(true).withThreads(1));
        }

        void agrees(Evaluation e, Columns data, Map<String, Double> scalars, String where, boolean overflowingRules) {
            double jvp = e.jvp(direction);
            String at = where + "\n  along " + Arrays.toString(direction);
            for (BatchProgram batch : batches) {
                String engine = batch.simd() ? "forward mode, batch SIMD" : "forward mode, batch plain";
                agree(engine + " sum", batch.value(data, scalars).sum(), COPIES * jvp, at, overflowingRules);
                agree(engine + " point", batch.pointValues(data, scalars)[COPIES - 1], jvp, at, overflowingRules);
            }
        }
    }

    /**
     * The compiler's fusions (affine steps, chains g·ω·φ'(h), paired sines and cosines, double
     * sums) on the programs they were made for, the toy loss and a two-layer net, at special
     * parameters: an exp that overflows behind a zero weight (∞·0 in a fused chain must be the
     * strong zero, as in the scalar engine), infinities, NaN, zeros. Random programs rarely take
     * those shapes at such points. Not ±1e300 or subnormals here: a cosine of 1e300·exp(u) turns
     * the vector exp's last-bit difference into a different sign (ill-conditioned, not a bug).
     */
    @org.junit.jupiter.api.Test
    void fusedChainsAgreeAtSpecialParameters() {
        String toy = "f0 = b0 + w0*x; h1 = sin(f0); f1 = b1 + w1*h1; h2 = exp(f1); f2 = b2 + w2*h2; "
                + "h3 = cos(f2); f3 = b3 + w3*h3; l = (f3 - y)^2";
        String net = "f0 = b0 + w0*x; h1 = tanh(f0); f1 = b1 + w1*h1 + w2*sin(f0); h2 = relu(f1); l = (b3 + w3*h2 - y)^2";
        Random rnd = new Random(11);
        for (String source : List.of(toy, net)) {
            Program program = Formula.compile(source).program();
            BatchProgram plain = BatchProgram.compile(program, List.of("x", "y")).withSimd(false).withThreads(1);
            BatchProgram simd = BatchProgram.compile(program, List.of("x", "y")).withSimd(true).withThreads(1);
            Forward forward = new Forward(program, List.of("x", "y"), rnd, false);
            for (int point = 0; point < 200; point++) {
                Map<String, Double> at = new LinkedHashMap<>();
                for (String name : program.inputs()) {
                    at.put(name, rnd.nextInt(4) == 0 ? TAME[rnd.nextInt(TAME.length)] : smooth(rnd));
                }
                if (point == 0) { // the review's case: exp(800) = ∞ behind w2 = 0
                    at.putAll(Map.of("x", 1000.0, "y", 1.0, "b0", 1.0, "w0", 0.1, "b1", 800.0, "w1", 1.0));
                    at.putAll(Map.of("b2", 0.0, "w2", 0.0, "b3", 0.0, "w3", 1.0));
                    at.keySet().retainAll(program.inputs());
                }
                Evaluation e = program.evaluate(at);
                Map<String, Double> grad = e.gradient().inputs();
                Columns data = copies(program, at);
                Map<String, Double> scalars = new LinkedHashMap<>(at);
                scalars.keySet().removeAll(List.of("x", "y"));
                String where = source + "\n  at " + at;
                for (BatchProgram batch : List.of(plain, simd)) {
                    BatchResult r = batch.gradient(data, scalars);
                    agree((batch == plain ? "plain" : "SIMD") + " value", r.sum(), COPIES * e.value(), where);
                    for (String s : batch.scalars()) {
                        agree((batch == plain ? "plain" : "SIMD") + " ∂/∂" + s, r.gradient().get(s), COPIES * grad.get(s), where);
                    }
                }
                forward.agrees(e, data, scalars, where, false);
            }
        }
    }

    /**
     * PyTorch's value and gradient of 250 random programs at 1,000 points (smooth, an input at 0,
     * ties), made by {@code engines/make_random_programs.py}: the scalar engine and both batch
     * kernels must agree with them wherever PyTorch's numbers are finite. Where PyTorch gives NaN
     * or ∞ the conventions may differ on purpose (strong zeros, NaN in NaN out: see the README),
     * and the engines are held to each other by the test above instead.
     */
    @org.junit.jupiter.api.Test
    void pytorchAgreesOnRandomPrograms() throws java.io.IOException {
        List<String> rows;
        try (var in = EnginesAgreeTest.class.getResourceAsStream("/engines/random_programs.tsv")) {
            assertThat(in).as("engines/random_programs.tsv on the test classpath").isNotNull();
            rows = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).toList();
        }
        int compared = 0;
        for (String row : rows) {
            String[] f = row.split("\t");
            Map<String, Double> at = pairs(f[1]);
            Map<String, Double> torchGrad = pairs(f[3]);
            double torchValue = number(f[2]);
            if (!Double.isFinite(torchValue) || torchGrad.values().stream().anyMatch(v -> !Double.isFinite(v))) {
                continue;
            }
            Program program = Formula.compile(f[0]).program();
            String where = f[0] + "\n  at " + at;
            Map<String, Double> args = new LinkedHashMap<>();
            for (String name : program.inputs()) {
                args.put(name, at.get(name));
            }
            Evaluation e = program.evaluate(args);
            if (e.firstNonFinite().isPresent()) {
                continue; // a NaN or ∞ on the way, even in a dead or masked step: conventions differ on purpose there
            }
            compared++;
            agree("scalar value vs PyTorch", e.value(), torchValue, where);
            e.gradient().inputs().forEach((name, d) -> agree("scalar ∂/∂" + name + " vs PyTorch", d, torchGrad.get(name), where));
            for (boolean simd : new boolean[] {false, true}) {
                BatchProgram batch = BatchProgram.compile(program, COLUMNS).withSimd(simd).withThreads(1);
                Map<String, Double> scalars = new LinkedHashMap<>();
                batch.scalars().forEach(n -> scalars.put(n, at.get(n)));
                BatchResult r = batch.gradient(copies(program, at), scalars);
                String engine = simd ? "batch SIMD" : "batch plain";
                agree(engine + " value vs PyTorch", r.sum(), COPIES * torchValue, where);
                r.gradient().forEach((name, d) -> agree(engine + " ∂/∂" + name + " vs PyTorch", d, COPIES * torchGrad.get(name), where));
            }
        }
        assertThat(compared).as("rows with finite numbers in both").isGreaterThan(rows.size() / 3);
    }

    private static Map<String, Double> pairs(String text) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String kv : text.split(",")) {
            String[] p = kv.split("=");
            m.put(p[0], number(p[1]));
        }
        return m;
    }

    /** A fixture's number, as the scripts write them ({@code nan}, {@code inf}, {@code -inf}, Python's repr). */
    private static double number(String s) {
        return dev.backprop.io.Numbers.parse(s);
    }

    /** The program replayed on tensors: each column a vector of copies, each scalar a rank-0 input. */
    private static void tensorAgrees(Program program, Map<String, Double> at, double value, Map<String, Double> grad, String where,
                                     boolean overflowingRules) {
        TensorTape tape = new TensorTape();
        TensorVar[] node = new TensorVar[program.output() + 1];
        Map<String, TensorVar> inputs = new LinkedHashMap<>();
        for (int i = 0; i <= program.output(); i++) {
            if (program.isConstant(i)) {
                node[i] = tape.constant(program.constantValue(i));
            } else if (program.isInput(i)) {
                String name = program.name(i);
                double v = at.get(name);
                boolean column = COLUMNS.contains(name);
                double[] filled = new double[COPIES];
                Arrays.fill(filled, v);
                node[i] = tape.input(name, column ? Tensor.vector(filled) : Tensor.scalar(v));
                inputs.put(name, node[i]);
            } else {
                TensorVar[] args = new TensorVar[program.arity(i)];
                for (int k = 0; k < args.length; k++) {
                    args[k] = node[program.argument(i, k)];
                }
                node[i] = tape.apply(program.op(i), args);
            }
        }
        TensorVar out = node[program.output()];
        // A program whose output reads no column is rank 0; it stands for the same value at every point.
        boolean perPoint = out.value().size() == COPIES;
        TensorVar total = tape.sum(out);
        TensorGradients g = tape.gradient(total);
        double scale = perPoint ? COPIES : 1;
        agree("tensor value", total.value().item(), scale * value, where);
        for (String s : SCALARS) {
            if (inputs.containsKey(s)) {
                agree("tensor ∂/∂" + s, g.of(inputs.get(s)).item(), scale * grad.get(s), where, overflowingRules);
            }
        }
    }

    private static Columns copies(Program program, Map<String, Double> at) {
        Map<String, double[]> cols = new LinkedHashMap<>();
        for (String c : COLUMNS) {
            double[] v = new double[COPIES];
            Arrays.fill(v, at.getOrDefault(c, 0.0));
            cols.put(c, v);
        }
        return new Columns(cols);
    }

    private static void agree(String what, double actual, double expected, String where) {
        agree(what, actual, expected, where, false);
    }

    /** NaN where the scalar engine gives NaN, the same infinity, or the same number within rounding. */
    private static void agree(String what, double actual, double expected, String where, boolean overflowingRules) {
        String message = what + ": " + actual + ", scalar engine " + expected + "\n  " + where;
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertThat(Double.doubleToLongBits(actual)).as(message).isEqualTo(Double.doubleToLongBits(expected));
            return;
        }
        if (overflowingRules && !Double.isFinite(actual)) {
            return;
        }
        assertThat(Double.isFinite(actual)).as(message).isTrue();
        // Copies are summed in different orders by different engines, and SIMD transcendentals
        // are within an ulp: rounding, relative to the numbers, or absolute where terms of order
        // 1 cancel to a gradient of 0 in one engine and 1e-15 in another.
        double tolerance = 1e-9 * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-12 * COPIES;
        assertThat(Math.abs(actual - expected)).as(message).isLessThanOrEqualTo(tolerance);
    }

    private static double smooth(Random rnd) {
        return Math.round((rnd.nextDouble() * 4 - 2) * 8) / 8.0 + 0.0625 * rnd.nextGaussian();
    }

    /**
     * A program of 2–6 statements over columns x, y, z and scalars p, q: random expressions over
     * every primitive, statements that reuse earlier ones (shared intermediates), an alias
     * ({@code b = a}) and a dead statement now and then; the last statement is the output.
     */
    static String randomProgram(Random rnd) {
        List<String> names = new ArrayList<>(List.of("x", "y", "z", "p", "q"));
        List<String> lines = new ArrayList<>();
        int statements = 2 + rnd.nextInt(5);
        for (int s = 0; s < statements; s++) {
            String name = "s" + s;
            String expr = switch (rnd.nextInt(8)) {
                case 0 -> names.get(names.size() - 1); // an alias of the last statement (or of q)
                default -> expression(rnd, names, 3);
            };
            lines.add(name + " = " + expr);
            names.add(name);
        }
        if (rnd.nextBoolean()) {
            lines.add(lines.size() - 1, "dead = " + expression(rnd, List.of("z", "q", "y"), 2));
        }
        return String.join("; ", lines);
    }

    private static final Op[] UNARY = Arrays.stream(Op.values()).filter(Op::unary).toArray(Op[]::new);
    private static final Op[] BINARY = Arrays.stream(Op.values()).filter(op -> !op.unary() && !op.internal()).toArray(Op[]::new);

    private static String expression(Random rnd, List<String> names, int depth) {
        if (depth == 0 || rnd.nextInt(4) == 0) {
            int k = rnd.nextInt(names.size() + 2);
            if (k < names.size()) {
                // Later names (statements) more often: shared intermediates.
                return names.get(rnd.nextBoolean() ? names.size() - 1 - rnd.nextInt(Math.min(3, names.size())) : k);
            }
            return new String[] {"2", "0.5", "3", "0", "1", "pi"}[rnd.nextInt(6)];
        }
        if (rnd.nextInt(5) < 2) {
            Op op = UNARY[rnd.nextInt(UNARY.length)];
            String a = expression(rnd, names, depth - 1);
            return op == Op.NEG ? "-(" + a + ")" : op.symbol() + "(" + a + ")";
        }
        Op op = BINARY[rnd.nextInt(BINARY.length)];
        String a = expression(rnd, names, depth - 1);
        String b = expression(rnd, names, depth - 1);
        if (op.accepts(3) && rnd.nextBoolean()) {
            return op.symbol() + "(" + a + ", " + b + ", " + expression(rnd, names, depth - 1) + ")";
        }
        return op.isInfix() ? "(" + a + " " + op.symbol() + " " + b + ")" : op.symbol() + "(" + a + ", " + b + ")";
    }
}
