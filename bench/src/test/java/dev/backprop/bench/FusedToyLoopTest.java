package dev.backprop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.book.ToyModel;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Program;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The peer must compute what our engine computes, or the comparison means nothing: the fused loop's
 * sums against the scalar engine evaluated point by point (an independent derivation: the tape's
 * reverse sweep over the formula text, not the hand-written equations).
 */
class FusedToyLoopTest {
    // Three chunks, the last odd, so threads share the work and the last leaves a scalar tail.
    private static final int N = 2 * FusedToyLoop.CHUNK + 1_003;

    @Test
    void lossAndGradientMatchTheScalarEngineOnEveryThreadCount() {
        ToyData data = ToyData.generate(N);
        double[] p = ToyData.parameters();
        double[] expected = pointByPoint(data, p);
        for (int threads : new int[] {1, 2, 3}) {
            try (FusedToyLoop loop = new FusedToyLoop(threads)) {
                double[] got = loop.lossAndGradient(data.x(), data.y(), p);
                for (int k = 0; k < 9; k++) {
                    assertThat(got[k]).as("component %d with %d threads", k, threads)
                            .isCloseTo(expected[k], within(1e-10 * (1 + Math.abs(expected[k]))));
                }
                assertThat(loop.loss(data.x(), data.y(), p))
                        .isCloseTo(expected[0], within(1e-10 * expected[0]));
            }
        }
    }

    @Test
    void tinyInputsRunOnTheScalarTailAlone() {
        double[] x = {0.5};
        double[] y = {-1.0};
        double[] p = ToyData.parameters();
        double[] expected = new double[9];
        FusedToyLoop.addPoint(x[0], y[0], p, expected);
        try (FusedToyLoop loop = new FusedToyLoop(2)) {
            assertThat(loop.lossAndGradient(x, y, p)).containsExactly(expected);
        }
    }

    /** {ℓ, ∂β0..∂β3, ∂ω0..∂ω3} summed with the tape engine, one point at a time. */
    private static double[] pointByPoint(ToyData data, double[] p) {
        Program program = ToyModel.formula().program();
        Map<String, Double> at = new HashMap<>();
        for (int k = 0; k < 8; k++) {
            at.put(ToyData.PARAMETERS.get(k), p[k]);
        }
        double[] sum = new double[9];
        for (int i = 0; i < data.n(); i++) {
            at.put("x", data.x()[i]);
            at.put("y", data.y()[i]);
            Evaluation e = program.evaluate(at);
            sum[0] += e.value();
            Map<String, Double> g = e.gradient().inputs();
            for (int k = 0; k < 8; k++) {
                sum[1 + k] += g.get(ToyData.PARAMETERS.get(k));
            }
        }
        return sum;
    }
}
