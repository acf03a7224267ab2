package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.book.ToyModel;
import dev.backprop.fit.FitResult;
import dev.backprop.fit.FormulaFit;
import dev.backprop.fit.NetworkFit;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.fit.StopReason;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import dev.backprop.nn.Init;
import dev.backprop.nn.Network;
import dev.backprop.optim.Optimizer;
import dev.backprop.random.RandomState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Fits over Spark against the same fits on one machine: the same loop, the same batches, so the
 * same parameters within rounding (the partitions' sums are added in another order; over a few
 * hundred steps that difference stays far below the tolerance used, 1e-9 relative).
 */
class SparkFitTest {
    static {
        Local.spark();
    }

    static void assertClose(double[] got, double[] want, double rel) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs(got[i] - want[i])).as("parameter " + i + ": " + got[i] + " vs " + want[i])
                    .isLessThanOrEqualTo(rel * Math.max(1, Math.abs(want[i])));
        }
    }

    /** Fits on one machine and on Spark (3 partitions) with the same optimiser and schedule; returns both. */
    static FitResult[] both(String formula, Columns data, Map<String, Double> init, Supplier<Optimizer> opt, Schedule schedule) {
        Formula f = Formula.compile(formula);
        FitResult one = FormulaFit.of(f, data, init.keySet()).fit(init, opt.get(), schedule, Progress.NONE, new AtomicBoolean());
        try (SparkFit s = SparkFit.of(f, SparkSumTest.frame(data, 3), "points", init.keySet())) {
            FitResult many = s.fit(init, opt.get(), schedule, Progress.NONE, new AtomicBoolean());
            assertThat(many.steps()).isEqualTo(one.steps());
            assertThat(many.stop()).isEqualTo(one.stop());
            return new FitResult[] {many, one};
        }
    }

    static Map<String, Double> ab(double a, double b) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    @Test
    void aStraightLineByEachFullBatchOptimiser() {
        Columns data = SparkSumTest.points(600, 7);
        String line = "(a*x + b - y)^2";
        for (Supplier<Optimizer> opt : List.<Supplier<Optimizer>>of(
                () -> Optimizer.gradientDescent(1e-4),
                () -> Optimizer.momentum(1e-4, 0.9),
                () -> Optimizer.nesterov(1e-4, 0.9),
                () -> Optimizer.adam(0.05),
                () -> Optimizer.newton(1.0))) {
            FitResult[] r = both(line, data, ab(0.0, 1.0), opt, Schedule.steps(40));
            assertClose(r[0].params(), r[1].params(), 1e-9);
            assertThat(Math.abs(r[0].loss() - r[1].loss())).isLessThanOrEqualTo(1e-9 * r[1].loss());
            assertThat(r[1].loss()).isLessThan(r[1].initialLoss()); // the fit went somewhere
        }
    }

    @Test
    void miniBatchesAreTheSameRowsAsOnOneMachine() {
        Columns data = SparkSumTest.points(500, 8);
        FitResult[] r = both("(a*x + b - y)^2", data, ab(0.0, 1.0), () -> Optimizer.adam(0.05),
                Schedule.epochs(3).withBatch(32).withSeed(11));
        assertThat(r[1].steps()).isEqualTo(3 * 16);
        assertClose(r[0].params(), r[1].params(), 1e-9);
        assertClose(r[0].losses(), r[1].losses(), 1e-9);
    }

    @Test
    void theToyModelByAdam() {
        Columns data = SparkSumTest.points(2_000, 9);
        Map<String, Double> init = new LinkedHashMap<>(SparkSumTest.toyPoint());
        FitResult[] r = both(ToyModel.PROGRAM, data, init, () -> Optimizer.adam(0.01), Schedule.steps(60));
        assertClose(r[0].params(), r[1].params(), 1e-9);
    }

    @Test
    void aDivergingFitKeepsTheLastFiniteParametersAsOnOneMachine() {
        Columns data = SparkSumTest.points(300, 10);
        FitResult[] r = both("(a*x + b - y)^2", data, ab(0.0, 1.0), () -> Optimizer.gradientDescent(10), Schedule.steps(500));
        assertThat(r[1].stop()).isInstanceOf(StopReason.Diverged.class);
        assertThat(java.util.Arrays.stream(r[0].params()).allMatch(Double::isFinite)).isTrue();
        assertClose(r[0].params(), r[1].params(), 1e-9);
    }

    @Test
    void anEmptyDataSetIsRefusedAsOnOneMachine() {
        Formula f = Formula.compile("(a*x + b - y)^2");
        Dataset<Row> none = SparkSumTest.frame(SparkSumTest.points(10, 4), 2).limit(0);
        try (SparkFit s = SparkFit.of(f, none, "none", List.of("a", "b"))) {
            assertThatThrownBy(() -> s.fit(ab(1, 1), Optimizer.adam(0.1), Schedule.steps(3), Progress.NONE, new AtomicBoolean()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("the data has no rows");
        }
    }

    @Test
    void badParametersGetFormulaFitsWords() {
        Formula f = Formula.compile("(a*x + b - y)^2");
        Dataset<Row> rows = SparkSumTest.frame(SparkSumTest.points(10, 4), 2);
        String want = null;
        try {
            FormulaFit.of(f, SparkSumTest.points(10, 4), List.of("a"));
        } catch (IllegalArgumentException e) {
            want = e.getMessage();
        }
        assertThat(want).contains("input 'b' is neither a column");
        assertThatThrownBy(() -> SparkFit.of(f, rows, "points", List.of("a"))).hasMessage(want);
    }

    @Test
    void aNetworkTrainsAsOnOneMachine() {
        Columns data = SparkSumTest.points(400, 12);
        Network init = Init.he(new RandomState(3), 1, 6, 2, 1);
        for (Schedule schedule : List.of(Schedule.steps(30), Schedule.epochs(2).withBatch(50).withSeed(5))) {
            NetworkFit.Trained one = NetworkFit.of(data, List.of("x"), List.of("y"))
                    .fit(init, Optimizer.adam(0.01), schedule, Progress.NONE, new AtomicBoolean());
            try (SparkNetworkFit s = SparkNetworkFit.of(SparkSumTest.frame(data, 3), "points", List.of("x"), List.of("y"))) {
                NetworkFit.Trained many = s.fit(init, Optimizer.adam(0.01), schedule, Progress.NONE, new AtomicBoolean());
                assertThat(many.result().steps()).isEqualTo(one.result().steps());
                assertClose(many.result().params(), one.result().params(), 1e-9);
                assertThat(one.result().loss()).isLessThan(one.result().initialLoss());
                assertThat(Math.abs(s.loss(many.network()) - many.result().loss())).isLessThanOrEqualTo(1e-9 * many.result().loss());
            }
        }
    }

    /** Columns x, y of {@link SparkSumTest#points} and c: a class label from the band of x (three classes). */
    static Columns labelled(int n, long seed) {
        Columns p = SparkSumTest.points(n, seed);
        double[] x = p.column("x");
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = x[i] < -1.3 ? 0 : x[i] < 1.3 ? 1 : 2;
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", p.column("y"));
        m.put("c", c);
        return new Columns(m);
    }

    @Test
    void aClassifierTrainsAsOnOneMachine() {
        Columns data = labelled(300, 31);
        Network init = Init.he(new RandomState(4), 2, 5, 1, 3);
        for (Schedule schedule : List.of(Schedule.steps(25), Schedule.epochs(2).withBatch(40).withSeed(6))) {
            NetworkFit single = NetworkFit.classifier(data, List.of("x", "y"), "c", 0);
            NetworkFit.Trained one = single.fit(init, Optimizer.adam(0.05), schedule, Progress.NONE, new AtomicBoolean());
            try (SparkNetworkFit s = SparkNetworkFit.classifier(SparkSumTest.frame(data, 3), "points", List.of("x", "y"), "c", 0)) {
                NetworkFit.Trained many = s.fit(init, Optimizer.adam(0.05), schedule, Progress.NONE, new AtomicBoolean());
                assertThat(many.result().steps()).isEqualTo(one.result().steps());
                assertClose(many.result().params(), one.result().params(), 1e-9);
                assertThat(Math.abs(many.result().loss() - one.result().loss())).isLessThanOrEqualTo(1e-9 * one.result().loss());
                assertThat(one.result().loss()).isLessThan(one.result().initialLoss());
                assertThat(many.initialAccuracy()).isEqualTo(one.initialAccuracy());
                assertThat(many.accuracy()).isEqualTo(one.accuracy()).isGreaterThan(one.initialAccuracy());
                assertThat(Math.abs(s.loss(init) - single.loss(init))).isLessThanOrEqualTo(1e-12 * single.loss(init));
            }
        }
    }

    /** The message of the IllegalArgumentException {@code r} throws (failing if it throws none). */
    static String message(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("no IllegalArgumentException");
    }

    @Test
    void badLabelsGiveTheSingleMachineMessages() {
        Columns good = labelled(60, 32);
        for (double bad : new double[] {1.5, -1, Double.NaN}) {
            Map<String, double[]> m = new LinkedHashMap<>();
            double[] c = good.column("c").clone();
            c[47] = bad; // in the fourth of four partitions
            c[52] = 0.5; // after it: the first bad one is named
            m.put("x", good.column("x"));
            m.put("c", c);
            Columns data = new Columns(m);
            String want = message(() -> NetworkFit.classifier(data, List.of("x"), "c", 0));
            assertThat(want).contains("index 47");
            assertThatThrownBy(() -> SparkNetworkFit.classifier(SparkSumTest.frame(data, 4), "points", List.of("x"), "c", 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(want);
        }
        // Labels 0, 1, 2 with two classes asked for: the first row labelled 2.
        String want = message(() -> NetworkFit.classifier(good, List.of("x"), "c", 2));
        assertThat(want).startsWith("label ");
        assertThatThrownBy(() -> SparkNetworkFit.classifier(SparkSumTest.frame(good, 4), "points", List.of("x"), "c", 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(want);
    }

    @Test
    void partitionsWithNoRowsTakePartInMiniBatchFits() {
        Columns data = SparkSumTest.points(10, 14);
        Formula f = Formula.compile("(a*x + b - y)^2");
        Schedule schedule = Schedule.epochs(4).withBatch(3).withSeed(2);
        FitResult one = FormulaFit.of(f, data, List.of("a", "b")).fit(ab(0, 1), Optimizer.adam(0.1), schedule, Progress.NONE,
                new AtomicBoolean());
        // 10 rows sliced in order over 16 partitions: 6 of them empty.
        try (SparkFit s = SparkFit.of(f, SparkSumTest.frame(data, 16), "points", List.of("a", "b"))) {
            long[] starts = s.data().starts();
            int empty = 0;
            for (int k = 0; k + 1 < starts.length; k++) {
                empty += starts[k + 1] == starts[k] ? 1 : 0;
            }
            assertThat(empty).isEqualTo(6);
            FitResult many = s.fit(ab(0, 1), Optimizer.adam(0.1), schedule, Progress.NONE, new AtomicBoolean());
            assertThat(many.steps()).isEqualTo(one.steps()).isEqualTo(16);
            assertClose(many.params(), one.params(), 1e-9);
            assertClose(many.losses(), one.losses(), 1e-9);
        }
    }
}
