package dev.backprop.fit;

import static org.assertj.core.api.Assertions.assertThat;

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
        Trainer trainer = Trainer.summed(init, Trainer.Loss.SQUARED_ERROR);
        double[] params = NetworkFit.flatten(init);
        RandomState shuffle = new RandomState(seed);
        double[] losses = new double[epochs * ((N + batch - 1) / batch)];
        int step = 0;
        for (int e = 0; e < epochs; e++) {
            int[] order = shuffle.permutation(N);
            for (int pos = 0; pos < N; pos += batch) {
                int[] rows = Arrays.copyOfRange(order, pos, Math.min(pos + batch, N));
                double[] xb = new double[IN * rows.length];
                double[] yb = new double[OUT * rows.length];
                for (int j = 0; j < rows.length; j++) {
                    for (int i = 0; i < IN; i++) {
                        xb[i * rows.length + j] = x[i * N + rows[j]];
                    }
                    for (int i = 0; i < OUT; i++) {
                        yb[i * rows.length + j] = y[i * N + rows[j]];
                    }
                }
                double loss = opt.step(params, (p, g) -> {
                    trainer.parameters(p);
                    double l = trainer.lossAndGradient(xb, yb, rows.length);
                    trainer.gradient(g);
                    return l;
                });
                losses[step++] = loss * ((double) N / rows.length);
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
}
