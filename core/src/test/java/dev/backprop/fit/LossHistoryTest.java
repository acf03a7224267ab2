package dev.backprop.fit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.formula.Formula;
import dev.backprop.optim.Optimizer;
import dev.backprop.random.RandomState;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LossHistoryTest {

    /** Checks the curve against every loss the run produced ({@code all[i]} is step i + 1's). */
    static void assertFaithful(int[] steps, double[] losses, double[] all) {
        int n = all.length;
        assertThat(steps).hasSameSizeAs(losses);
        assertThat(steps.length).isLessThanOrEqualTo(FitResult.MAX_HISTORY);
        assertThat(steps[0]).isEqualTo(1);
        assertThat(steps[steps.length - 1]).isEqualTo(n);
        for (int i = 0; i < steps.length; i++) {
            if (i > 0) {
                assertThat(steps[i]).isGreaterThan(steps[i - 1]);
            }
            assertThat(losses[i]).as("loss at step %d", steps[i]).isEqualTo(all[steps[i] - 1]);
        }
        int lo = 0;
        int hi = 0;
        for (int i = 1; i < n; i++) {
            lo = all[i] < all[lo] ? i : lo;
            hi = all[i] > all[hi] ? i : hi;
        }
        assertThat(steps).contains(lo + 1, hi + 1);
    }

    static double[] record(LossHistory h, double[] all) {
        for (int i = 0; i < all.length; i++) {
            h.add(i + 1, all[i]);
        }
        return all;
    }

    @Test
    void keepsEveryStepUpToTheBound() {
        for (int n : new int[] {1, 2, 3, 1000, LossHistory.MAX_BUCKETS}) {
            double[] all = new double[n];
            RandomState rng = new RandomState(n);
            for (int i = 0; i < n; i++) {
                all[i] = rng.uniform(0, 1);
            }
            LossHistory h = new LossHistory();
            record(h, all);
            LossHistory.Points p = h.points();
            assertThat(p.losses()).as("n = %d", n).containsExactly(all);
            for (int i = 0; i < n; i++) {
                assertThat(p.steps()[i]).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void aLongerRunIsBoundedAndKeepsEndsExtremesAndSpikes() {
        for (int n : new int[] {LossHistory.MAX_BUCKETS + 1, 10_000, 123_457, 1 << 20}) {
            double[] all = new double[n];
            RandomState rng = new RandomState(7);
            for (int i = 0; i < n; i++) {
                all[i] = 1.0 / (i + 1) + 1e-3 * rng.uniform(0, 1);
            }
            all[n / 3] = 50; // a spike
            all[n - 2] = 1e-9; // the minimum, one step before the end
            LossHistory h = new LossHistory();
            record(h, all);
            LossHistory.Points p = h.points();
            assertFaithful(p.steps(), p.losses(), all);
            assertThat(p.steps()).contains(n / 3 + 1, n - 1);
            // The curve still spans the run: no stretch of more than a bucket's width without a point.
            int gap = 0;
            for (int i = 1; i < p.steps().length; i++) {
                gap = Math.max(gap, p.steps()[i] - p.steps()[i - 1]);
            }
            assertThat(gap).as("n = %d", n).isLessThanOrEqualTo(2 * (n / (LossHistory.MAX_BUCKETS / 4)) + 2);
        }
    }

    @Test
    void aMillionStepRunKeepsABoundedHistoryWithTheTrueMinimum() {
        // Four points, one per mini-batch step: a noisy curve whose lowest loss falls anywhere.
        FormulaFit f = FormulaFit.of(Formula.compile("(a*x - y)^2").program(),
                FitTest.columns(new double[] {1, 2, 3, 4}, new double[] {1.1, 1.9, 3.2, 3.9}), List.of("a"));
        int n = 1_000_000;
        double[] all = new double[n];
        FitResult r = f.fit(java.util.Map.of("a", 0.0), Optimizer.gradientDescent(0.01),
                Schedule.steps(n).withBatch(1), (step, total, loss) -> all[step - 1] = loss, new AtomicBoolean());
        assertThat(r.completed()).isTrue();
        assertThat(r.steps()).isEqualTo(n);
        assertThat(r.losses().length).isLessThanOrEqualTo(FitResult.MAX_HISTORY).isGreaterThan(1000);
        assertFaithful(r.lossSteps(), r.losses(), all);
        assertThat(r.losses()[0]).isEqualTo(all[0]);
        assertThat(r.losses()[r.losses().length - 1]).isEqualTo(all[n - 1]);
    }
}
