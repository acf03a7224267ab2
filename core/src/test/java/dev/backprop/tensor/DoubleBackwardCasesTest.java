package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Double backward at the places a table of random cases does not reach: a whole Hessian (which
 * must be symmetric), the strong zeros of masked branches with NaN and ∞ in them, a third
 * derivative, and what the API refuses.
 */
class DoubleBackwardCasesTest {

    /** A small function of two matrices through a product, a softmax, a maximum, a slice and a join. */
    private static TensorVar f(TensorVar a, TensorVar b) {
        TensorVar z = a.matmul(b).tanh();                                     // (2, 2)
        TensorVar joined = TensorVar.concat(1, z, a.slice(1, 0, 1).exp());    // (2, 3)
        return joined.logSoftmax(1).mul(joined.max(1, true)).sum().add(b.square().sin().sum());
    }

    @Test
    void theHessianOfATensorFunctionIsSymmetric() {
        TensorTape tape = new TensorTape();
        TensorVar a = tape.input(Tensor.matrix(new double[][] {{0.3, -1.2, 0.7}, {1.1, 0.4, -0.5}}));
        TensorVar b = tape.input(Tensor.matrix(new double[][] {{0.9, -0.2}, {0.1, 0.6}, {-0.8, 0.35}}));
        TensorGradients g = tape.gradient(f(a, b), true);
        TensorVar[] in = {a, b};
        int n = 12;
        double[][] h = new double[n][];
        for (int i = 0; i < n; i++) {
            // row i: the gradient of the i-th gradient element, picked out by a one-hot weight
            int which = i / 6, at = i % 6;
            double[] onehot = new double[6];
            onehot[at] = 1;
            TensorVar gi = g.var(in[which]).mul(tape.constant(Tensor.of(onehot, in[which].shape()))).sum();
            TensorGradients row = tape.gradient(gi);
            h[i] = new double[n];
            for (int j = 0; j < n; j++) {
                h[i][j] = row.of(in[j / 6]).at(j % 6);
            }
        }
        double largest = 0;
        for (double[] r : h) {
            for (double e : r) {
                largest = Math.max(largest, Math.abs(e));
            }
        }
        assertThat(largest).as("a Hessian with something in it").isGreaterThan(0.1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                assertThat(h[i][j]).as("H[%d][%d] against H[%d][%d]", i, j, j, i).isCloseTo(h[j][i], within(1e-14 * largest));
            }
        }
    }

    @Test
    void aMaskedBranchPassesZeroAtEveryOrderWhateverNaNOrInfinityItHolds() {
        double inf = Double.POSITIVE_INFINITY;
        TensorTape tape = new TensorTape();
        // √relu(x): at x ≤ 0 (−∞ included) √′(0) = ∞ meets relu′ = 0, a strong zero; NaN stays NaN
        TensorVar x = tape.input(Tensor.vector(-1, 4, 0, -inf, Double.NaN));
        TensorVar y = x.relu().sqrt();
        TensorGradients numeric = tape.gradient(y.sum());
        TensorGradients g = tape.gradient(y.sum(), true);
        double[] want = {0, 0.25, 0, 0, Double.NaN};
        assertThat(numeric.of(x).toArray()).containsExactly(want);
        assertThat(g.of(x).toArray()).containsExactly(want);
        // d²/dx² √x at 4 is −¼·4^(−3/2) = −1/32; nothing else moves
        assertThat(tape.gradient(g.var(x).sum()).of(x).toArray()).containsExactly(0, -1.0 / 32, 0, 0, Double.NaN);

        // where(mask, log u, u²): log's 1/u is ∞ at 0 and NaN at NaN, in the branch not taken
        TensorVar u = tape.input(Tensor.vector(0, 2, Double.NaN, -3));
        TensorVar w = TensorVar.where(Tensor.mask(new boolean[] {false, true, false, false}, 4), u.log(), u.square());
        TensorGradients gw = tape.gradient(w.sum(), true);
        assertThat(gw.of(u).toArray()).containsExactly(0, 0.5, Double.NaN, -6); // NaN²'s derivative is NaN: NaN in, NaN out
        // (u²)'' = 2 reads no u, so it is 2 at NaN too, as in PyTorch; log'' = −1/u² where taken
        assertThat(tape.gradient(gw.var(u).sum()).of(u).toArray()).containsExactly(2, -0.25, 2, 2);
        assertThat(tape.gradient(w.slice(0, 0, 2).sum(), true).var(u).value().toArray())
                .as("the NaN element's own branch is not reached").containsExactly(0, 0.5, 0, 0);
    }

    @Test
    void aRecordedGradientCanBeRecordedAgainForAThirdDerivative() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.vector(0.5, -1.0, 2.0));
        TensorVar f = x.pow(4).add(x.sin()).sum();
        TensorVar d1 = tape.gradient(f, true).var(x);
        TensorVar d2 = tape.gradient(d1.sum(), true).var(x);
        Tensor d3 = tape.gradient(d2.sum()).of(x);
        double[] xs = {0.5, -1.0, 2.0};
        for (int i = 0; i < 3; i++) {
            assertThat(d2.value().at(i)).isCloseTo(12 * xs[i] * xs[i] - Math.sin(xs[i]), within(1e-14 * 48));
            assertThat(d3.at(i)).isCloseTo(24 * xs[i] - Math.cos(xs[i]), within(1e-14 * 48));
        }
    }

    @Test
    void whereNothingFlowsTheGradientIsAConstantZero() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.matrix(new double[][] {{1, 2}, {3, 4}}));
        TensorVar unused = tape.input(Tensor.vector(5, 6, 7));
        TensorVar c = tape.constant(Tensor.vector(1, 1));
        TensorGradients g = tape.gradient(x.matmul(x).sum(), true);
        assertThat(g.var(unused).value()).isEqualTo(Tensor.zeros(3));
        assertThat(g.var(c).value()).isEqualTo(Tensor.zeros(2));
        // the gradient of a linear function of x is a constant: its own gradient is zero
        TensorGradients lin = tape.gradient(x.mul(3).sum(), true);
        assertThat(tape.gradient(lin.var(x).square().sum()).of(x)).isEqualTo(Tensor.zeros(2, 2));
    }

    @Test
    void badRequestsAreRefusedWithAReason() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.vector(1, 2));
        TensorGradients numeric = tape.gradient(x.square().sum());
        assertThatThrownBy(() -> numeric.var(x)).isInstanceOf(IllegalStateException.class)
                .hasMessage("these gradients are numbers only: take them with gradient(output, true) to differentiate them again");
        assertThatThrownBy(() -> tape.gradient(x.square(), true))
                .hasMessage("gradient: the output must hold one number, got shape (2,)");
        TensorVar other = new TensorTape().input(Tensor.vector(1));
        assertThatThrownBy(() -> tape.gradient(x.sum(), true).var(other)).hasMessage("that tensor was recorded on another tape");
    }
}
