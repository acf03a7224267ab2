package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.check.AllClose;
import dev.backprop.check.GradientCheck;
import dev.backprop.check.HessianCheck;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.Program;
import dev.backprop.graph.Tape;
import dev.backprop.graph.Var;
import dev.backprop.io.Columns;
import dev.backprop.op.CustomFunction;
import dev.backprop.op.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Custom functions in every engine and mode, held to the same mathematics written out as a plain
 * formula (whose own engines are held to PyTorch by {@code EnginesAgreeTest} and {@code OpTest}),
 * and to PyTorch itself ({@code custom/make_reference.py}):
 * swish of one argument and g(u, v, w) = u·v² + sin(w·u) of three, each registered twice, with
 * numeric partials (Java lambdas) and with formula partials.
 */
class CustomFunctionTest {

    static double sigmoid(double z) {
        return Op.SIGMOID.apply(z);
    }

    static final CustomFunction SWISH = CustomFunction.of("swish", List.of("z"),
            x -> x[0] * sigmoid(x[0]),
            (k, x, y) -> {
                double s = sigmoid(x[0]);
                return s + x[0] * s * (1 - s);
            });

    static final CustomFunction G = CustomFunction.of("g", List.of("u", "v", "w"),
            x -> x[0] * Math.pow(x[1], 2) + Math.sin(x[2] * x[0]),
            (k, x, y) -> switch (k) {
                case 0 -> Math.pow(x[1], 2) + x[2] * Math.cos(x[2] * x[0]);
                case 1 -> 2 * x[0] * x[1];
                default -> x[0] * Math.cos(x[2] * x[0]);
            });

    static final Functions NUMERIC = Functions.builtIn().with(SWISH).with(G);

    static final Functions FORMULAS = Functions.builtIn()
            .withFormulas("swish", List.of("z"), "z*sigmoid(z)", List.of("sigmoid(z) + z*sigmoid(z)*(1 - sigmoid(z))"))
            .withFormulas("g", List.of("u", "v", "w"), "u*v^2 + sin(w*u)",
                    List.of("v^2 + w*cos(w*u)", "2*u*v", "u*cos(w*u)"));

    /** Both custom functions, one feeding the other, so the chain rule runs through each. */
    static final String SOURCE = "h = swish(a*x + b)\nl = (h - y)^2 + g(a, h, b*x)";
    /** The same, written out. */
    static final String PLAIN = "h = (a*x + b)*sigmoid(a*x + b)\nl = (h - y)^2 + (a*h^2 + sin(b*x*a))";

    static final List<Map<String, Double>> POINTS = List.of(
            Map.of("a", 0.7, "x", 1.3, "b", -0.4, "y", 0.2),
            Map.of("a", -1.1, "x", 0.5, "b", 2.0, "y", -0.3),
            Map.of("a", 0.3, "x", -2.2, "b", 0.1, "y", 1.5));

    static Stream<Arguments> registries() {
        return Stream.of(Arguments.of("numeric", NUMERIC), Arguments.of("formulas", FORMULAS));
    }

