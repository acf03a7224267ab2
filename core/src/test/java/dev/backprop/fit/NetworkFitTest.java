package dev.backprop.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.nn.Init;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.optim.Optimizer;
import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * NetworkFit against the plainest loop that does what its documentation says: a fresh batch array
 * per step, the parameters copied in and the gradient out, the optimiser's update. The two must
 * give the same numbers bit for bit, however NetworkFit and Loop reuse their arrays.
 */
class NetworkFitTest {
    static final int N = 70;
    static final int IN = 3;
    static final int OUT = 2;

    static double[] normals(RandomState r, int count) {
        double[] d = new double[count];
        for (int i = 0; i < count; i++) {
            d[i] = r.standardNormal();
        }
        return d;
    }

    /** The documented run, written out: RandomState(seed).permutation per epoch, batches in that order. */
    static double[][] reference(double[] x, double[] y, Network init, Optimizer opt, int epochs, int batch, long seed) {
        return reference(x, y, init, opt, epochs, batch, seed, false);
    }

    /**
     * The same, for least squares (summed over the batch, shown × N / B) or, when
     * {@code classifier}, for cross-entropy (averaged over the batch, shown as it is).
     */
    static double[][] reference(double[] x, double[] y, Network init, Optimizer opt, int epochs, int batch, long seed,
                                boolean classifier) {
        Trainer trainer = classifier ? new Trainer(init, Trainer.Loss.SOFTMAX_CROSS_ENTROPY)
                : Trainer.summed(init, Trainer.Loss.SQUARED_ERROR);
        int out = y.length / N;
        double[] params = NetworkFit.flatten(init);
        RandomState shuffle = new RandomState(seed);
        double[] losses = new double[epochs * ((N + batch - 1) / batch)];
        int step = 0;
        for (int e = 0; e < epochs; e++) {
            int[] order = shuffle.permutation(N);
            for (int pos = 0; pos < N; pos += batch) {
                int[] rows = Arrays.copyOfRange(order, pos, Math.min(pos + batch, N));
                double[] xb = new double[IN * rows.length];
                double[] yb = new double[out * rows.length];
                for (int j = 0; j < rows.length; j++) {
                    for (int i = 0; i < IN; i++) {
                        xb[i * rows.length + j] = x[i * N + rows[j]];
                    }
                    for (int i = 0; i < out; i++) {
                        yb[i * rows.length + j] = y[i * N + rows[j]];
                    }
                }
                double loss = opt.step(params, (p, g) -> {
                    trainer.parameters(p);
                    double l = trainer.lossAndGradient(xb, yb, rows.length);
                    trainer.gradient(g);
                    return l;
                });
                losses[step++] = classifier ? loss : loss * ((double) N / rows.length);
            }
        }
        return new double[][] {params, losses};
    }

    @Test
    void miniBatchRunEqualsTheWrittenOutLoopBitForBit() {
        RandomState r = new RandomState(3);
        double[] x = normals(r, IN * N);
        double[] y = normals(r, OUT * N);
        Network init = Init.he(new RandomState(0), IN, 8, 2, OUT);
        // 70 = 4 × 16 + 6: every epoch ends with a smaller batch, so the batch arrays change size twice an epoch.
        NetworkFit fit = NetworkFit.of(Tensor.of(x, IN, N), Tensor.of(y, OUT, N));
        for (Optimizer[] pair : new Optimizer[][] {
                {Optimizer.adam(0.01, 0.9, 0.999, 1e-8), Optimizer.adam(0.01, 0.9, 0.999, 1e-8)},
                {Optimizer.nesterov(0.01, 0.9), Optimizer.nesterov(0.01, 0.9)}}) {
            FitResult got = fit.fit(init, pair[0], new Schedule(0, 3, 16, 7)).result();
            double[][] want = reference(x, y, init, pair[1], 3, 16, 7);
            assertThat(got.steps()).isEqualTo(15);
            assertThat(got.losses()).containsExactly(want[1]);
            assertThat(got.params()).containsExactly(want[0]);
        }
    }

