package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import dev.backprop.op.Op;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Random formulas (see {@link RandomFormula}) over every primitive and operator, written as source
 * text so the parser is exercised too, checked at random points where they are smooth.
 *
 * <p>Tolerances, and why:
 * <ul>
 * <li>Parsing: the compiled program must give bit for bit the value of the test's own evaluation
 *     of the tree (same primitives, same order of operations), so any precedence or association
 *     mistake shows.
 * <li>Reverse mode vs central differences: Richardson-extrapolated central differences (error
 *     O(h⁴)) at h = 10⁻³·max(1, |x|), accepted within 10⁻⁴ relative to the gradient plus a floor of
 *     10⁻⁷·(1 + the largest intermediate), which covers rounding in the differences (about
 *     3·n·ε·max|v|/h). A point counts only if the differences at h and h/2 agree to that tolerance
 *     (otherwise the function is not smooth enough at that scale to be checked by differences).
 * <li>Reverse mode vs the closed form: within 10⁻⁹ relative to Σ|contributions| (the gradient
 *     computed with absolute values of every local derivative), the natural scale of rounding when
 *     the two methods add the same terms in different orders.
 * <li>Printing: canonical text → compile → canonical text is identical, and values are identical.
 * </ul>
 */
class FormulaPropertyTest {
    static final int TRIES = 2500;

    private static Map<String, Double> randomPoint(Random rnd) {
        Map<String, Double> p = new HashMap<>();
        for (String in : RandomFormula.INPUTS) {
            p.put(in, -2.5 + 5 * rnd.nextDouble());
        }
        return p;
    }

    private static double[] args(Program p, Map<String, Double> point) {
        return p.inputs().stream().mapToDouble(point::get).toArray();
    }

    @Property(tries = TRIES)
    void compiledValuesEqualTheTreesOwnEvaluation(@ForAll long seed) {
        RandomFormula rf = new RandomFormula(seed);
        Formula f = Formula.compile(rf.source);
        Map<String, Double> point = randomPoint(new Random(seed));
        Map<String, Double> want = rf.evaluate(point);
        Evaluation e = f.program().evaluate(only(f.program(), point));
        List<Step> steps = f.steps();
        if (rf.statements.size() == 1 && rf.statements.get(0).name() == null) {
            assertThat(steps.get(steps.size() - 1).name()).isEqualTo("value");
            assertSame(e.value(), want.get("value"), rf.source);
        } else {
            // Every statement is a row, even when the last line just names an earlier value and
            // the statements after that value cannot affect the output.
            assertThat(steps).extracting(Step::name).containsExactlyElementsOf(want.keySet());
            for (Step s : steps) {
                assertSame(e.value(s.node()), want.get(s.name()), s.name() + " in " + rf.source);
            }
        }
        assertThat(f.outputName()).isEqualTo(rf.statements.get(rf.statements.size() - 1).name() == null
                ? "value" : rf.statements.get(rf.statements.size() - 1).name());
    }

    @Property(tries = TRIES)
    void reverseModeMatchesCentralDifferences(@ForAll long seed) {
        RandomFormula rf = new RandomFormula(seed);
        Formula f = Formula.compile(rf.source);
        Program p = f.program();
        Assume.that(!p.inputs().isEmpty());
        double[] x = smoothPoint(p, new Random(seed));
        Assume.that(x != null);
        Evaluation e = p.evaluate(x);
        Gradient g = e.gradient();
        double maxAbs = maxAbs(e, p);
        int checked = 0;
        for (int j = 0; j < x.length; j++) {
            double h = 1e-3 * Math.max(1, Math.abs(x[j]));
            double d1 = richardson(p, x, j, h);
            double d2 = richardson(p, x, j, h / 2);
            double gj = g.of(p.inputs().get(j));
            double tol = 1e-4 * Math.abs(gj) + 1e-7 * (1 + maxAbs);
            if (Double.isNaN(d1) || Double.isNaN(d2) || Math.abs(d1 - d2) > tol) {
                Statistics.label("input").collect("not resolved by differences");
                continue;
            }
            Statistics.label("input").collect("checked");
            checked++;
            assertThat(Math.abs(gj - d2)).as("∂/∂%s of %s at %s: reverse %s, differences %s",
                    p.inputs().get(j), rf.source, java.util.Arrays.toString(x), gj, d2).isLessThanOrEqualTo(tol);
        }
        Assume.that(checked > 0);
    }