    static void close(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(expected)));
    }

    static Formula plain() {
        return Formula.compile(PLAIN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void valuesAndGradientsAgreeWithThePlainFormula(String kind, Functions fs) {
        Formula custom = Formula.compile(SOURCE, fs);
        assertThat(custom.inputs()).isEqualTo(plain().inputs());
        for (Map<String, Double> at : POINTS) {
            Evaluation e = custom.program().evaluate(at);
            Evaluation p = plain().program().evaluate(at);
            close(e.value(), p.value(), "value at " + at);
            Map<String, Double> g = e.gradient().inputs();
            Map<String, Double> pg = p.gradient().inputs();
            for (String n : custom.inputs()) {
                close(g.get(n), pg.get(n), "d/d" + n + " at " + at);
            }
        }
    }

    /** The same numbers from PyTorch, the functions written out there: the plain formula is not our only witness. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void valuesGradientsAndHessiansEqualPyTorchs(String kind, Functions fs) {
        Formula custom = Formula.compile(SOURCE, fs);
        List<TorchReference> rows = TorchReference.named("test");
        assertThat(rows).hasSize(POINTS.size());
        for (TorchReference t : rows) {
            assertThat(custom.inputs()).containsExactlyElementsOf(t.point().keySet());
            Evaluation e = custom.program().evaluate(t.point());
            close(e.value(), t.value(), "value at " + t.point());
            Map<String, Double> g = e.gradient().inputs();
            for (String n : custom.inputs()) {
                close(g.get(n), t.gradient().get(n), "d/d" + n + " at " + t.point());
            }
            if (fs == FORMULAS) {
                double[][] h = e.hessian();
                for (int r = 0; r < h.length; r++) {
                    for (int c = 0; c < h.length; c++) {
                        close(h[r][c], t.hessian()[r][c], "H[" + r + "][" + c + "] at " + t.point());
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void forwardModeAgrees(String kind, Functions fs) {
        Formula custom = Formula.compile(SOURCE, fs);
        double[] direction = {0.3, -1.2, 0.5, 2.0};
        for (Map<String, Double> at : POINTS) {
            close(custom.program().evaluate(at).jvp(direction), plain().program().evaluate(at).jvp(direction), "jvp at " + at);
        }
    }

    @Test
    void secondOrderAgreesWhenThePartialsAreFormulas() {
        Formula custom = Formula.compile(SOURCE, FORMULAS);
        List<String> inputs = custom.inputs();
        for (Map<String, Double> at : POINTS) {
            double[][] h = custom.program().evaluate(at).hessian();
            double[][] ph = plain().program().evaluate(at).hessian();
            for (int r = 0; r < h.length; r++) {
                for (int c = 0; c < h.length; c++) {
                    close(h[r][c], ph[r][c], "H[" + inputs.get(r) + "][" + inputs.get(c) + "] at " + at);
                }
            }
            double[] v = {1.0, -0.5, 0.25, 2.0};
            double[] hv = custom.program().evaluate(at).hvp(v);
            double[] phv = plain().program().evaluate(at).hvp(v);
            for (int k = 0; k < hv.length; k++) {
                close(hv[k], phv[k], "Hv[" + k + "] at " + at);
            }
            Program row = custom.program().derivative("b");
            Program prow = plain().program().derivative("b");
            close(row.evaluate(at).value(), prow.evaluate(at).value(), "derivative program's value");
            Map<String, Double> g = row.evaluate(at).gradient().inputs();
            Map<String, Double> pg = prow.evaluate(at).gradient().inputs();
            for (String n : inputs) {
                close(g.get(n), pg.get(n), "d2/db d" + n + " at " + at);
            }
        }
    }

    @Test
    void secondOrderWithNumericPartialsFailsNamingTheFunction() {
        Map<String, Double> at = Map.of("a", 0.7, "x", 1.3);
        Program swish = Formula.compile("swish(a*x)", NUMERIC).program();
        String message = "second derivatives through swish need its partial derivatives as formulas";
        assertThatThrownBy(() -> swish.evaluate(at).hessian())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
        assertThatThrownBy(() -> swish.evaluate(at).hvp(1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
        assertThatThrownBy(() -> swish.derivative("a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
        Program g = Formula.compile("g(a, x, a)", NUMERIC).program();
        assertThatThrownBy(() -> g.evaluate(at).hessian())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("second derivatives through g");
        // A numeric function whose result the output does not depend on is no obstacle.
        double[][] h = Formula.compile("q = swish(a); x*a^2", NUMERIC).program().evaluate(at).hessian();
        assertThat(h[0][0]).isEqualTo(2 * 1.3);
        assertThat(h[1][1]).isEqualTo(0);
    }

    /** Columns x and y of 1000 rows: enough for several blocks and both kernels' tails. */
    static Columns data() {
        Random r = new Random(7);
        double[] x = new double[1000];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() * 2;
            y[i] = r.nextGaussian();
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        return new Columns(m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void theBatchEngineAgreesOnSumsAndGradients(String kind, Functions fs) {
        Columns data = data();
        Map<String, Double> scalars = Map.of("a", 0.7, "b", -0.4);
        for (boolean simd : new boolean[] {false, true}) {
            BatchProgram custom = BatchProgram.compile(Formula.compile(SOURCE, fs).program(), List.of("x", "y")).withSimd(simd);
            BatchProgram plain = BatchProgram.compile(plain().program(), List.of("x", "y")).withSimd(simd);
            BatchResult r = custom.gradient(data, scalars);
            BatchResult p = plain.gradient(data, scalars);
            close(r.sum(), p.sum(), "sum, simd " + simd);
            close(custom.value(data, scalars).sum(), p.sum(), "value-only sum, simd " + simd);
            for (String n : List.of("a", "b")) {
                close(r.gradient().get(n), p.gradient().get(n), "d sum/d" + n + ", simd " + simd);
            }
        }
        // And against the scalar engine, point by point.
        Program scalar = Formula.compile(SOURCE, fs).program();
        double sum = 0;
        double da = 0;
        for (int i = 0; i < data.rows(); i++) {
            Evaluation e = scalar.evaluate(Map.of("a", 0.7, "b", -0.4, "x", data.column("x")[i], "y", data.column("y")[i]));
            sum += e.value();
            da += e.gradient().of("a");
        }
        BatchResult r = BatchProgram.compile(scalar, List.of("x", "y")).withSimd(false).gradient(data, scalars);
        close(r.sum(), sum, "batch sum vs scalar engine");
        close(r.gradient().get("a"), da, "batch d/da vs scalar engine");
    }

    /** The functions are called from both threads at once: they hold no state, so blocks agree with one thread's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void theBatchEngineRunsThemOnSeveralThreads(String kind, Functions fs) {
        Random r = new Random(11);
        double[] x = new double[50_000];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
            y[i] = r.nextGaussian();
        }
        Columns data = new Columns(Map.of("x", x, "y", y));
        Map<String, Double> scalars = Map.of("a", 0.7, "b", -0.4);
        BatchProgram p = BatchProgram.compile(Formula.compile(SOURCE, fs).program(), List.of("x", "y")).withSimd(false);
        BatchResult one = p.withThreads(1).gradient(data, scalars);
        BatchResult two = p.withThreads(2).gradient(data, scalars);
        close(two.sum(), one.sum(), "sum on two threads");
        close(two.gradient().get("a"), one.gradient().get("a"), "d/da on two threads");
        close(two.gradient().get("b"), one.gradient().get("b"), "d/db on two threads");
    }

    @Test
    void theBatchEngineRunsSecondDerivativesOfFormulaPartialsOverData() {
        Columns data = data();
        Map<String, Double> scalars = Map.of("a", 0.7, "b", -0.4);
        Program row = Formula.compile(SOURCE, FORMULAS).program().derivative("a");
        Program prow = plain().program().derivative("a");
        BatchResult r = BatchProgram.compile(row, List.of("x", "y")).withSimd(false).gradient(data, scalars);
        BatchResult p = BatchProgram.compile(prow, List.of("x", "y")).withSimd(false).gradient(data, scalars);
        close(r.sum(), p.sum(), "sum of d/da");
        close(r.gradient().get("a"), p.gradient().get("a"), "sum of d2/da2");
        close(r.gradient().get("b"), p.gradient().get("b"), "sum of d2/da db");
    }

    @Test
    void closedFormsExpandFormulaPartials() {
        Formula custom = Formula.compile(SOURCE, FORMULAS);
        for (String wrt : custom.inputs()) {
            Derivative d = custom.derivative(wrt);
            assertThat(d.text()).as(d.text()).doesNotContain("dswish").doesNotContain("dg_");
            if (!wrt.equals("y")) {
                assertThat(d.text()).as(d.text()).contains("sigmoid(");
            }
            for (Map<String, Double> at : POINTS) {
                close(d.valueAt(at), plain().derivative(wrt).valueAt(at), "closed form d/d" + wrt + " at " + at);
            }
        }
        // The derivative's own derivative, in closed form, is a row of the Hessian.
        Derivative db = custom.derivative("b");
        Map<String, Double> at = POINTS.get(0);
        Derivative dbda = db.formula().derivative("a");
        Map<String, Double> point = new LinkedHashMap<>();
        for (String n : db.formula().inputs()) {
            point.put(n, at.get(n));
        }
        double[][] h = plain().program().evaluate(at).hessian();
        close(dbda.valueAt(point), h[plain().inputs().indexOf("b")][plain().inputs().indexOf("a")], "d2/db da");
    }

    @Test
    void closedFormsCallANumericPartialsOwnFunction() {
        Formula custom = Formula.compile(SOURCE, NUMERIC);
        Derivative da = custom.derivative("a");
        assertThat(da.text()).contains("dswish_dz(a*x + b)").contains("dg_du(a, h, b*x)").contains("dg_dv(a, h, b*x)");
        for (String wrt : custom.inputs()) {
            for (Map<String, Double> at : POINTS) {
                close(custom.derivative(wrt).valueAt(at), plain().derivative(wrt).valueAt(at), "closed form d/d" + wrt);
            }
        }
        // Its functions have no derivative of their own: a second closed form is refused, naming one.
        assertThatThrownBy(() -> da.formula().derivative("a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("d(swish_dz|g_du|g_dv|g_dw), a derivative of (swish|g) given as a number, has no derivative of its own.*");
        // Nor a gradient of the printed derivative.
        assertThatThrownBy(() -> da.formula().program().evaluate(POINTS.get(0)).gradient())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no derivative of its own");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void checkPassesForCorrectPartials(String kind, Functions fs) {
        Formula custom = Formula.compile(SOURCE, fs);
        for (Map<String, Double> at : POINTS) {
            GradientCheck c = GradientCheck.run(custom, at, custom.inputs(), AllClose.NUMPY, Double.NaN);
            assertThat(c.passed()).as(c.entries().toString()).isTrue();
        }
    }

    @Test
    void checkCatchesAWrongPartial() {
        // swish' given as sigmoid(z) alone: the z·σ'(z) term is missing.
        Functions wrong = Functions.builtIn().with(CustomFunction.of("swish", 1,
                x -> x[0] * sigmoid(x[0]), (k, x, y) -> sigmoid(x[0])));
        Formula f = Formula.compile("swish(a*x)", wrong);
        GradientCheck c = GradientCheck.run(f, Map.of("a", 0.7, "x", 1.3), f.inputs(), AllClose.NUMPY, Double.NaN);
        assertThat(c.passed()).isFalse();
        assertThat(c.entries()).allSatisfy(e -> assertThat(e.reason()).contains("differs from the finite difference"));
        Functions wrongFormula = Functions.builtIn().withFormulas("swish", List.of("z"), "z*sigmoid(z)", List.of("sigmoid(z)"));
        Formula g = Formula.compile("swish(a*x)", wrongFormula);
        assertThat(GradientCheck.run(g, Map.of("a", 0.7, "x", 1.3), g.inputs(), AllClose.NUMPY, Double.NaN).passed()).isFalse();
    }

    @Test
    void hessianCheckPassesForFormulaPartials() {
        Formula custom = Formula.compile(SOURCE, FORMULAS);
        HessianCheck c = HessianCheck.run(custom.program(), POINTS.get(1), custom.inputs(), AllClose.NUMPY, Double.NaN);
        assertThat(c.passed()).as(c.entries().toString()).isTrue();
    }

    @Test
    void aTapeRecordsACustomFunctionDirectly() {
        for (CustomFunction swish : List.of(SWISH, FORMULAS.function("swish"))) {
            Tape t = new Tape();
            Var z = t.input("z", 0.8);
            Var w = t.input("w", -1.5);
            Var out = t.apply(swish, z.mul(w)).mul(w);
            Tape p = new Tape();
            Var pz = p.input("z", 0.8);
            Var pw = p.input("w", -1.5);
            Var zw = pz.mul(pw);
            Var pout = zw.mul(zw.sigmoid()).mul(pw);
            close(out.value(), pout.value(), "value");
            Gradient g = t.gradient(out);
            Gradient pg = p.gradient(pout);
            close(g.of("z"), pg.of("z"), "d/dz");
            close(g.of("w"), pg.of("w"), "d/dw");
            Program prog = t.toProgram(out);
            close(prog.evaluate(0.8, -1.5).jvp(1, 1), p.toProgram(pout).evaluate(0.8, -1.5).jvp(1, 1), "jvp");
        }
        // Constant arguments fold, as for a primitive.
        Tape t = new Tape();
        assertThat(t.apply(SWISH, t.constant(1.0)).value()).isEqualTo(sigmoid(1.0));
        assertThat(t.size()).isEqualTo(2);
        assertThatThrownBy(() -> t.apply(SWISH, t.constant(1.0), t.constant(2.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("swish takes 1 argument, got 2");
    }

    @Test
    void tracesAndProgramsShowTheCall() {
        Formula f = Formula.compile("swish(a*x) + g(a, x, 2)", NUMERIC);
        assertThat(f.steps()).extracting(Step::expression).contains("swish(t1)", "g(a, x, 2)");
        Program p = f.program();
        List<String> described = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            if (p.isOperation(i)) {
                described.add(p.describe(i));
                if (p.rule(i) instanceof CustomFunction c) {
                    int node = i;
                    assertThatThrownBy(() -> p.op(node))
                            .isInstanceOf(IllegalStateException.class).hasMessageContaining(c.name());
                }
            }
        }
        assertThat(described).contains("swish(t1)");
        assertThat(Formula.compile("swish(a*x)", FORMULAS).derivative("x").text()).isEqualTo(
                "dvalue_dx = a*(sigmoid(a*x) + a*x*sigmoid(a*x)*(1 - sigmoid(a*x)))");
    }

    @Test
    void registrationErrorsAreClear() {
        assertThatThrownBy(() -> Functions.builtIn().with(CustomFunction.of("sin", 1, x -> 0, (k, x, y) -> 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sin is a built-in function; choose another name for the custom one");
        assertThatThrownBy(() -> NUMERIC.with(CustomFunction.of("swish", 1, x -> 0, (k, x, y) -> 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a custom function called swish is already registered");
        assertThatThrownBy(() -> NUMERIC.with(CustomFunction.of("dswish_dz", 1, x -> 0, (k, x, y) -> 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a custom function called dswish_dz is already registered");
        assertThatThrownBy(() -> Functions.builtIn().with(CustomFunction.of("my-f", 1, x -> 0, (k, x, y) -> 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'my-f' cannot be the name of a function: use letters, digits and _, starting with a letter or _");
        assertThatThrownBy(() -> Functions.builtIn().with(CustomFunction.of("pi", 1, x -> 0, (k, x, y) -> 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pi cannot be the name of a function: it is a constant");
        assertThatThrownBy(() -> Functions.builtIn().with(CustomFunction.of("f", List.of("z 1"), x -> 0, (k, x, y) -> 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'z 1' cannot be the name of a parameter of f: use letters");
        assertThatThrownBy(() -> CustomFunction.of("f", 0, x -> 0, (k, x, y) -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a custom function takes at least 1 argument; f was given 0");
        assertThatThrownBy(() -> CustomFunction.of("f", List.of("a", "a"), x -> 0, (k, x, y) -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("custom function f has two parameters called a");
    }

    @Test
    void formulaRegistrationErrorsNameTheFunctionAndTheFormula() {
        Functions fs = Functions.builtIn();
        assertThatThrownBy(() -> fs.withFormulas("f", List.of("z"), "z*(1 +", List.of("1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of f: 1:7: expected an expression but found end of input");
        assertThatThrownBy(() -> fs.withFormulas("f", List.of("z"), "z*w", List.of("w")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of f uses w, which is not one of its parameters (z)");
        assertThatThrownBy(() -> fs.withFormulas("f", List.of("u", "v"), "u*v", List.of("v", "u", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("f has 2 parameters but 3 partial derivatives were given, one per parameter");
        assertThatThrownBy(() -> fs.withFormulas("f", List.of("u", "v"), "u*v", List.of("v", "nope(u)")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the derivative with respect to v of f: 1:1: unknown function 'nope'");
        assertThatThrownBy(() -> fs.withFormulas("f", List.of("exp"), "exp", List.of("1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the parameter exp of f has the name of a function");
        // A formula may call a function registered before, not the one being defined.
        assertThatThrownBy(() -> fs.withFormulas("f", List.of("z"), "f(z)", List.of("1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the value of f: 1:1: unknown function 'f'");
        Functions nested = FORMULAS.withFormulas("sw2", List.of("t"), "swish(2*t)", List.of("2*(sigmoid(2*t) + 2*t*sigmoid(2*t)*(1 - sigmoid(2*t)))"));
        Formula f = Formula.compile("sw2(x)", nested);
        close(f.program().evaluate(0.4).value(), Formula.compile("2*x*sigmoid(2*x)").program().evaluate(0.4).value(), "nested value");
        close(f.program().evaluate(0.4).hessian()[0][0], Formula.compile("2*x*sigmoid(2*x)").program().evaluate(0.4).hessian()[0][0],
                "nested second derivative");
    }

    @Test
    void formulasUsingCustomFunctionsReportMistakesWithLineAndColumn() {
        assertThatThrownBy(() -> Formula.compile("swish(a, b)", NUMERIC))
                .isInstanceOf(FormulaException.class).hasMessage("1:1: swish takes 1 argument, got 2");
        assertThatThrownBy(() -> Formula.compile("g(a, b)", NUMERIC))
                .isInstanceOf(FormulaException.class).hasMessage("1:1: g takes 3 arguments, got 2");
        assertThatThrownBy(() -> Formula.compile("swish(a)"))
                .isInstanceOf(FormulaException.class).hasMessageStartingWith("1:1: unknown function 'swish' (known: sin, ");
        assertThatThrownBy(() -> Formula.compile("swosh(a)", NUMERIC))
                .isInstanceOf(FormulaException.class).hasMessageEndingWith("logsumexp, swish, dswish_dz, g, dg_du, dg_dv, dg_dw)");
        assertThatThrownBy(() -> Formula.compile("swish = 2*a", NUMERIC))
                .isInstanceOf(FormulaException.class).hasMessage("1:1: cannot assign to 'swish': it is a function");
        assertThatThrownBy(() -> Formula.compile("swish + 1", NUMERIC))
                .isInstanceOf(FormulaException.class).hasMessage("1:7: expected '(' after 'swish' but found '+'");
        assertThatThrownBy(() -> FORMULAS.function("nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no custom function called nope (registered: swish, g)");
    }
}