    @Test
    void divergenceKeepsTheParametersOfTheLastFiniteStep() {
        RandomState r = new RandomState(4);
        double[] x = normals(r, IN * N);
        double[] y = normals(r, OUT * N);
        Network init = Init.he(new RandomState(0), IN, 8, 2, OUT);
        NetworkFit fit = NetworkFit.of(Tensor.of(x, IN, N), Tensor.of(y, OUT, N));
        FitResult diverged = fit.fit(init, Optimizer.gradientDescent(1e3), Schedule.steps(500).withBatch(16)).result();
        assertThat(diverged.stop()).isInstanceOf(StopReason.Diverged.class);
        int at = ((StopReason.Diverged) diverged.stop()).step();
        assertThat(at).isGreaterThan(2);
        // A non-finite loss at step `at` keeps where step at − 1 started (its loss was the last finite
        // one): a run of at − 2 steps ends there. A finite loss with a non-finite update keeps where
        // step `at` started: a run of at − 1 steps.
        int kept = Double.isFinite(diverged.losses()[at - 1]) ? at - 1 : at - 2;
        FitResult shorter = fit.fit(init, Optimizer.gradientDescent(1e3), Schedule.steps(kept).withBatch(16)).result();
        assertThat(shorter.completed()).isTrue();
        assertThat(diverged.params()).containsExactly(shorter.params());
    }

    /** Gradient descent whose update at step {@code badStep} puts an infinity into the parameters. */
    static Optimizer breaksAt(int badStep) {
        return new Optimizer() {
            private int t;

            @Override
            public double step(double[] params, dev.backprop.optim.Objective objective) {
                double[] g = new double[params.length];
                double loss = objective.evaluate(params, g);
                for (int i = 0; i < params.length; i++) {
                    params[i] -= 0.01 * g[i];
                }
                if (++t == badStep) {
                    params[params.length / 2] = Double.POSITIVE_INFINITY;
                }
                return loss;
            }

            @Override
            public void reset() {
                t = 0;
            }
        };
    }

    @Test
    void aNonFiniteUpdateKeepsTheParametersItStartedFrom() {
        RandomState r = new RandomState(5);
        double[] x = normals(r, IN * N);
        double[] y = normals(r, OUT * N);
        Network init = Init.he(new RandomState(0), IN, 8, 2, OUT);
        NetworkFit fit = NetworkFit.of(Tensor.of(x, IN, N), Tensor.of(y, OUT, N));
        FitResult broken = fit.fit(init, breaksAt(5), Schedule.steps(9).withBatch(16)).result();
        assertThat(broken.stop()).isEqualTo(new StopReason.Diverged(5));
        assertThat(broken.losses()).hasSize(5);
        assertThat(Arrays.stream(broken.losses()).allMatch(Double::isFinite)).isTrue();
        FitResult four = fit.fit(init, breaksAt(0), Schedule.steps(4).withBatch(16)).result();
        assertThat(broken.params()).containsExactly(four.params());
        assertThat(broken.loss()).isEqualTo(four.loss());
    }

    /** Three classes by the sign pattern of two inputs, the third input noise. */
    static int[] labels(double[] x) {
        int[] l = new int[N];
        for (int j = 0; j < N; j++) {
            l[j] = x[j] > 0 ? (x[N + j] > 0 ? 2 : 1) : 0;
        }
        return l;
    }

    /** A classifier's mini-batch run is the written-out loop with the batch-mean cross-entropy, unscaled. */
    @Test
    void classifierRunEqualsTheWrittenOutLoopBitForBit() {
        RandomState r = new RandomState(6);
        double[] x = normals(r, IN * N);
        int[] labels = labels(x);
        Network init = Init.he(new RandomState(1), IN, 8, 2, 3);
        NetworkFit fit = NetworkFit.classifier(Tensor.of(x, IN, N), labels, 3);
        assertThat(fit.isClassifier()).isTrue();
        for (Optimizer[] pair : new Optimizer[][] {
                {Optimizer.adam(0.01, 0.9, 0.999, 1e-8), Optimizer.adam(0.01, 0.9, 0.999, 1e-8)},
                {Optimizer.momentum(0.1, 0.9), Optimizer.momentum(0.1, 0.9)}}) {
            NetworkFit.Trained t = fit.fit(init, pair[0], new Schedule(0, 3, 16, 7));
            double[][] want = reference(x, Trainer.oneHot(labels, 3).toArray(), init, pair[1], 3, 16, 7, true);
            assertThat(t.result().losses()).containsExactly(want[1]);
            assertThat(t.result().params()).containsExactly(want[0]);
            // The loss over all the rows is their mean too, and the accuracies are the network's.
            assertThat(t.result().loss()).isEqualTo(fit.loss(t.network()));
            assertThat(t.result().initialLoss()).isEqualTo(new Trainer(init, Trainer.Loss.SOFTMAX_CROSS_ENTROPY)
                    .evaluate(Tensor.of(x, IN, N), Trainer.oneHot(labels, 3)));
            assertThat(t.accuracy()).isEqualTo(fit.accuracy(t.network()));
            assertThat(t.initialAccuracy()).isEqualTo(fit.accuracy(init));
        }
    }

