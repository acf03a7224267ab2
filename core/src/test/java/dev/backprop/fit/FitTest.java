package dev.backprop.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.book.Demo;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import dev.backprop.nn.Init;
import dev.backprop.nn.Network;
import dev.backprop.optim.Optimizer;
import dev.backprop.random.RandomState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FitTest {

    static Columns columns(double[] x, double[] y) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        return new Columns(m);
    }

    /** Noise-free y = 1.5·sin(2x) on [−2, 2]: the truth is the only oracle needed. */
    static Columns sine() {
        int n = 200;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -2 + 4.0 * i / (n - 1);
            y[i] = 1.5 * Math.sin(2 * x[i]);
        }
        return columns(x, y);
    }

    static FormulaFit sineFit() {
        return FormulaFit.of(Formula.compile("(a*sin(b*x) - y)^2").program(), sine(), List.of("a", "b"));
    }

    @Test
    void recoversTheParametersOfASine() {
        FitResult r = sineFit().fit(Map.of("a", 1.0, "b", 1.6), Optimizer.adam(0.01, 0.9, 0.999, 1e-8), Schedule.steps(3000));
        assertThat(r.completed()).isTrue();
        assertThat(r.paramMap().get("a")).isCloseTo(1.5, within(1e-4));
        assertThat(r.paramMap().get("b")).isCloseTo(2.0, within(1e-4));
        assertThat(r.loss()).isLessThan(1e-6);
        assertThat(r.steps()).isEqualTo(3000);
        assertThat(r.losses()[0]).isEqualTo(r.initialLoss());
    }

    @Test
    void everyOptimiserLowersTheLoss() {
        Map<String, Double> init = Map.of("a", 1.0, "b", 1.8);
        for (Optimizer o : List.of(Optimizer.gradientDescent(1e-4), Optimizer.momentum(1e-3, 0.9),
                Optimizer.nesterov(1e-3, 0.9), Optimizer.adam(0.01, 0.9, 0.999, 1e-8))) {
            FitResult r = sineFit().fit(init, o, Schedule.steps(500));
            assertThat(r.loss()).as(o.getClass().getSimpleName()).isLessThan(r.initialLoss() / 10);
        }
    }

    @Test
    void lineMatchesNumpysLeastSquares() {
        // core/src/test/resources/fit/make_line.py: np.polyfit on the same points
        double[] x = new double[50];
        double[] y = new double[50];
        RandomState rng = new RandomState(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(-1, 1);
        }
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 * x[i] - 1 + rng.normal(0, 0.3);
        }
        FormulaFit f = FormulaFit.of(Formula.compile("(a*x + b - y)^2").program(), columns(x, y), List.of("a", "b"));
        FitResult r = f.fit(Map.of("a", 0.0, "b", 0.0), Optimizer.momentum(0.02, 0.9), Schedule.steps(3000));
        assertThat(r.paramMap().get("a")).isCloseTo(NumpyLine.SLOPE, within(1e-9));
        assertThat(r.paramMap().get("b")).isCloseTo(NumpyLine.INTERCEPT, within(1e-9));
    }

    @Test
    void miniBatchesAreReproducibleAndDependOnTheSeed() {
        Map<String, Double> init = Map.of("a", 1.0, "b", 1.8);
        Schedule s = Schedule.epochs(3).withBatch(32).withSeed(7);
        FitResult r1 = sineFit().fit(init, Optimizer.adam(0.01, 0.9, 0.999, 1e-8), s);
        FitResult r2 = sineFit().fit(init, Optimizer.adam(0.01, 0.9, 0.999, 1e-8), s);
        FitResult r3 = sineFit().fit(init, Optimizer.adam(0.01, 0.9, 0.999, 1e-8), s.withSeed(8));
        assertThat(r1.steps()).isEqualTo(3 * 7); // 200 points in batches of 32: 6 full, 1 of 8
        assertThat(r1.params()).containsExactly(r2.params());
        assertThat(r1.params()).isNotEqualTo(r3.params());
    }

    @Test
    void firstMiniBatchIsThePermutationsFirstRows() {
        // The first step's loss (scaled by N/B) must equal the loss summed over permutation(n)[0..B).
        Columns d = sine();
        FormulaFit f = sineFit();
        Map<String, Double> init = Map.of("a", 1.0, "b", 1.8);
        FitResult r = f.fit(init, Optimizer.gradientDescent(1e-9), new Schedule(1, 0, 10, 5));
        int[] perm = new RandomState(5).permutation(d.rows());
        double[] point = f.pointLosses(init);
        double sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += point[perm[i]];
        }
        assertThat(r.losses()[0]).isCloseTo(sum * d.rows() / 10, within(1e-9));
    }

    @Test
    void divergenceKeepsTheLastFiniteParameters() {
        FitResult r = sineFit().fit(Map.of("a", 1.0, "b", 1.8), Optimizer.gradientDescent(1e6), Schedule.steps(1000));
        assertThat(r.stop()).isInstanceOf(StopReason.Diverged.class);
        int at = ((StopReason.Diverged) r.stop()).step();
        assertThat(at).isBetween(2, 1000);
        assertThat(java.util.Arrays.stream(r.params()).allMatch(Double::isFinite)).isTrue();
        assertThat(r.loss()).isFinite();
        assertThat(r.steps()).isEqualTo(at);
    }

    @Test
    void anInterruptStopsBetweenSteps() {
        AtomicBoolean stop = new AtomicBoolean();
        FitResult r = sineFit().fit(Map.of("a", 1.0, "b", 1.8), Optimizer.adam(0.01, 0.9, 0.999, 1e-8), Schedule.steps(1000),
                (step, total, loss) -> {
                    if (step == 5) {
                        stop.set(true);
                    }
                }, stop);
        assertThat(r.stop()).isEqualTo(new StopReason.Interrupted(5));
        assertThat(r.losses()).hasSize(5);
    }

    @Test
    void progressSeesEveryStep() {
        List<Integer> steps = new ArrayList<>();
        sineFit().fit(Map.of("a", 1.0, "b", 1.8), Optimizer.adam(0.01, 0.9, 0.999, 1e-8), Schedule.steps(7),
                (step, total, loss) -> {
                    assertThat(total).isEqualTo(7);
                    steps.add(step);
                }, new AtomicBoolean());
        assertThat(steps).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void badParametersAreNamed() {
        var p = Formula.compile("(a*sin(b*x) - y)^2").program();
        assertThatThrownBy(() -> FormulaFit.of(p, sine(), List.of("a", "q"))).hasMessageContaining("unknown parameter 'q'");
        assertThatThrownBy(() -> FormulaFit.of(p, sine(), List.of("a"))).hasMessageContaining("input 'b' is neither");
        assertThatThrownBy(() -> FormulaFit.of(p, sine(), List.of("a", "b", "x"))).hasMessageContaining("'x' is both");
        assertThatThrownBy(() -> sineFit().fit(Map.of("a", 1.0), Optimizer.gradientDescent(0.1), Schedule.steps(1)))
                .hasMessageContaining("no starting value for parameter 'b'");
    }

    @Test
    void scheduleCountsSteps() {
        assertThat(Schedule.epochs(2).withBatch(3).stepsFor(10)).isEqualTo(8);
        assertThat(Schedule.epochs(2).stepsFor(10)).isEqualTo(2);
        assertThat(Schedule.steps(5).withBatch(3).stepsFor(10)).isEqualTo(5);
        assertThatThrownBy(() -> new Schedule(1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Data on a cluster may hold more than 2³¹ − 1 rows: a full-batch run takes them (every step
     * asks for all rows), mini-batches, drawn from a permutation of int row numbers, are refused.
     * The problem here is Σ (a − 1)² over 3·10⁹ rows, known in closed form.
     */
    @Test
    void fullBatchesTakeMoreRowsThanAnInt() {
        long n = 3_000_000_000L;
        List<int[]> asked = new ArrayList<>();
        Problem p = new Problem() {
            @Override
            public long rows() {
                return n;
            }

            @Override
            public double loss(int[] rows, double[] params, double[] gradient) {
                asked.add(rows);
                double d = params[0] - 1;
                if (gradient != null) {
                    gradient[0] = 2 * n * d;
                }
                return n * d * d;
            }
        };
        // a ← a − α·2n(a − 1) with α·2n = 0.6: the distance to 1 shrinks 0.4× a step.
        FitResult r = Loop.run(List.of("a"), new double[] {0}, p, Optimizer.gradientDescent(1e-10), Schedule.steps(20),
                Progress.NONE, new AtomicBoolean());
        assertThat(r.completed()).isTrue();
        assertThat(r.params()[0]).isCloseTo(1 - Math.pow(0.4, 20), within(1e-12));
        assertThat(asked).hasSize(22).allMatch(rows -> rows == null); // 20 steps, the loss before and after
        assertThatThrownBy(() -> Loop.run(List.of("a"), new double[] {0}, p, Optimizer.gradientDescent(1e-10),
                Schedule.steps(20).withBatch(1000), Progress.NONE, new AtomicBoolean()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("3000000000 rows: mini-batches are drawn from a permutation of the row numbers, at most 2147483647 rows; "
                        + "use full batches (no batch size) for more");
        assertThat(Schedule.epochs(3).stepsFor(n)).isEqualTo(3);
        assertThat(Schedule.epochs(3).workFor(n)).isEqualTo(9_000_000_000L);
        assertThat(Schedule.steps(Integer.MAX_VALUE).workFor(Long.MAX_VALUE / 2)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> Schedule.epochs(1).withBatch(1).stepsFor(n)).hasMessageContaining("too many steps");
    }

    @Test
    void demoLowersTheLossTenfold() {
        Demo.Result d = Demo.run();
        assertThat(d.fit().completed()).isTrue();
        assertThat(d.fit().loss()).isLessThan(d.fit().initialLoss() / 10);
        // The noise floor: about N·σ² = 1; the fit should come close to the true parameters' loss.
        assertThat(d.fit().loss()).isLessThan(2 * d.trueLoss());
    }

    @Test
    void demoDataMatchesNumpy() {
        // core/src/test/resources/fit/make_line.py prints these from np.random.RandomState(0)
        Columns d = Demo.data(0);
        assertThat(d.column("x")[0]).isEqualTo(NumpyLine.DEMO_X0);
        assertThat(d.column("y")[99]).isCloseTo(NumpyLine.DEMO_Y99, within(1e-12));
    }

    @Test
    void networkFitLowersTheLoss() {
        int n = 64;
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        RandomState rng = new RandomState(1);
        for (int i = 0; i < n; i++) {
            x1[i] = rng.uniform(-1, 1);
            x2[i] = rng.uniform(-1, 1);
            y[i] = Math.abs(x1[i]) + 0.5 * x2[i];
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x1", x1);
        m.put("x2", x2);
        m.put("y", y);
        NetworkFit f = NetworkFit.of(new Columns(m), List.of("x1", "x2"), List.of("y"));
        Network init = Init.he(new RandomState(0), 2, 8, 2, 1);
        NetworkFit.Trained t = f.fit(init, Optimizer.adam(0.01, 0.9, 0.999, 1e-8), Schedule.epochs(200).withBatch(16));
        assertThat(t.result().initialLoss()).isCloseTo(f.loss(init), within(1e-12));
        assertThat(t.result().loss()).isCloseTo(f.loss(t.network()), within(1e-12));
        assertThat(t.result().loss()).isLessThan(t.result().initialLoss() / 10);
    }

    @Test
    void flattenRoundTrips() {
        Network net = Init.he(new RandomState(0), 3, 4, 2, 2);
        double[] p = NetworkFit.flatten(net);
        assertThat(p).hasSize(4 * 3 + 4 + 4 * 4 + 4 + 2 * 4 + 2);
        assertThat(NetworkFit.flatten(NetworkFit.unflatten(net, p))).containsExactly(p);
        assertThat(NetworkFit.names(net)).hasSize(p.length).startsWith("omega0[0,0]", "omega0[0,1]");
    }

    @Test
    void theFittedCurveIsTheTargetThatMinimisesTheLoss() {
        Columns data = new Columns(Map.of("x", new double[] {0, 1, 2}, "y", new double[] {0, 1, 4}));
        FormulaFit fit = FormulaFit.of(Formula.compile("(a*sin(b*x) - y)^2"), data, List.of("a", "b"));
        double[] xs = {-1, 0.5, 3};
        double[] curve = fit.bestTargets("x", "y", xs, Map.of("a", 1.5, "b", 2.0));
        for (int i = 0; i < xs.length; i++) {
            assertThat(curve[i]).isCloseTo(1.5 * Math.sin(2 * xs[i]), within(1e-12));
        }
        assertThatThrownBy(() -> fit.bestTargets("x", "a", xs, Map.of("a", 1.0, "b", 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two columns");
    }
}