    @Property(tries = TRIES)
    void closedFormMatchesReverseMode(@ForAll long seed) {
        RandomFormula rf = new RandomFormula(seed);
        Formula f = Formula.compile(rf.source);
        Program p = f.program();
        Assume.that(!p.inputs().isEmpty());
        double[] x = smoothPoint(p, new Random(seed));
        Assume.that(x != null);
        Evaluation e = p.evaluate(x);
        Gradient g = e.gradient();
        Map<String, Double> point = bind(p, x);
        for (int j = 0; j < x.length; j++) {
            String wrt = p.inputs().get(j);
            Derivative d = f.derivative(wrt);
            assertThat(d.formula().outputName()).isEqualTo(d.name());
            double closed = d.valueAt(point);
            double scale = absoluteGradient(p, e, p.inputNode(wrt));
            assertThat(Math.abs(closed - g.of(wrt)))
                    .as("∂/∂%s of %s at %s: reverse %s, closed form %s from%n%s", wrt, rf.source, point, g.of(wrt),
                            closed, d.text())
                    // Subnormal values carry fewer than 53 bits, so the relative bound gets an
                    // absolute floor at the smallest normal number.
                    .isLessThanOrEqualTo(1e-9 * scale + Double.MIN_NORMAL);
        }
        Statistics.label("statements").collect(rf.statements.size());
    }

    /** Found by {@link #printedTextRoundTrips}: a minus before a NaN constant folded into it. */
    @net.jqwik.api.Example
    void minusBeforeNonFiniteConstantKeepsItsParentheses() {
        for (String src : List.of("a = -(log(-1e-1) / (min(3, 5e-1) * (x + x)))", "a = -((1/0) * x)")) {
            String text = Symbolic.canonical(Formula.compile(src));
            assertThat(Symbolic.canonical(Formula.compile(text))).as(src).isEqualTo(text);
        }
    }

    @Property(tries = TRIES)
    void printedTextRoundTrips(@ForAll long seed) {
        RandomFormula rf = new RandomFormula(seed);
        Formula f = Formula.compile(rf.source);
        String text = Symbolic.canonical(f);
        Formula again = Formula.compile(text);
        assertThat(Symbolic.canonical(again)).as(rf.source).isEqualTo(text);
        Map<String, Double> point = randomPoint(new Random(seed));
        assertSame(again.program().evaluate(only(again.program(), point)).value(), f.program().evaluate(only(f.program(), point)).value(),
                rf.source + "\n→ " + text);
        boolean bare = rf.statements.size() == 1 && rf.statements.get(0).name() == null;
        if (!bare) {
            // Statements keep their names and values. (The rows of a one-line formula are its
            // operations, and -(2*x) prints as -2*x, one operation fewer: only its value is compared.)
            Map<String, Double> before = stepValues(f, point);
            Map<String, Double> after = stepValues(again, point);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            for (String k : before.keySet()) {
                assertSame(after.get(k), before.get(k), k + " in " + text);
            }
        }

        if (!f.inputs().isEmpty()) {
            Derivative d = f.derivative(f.inputs().get(0));
            String dt = Symbolic.canonical(d.formula());
            Formula dAgain = Formula.compile(dt);
            assertThat(Symbolic.canonical(dAgain)).isEqualTo(dt);
            assertSame(dAgain.program().evaluate(only(dAgain.program(), point)).value(), d.valueAt(only(f.program(), point)),
                    d.text());
        }
    }

    /** Equal as numbers, NaN equal to NaN (and 0.0 apart from -0.0): bit for bit up to NaN payloads. */
    private static void assertSame(double actual, double expected, String what) {
        assertThat(Double.compare(actual, expected)).as("%s: got %s, want %s", what, actual, expected).isZero();
    }

    /** The values of {@code p}'s inputs: a random formula need not use every input of the point. */
    private static Map<String, Double> only(Program p, Map<String, Double> point) {
        Map<String, Double> m = new HashMap<>();
        for (String in : p.inputs()) {
            m.put(in, point.get(in));
        }
        return m;
    }

    private static Map<String, Double> stepValues(Formula f, Map<String, Double> point) {
        Evaluation e = f.program().evaluate(only(f.program(), point));
        Map<String, Double> m = new HashMap<>();
        for (Step s : f.steps()) {
            m.put(s.name(), e.value(s.node()));
        }
        return m;
    }

    // ------------------------------------------------------------------ smoothness

    /** A random point where every step is finite, moderate, and away from kinks and domain edges. */
    static double[] smoothPoint(Program p, Random rnd) {
        for (int attempt = 0; attempt < 20; attempt++) {
            double[] x = new double[p.inputs().size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = -2.5 + 5 * rnd.nextDouble();
            }
            if (smooth(p, x)) {
                return x;
            }
        }
        return null;
    }