    /** The progress of a classifier's run carries each step's batch accuracy; it learns the sign pattern. */
    @Test
    void classifierProgressReportsTheAccuracyAndItLearns() {
        RandomState r = new RandomState(8);
        double[] x = normals(r, IN * N);
        int[] labels = labels(x);
        NetworkFit fit = NetworkFit.classifier(Tensor.of(x, IN, N), labels, 3);
        java.util.List<Double> seen = new java.util.ArrayList<>();
        Progress p = new Progress() {
            @Override
            public void report(int step, int total, double loss) {
                throw new AssertionError("a classifier reports its accuracy");
            }

            @Override
            public void report(int step, int total, double loss, double accuracy) {
                seen.add(accuracy);
            }
        };
        NetworkFit.Trained t = fit.fit(Init.he(new RandomState(2), IN, 16, 2, 3), Optimizer.adam(0.02, 0.9, 0.999, 1e-8),
                new Schedule(0, 60, 16, 0), p, new java.util.concurrent.atomic.AtomicBoolean());
        assertThat(seen).hasSize(t.result().steps());
        // Batches of 16 and a last one of 6: every accuracy is a whole number of rows over those.
        assertThat(seen).allSatisfy(a -> assertThat(a * 16 == Math.rint(a * 16) || a * 6 == Math.rint(a * 6)).isTrue());
        assertThat(t.initialAccuracy()).isLessThan(0.8);
        assertThat(t.accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(seen.get(seen.size() - 1)).isGreaterThan(0.8);
    }

    /** Least squares reports no accuracy: the three-number progress, NaN in the result. */
    @Test
    void leastSquaresHasNoAccuracy() {
        RandomState r = new RandomState(9);
        NetworkFit fit = NetworkFit.of(Tensor.of(normals(r, IN * N), IN, N), Tensor.of(normals(r, OUT * N), OUT, N));
        assertThat(fit.isClassifier()).isFalse();
        NetworkFit.Trained t = fit.fit(Init.he(new RandomState(0), IN, 4, 1, OUT), Optimizer.gradientDescent(1e-3), Schedule.steps(2));
        assertThat(t.accuracy()).isNaN();
        assertThat(t.initialAccuracy()).isNaN();
    }

    @Test
    void classifierFromColumnsChecksItsLabels() {
        dev.backprop.io.Columns data = dev.backprop.io.Csv.parse("d.csv", java.util.List.of(
                "x,name,label", "0.5,a,0", "1.5,b,2", "-1,c,1"));
        NetworkFit fit = NetworkFit.classifier(data, java.util.List.of("x"), "label", 0);
        assertThat(fit.outputSize()).isEqualTo(3);
        assertThat(NetworkFit.classifier(data, java.util.List.of("x"), "label", 5).outputSize()).isEqualTo(5);
        assertThatThrownBy(() -> NetworkFit.classifier(data, java.util.List.of("x"), "label", 2))
                .hasMessage("label 1 is 2, outside 0..1");
        assertThatThrownBy(() -> NetworkFit.classifier(data, java.util.List.of("x"), "x", 0))
                .hasMessage("column 'x': the value at index 0 is 0.5, not a class label (a whole number 0, 1, 2, …)");
        assertThatThrownBy(() -> NetworkFit.classifier(data, java.util.List.of("x"), "name", 0))
                .isInstanceOf(dev.backprop.io.DataException.class).hasMessage("d.csv:2:2: 'a' is not a number (column name)");
        assertThatThrownBy(() -> NetworkFit.classifier(data, java.util.List.of("name"), "label", 0))
                .isInstanceOf(dev.backprop.io.DataException.class);
        assertThatThrownBy(() -> NetworkFit.classifier(data, java.util.List.of("x"), "nope", 0))
                .hasMessageContaining("no column 'nope'");
    }
}