    static boolean smooth(Program p, double[] x) {
        Evaluation e = p.evaluate(x);
        for (int i = 0; i <= p.output(); i++) {
            double v = e.value(i);
            if (!Double.isFinite(v) || Math.abs(v) > 1e6) {
                return false;
            }
            Op op = p.op(i);
            if (op == null) {
                continue;
            }
            double a = e.value(p.argument(i, 0));
            double b = p.arity(i) > 1 ? e.value(p.argument(i, 1)) : 0;
            switch (op) {
                case RELU: case ABS: case STEP: case SIGN:
                    if (Math.abs(a) < 1e-3) {
                        return false;
                    }
                    break;
                case MAX: case MIN:
                    for (int j = 0; j < p.arity(i); j++) {
                        for (int k = 0; k < j; k++) {
                            if (Math.abs(e.value(p.argument(i, j)) - e.value(p.argument(i, k))) < 1e-3) {
                                return false;
                            }
                        }
                    }
                    break;
                case ASIN: case ACOS:
                    if (Math.abs(a) > 1 - 1e-3) {
                        return false;
                    }
                    break;
                case LOG1P:
                    if (a <= -1 + 1e-3) {
                        return false;
                    }
                    break;
                case ATAN2: case HYPOT:
                    if (Math.hypot(a, b) < 1e-3) {
                        return false;
                    }
                    break;
                case LOG: case SQRT:
                    if (a <= 1e-3) {
                        return false;
                    }
                    break;
                case POW:
                    // A constant integer exponent allows a negative base: no log(base) is needed.
                    boolean integerPower = p.isConstant(p.argument(i, 1)) && b == Math.rint(b);
                    if (integerPower ? Math.abs(a) <= 1e-3 : a <= 1e-3) {
                        return false;
                    }
                    break;
                case DIV:
                    if (Math.abs(b) < 1e-3) {
                        return false;
                    }
                    break;
                case TAN:
                    if (Math.abs(Math.cos(a)) < 1e-3) {
                        return false;
                    }
                    break;
                default:
            }
        }
        for (double d : e.gradient().inputs().values()) {
            if (!Double.isFinite(d) || Math.abs(d) > 1e6) {
                return false;
            }
        }
        return true;
    }

    /** Signs of every quantity whose sign decides a branch or a domain: equal at x and x ± h. */
    private static String branches(Program p, double[] x) {
        Evaluation e = p.evaluate(x);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i <= p.output(); i++) {
            Op op = p.op(i);
            if (op == null) {
                continue;
            }
            double a = e.value(p.argument(i, 0));
            double b = p.arity(i) > 1 ? e.value(p.argument(i, 1)) : 0;
            switch (op) {
                case RELU: case ABS: case STEP: case SIGN: case LOG: case SQRT:
                    sb.append(Math.signum(a));
                    break;
                case MAX: case MIN:
                    for (int j = 0; j < p.arity(i); j++) {
                        for (int k = 0; k < j; k++) {
                            sb.append(Math.signum(e.value(p.argument(i, j)) - e.value(p.argument(i, k))));
                        }
                    }
                    break;
                case ASIN: case ACOS:
                    sb.append(Math.signum(1 - Math.abs(a)));
                    break;
                case LOG1P:
                    sb.append(Math.signum(1 + a));
                    break;
                case POW:
                    sb.append(Math.signum(a));
                    break;
                case DIV:
                    sb.append(Math.signum(b));
                    break;
                case TAN:
                    sb.append(Math.signum(Math.cos(a)));
                    break;
                default:
            }
        }
        return sb.toString();
    }

    private static double value(Program p, double[] x, int j, double dx) {
        double[] y = x.clone();
        y[j] += dx;
        return p.evaluate(y).value();
    }

    /** (4·D(h/2) − D(h)) / 3 of central differences D; NaN if a branch changes within ±h. */
    private static double richardson(Program p, double[] x, int j, double h) {
        String here = branches(p, x);
        for (double dx : new double[] {h, -h, h / 2, -h / 2}) {
            double[] y = x.clone();
            y[j] += dx;
            if (!branches(p, y).equals(here)) {
                return Double.NaN;
            }
        }
        double dh = (value(p, x, j, h) - value(p, x, j, -h)) / (2 * h);
        double dh2 = (value(p, x, j, h / 2) - value(p, x, j, -h / 2)) / h;
        return (4 * dh2 - dh) / 3;
    }

    private static double maxAbs(Evaluation e, Program p) {
        double m = 0;
        for (int i = 0; i <= p.output(); i++) {
            m = Math.max(m, Math.abs(e.value(i)));
        }
        return m;
    }

    /**
     * Σ over paths of |product of local derivatives| from the output to {@code input}: a reverse
     * sweep with absolute values, the scale against which rounding differences are measured.
     */
    static double absoluteGradient(Program p, Evaluation e, int input) {
        double[] adj = new double[p.output() + 1];
        adj[p.output()] = 1;
        for (int i = p.output(); i >= 0; i--) {
            Op op = p.op(i);
            if (op == null || adj[i] == 0) {
                continue;
            }
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
        return adj[input];
    }

    /** The inputs' names mapped to {@code values}, in input order. */
    private static java.util.Map<String, Double> bind(dev.backprop.graph.Program p, double... values) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            m.put(p.inputs().get(k), values[k]);
        }
        return m;
    }
}
