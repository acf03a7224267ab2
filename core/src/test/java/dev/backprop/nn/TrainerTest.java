package dev.backprop.nn;

import static dev.backprop.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.check.FiniteDifference;
import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import dev.backprop.testing.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainerTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> fixture(String name) {
        for (Object c : (List<Object>) Json.resource("/trainer/steps.json")) {
            Map<String, Object> m = (Map<String, Object>) c;
            if (m.get("name").equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no case " + name);
    }

    /** Two SGD steps against PyTorch autograd (make_reference.py): losses, gradients, parameters. */
    @ParameterizedTest
    @ValueSource(strings = {"squared", "xent_labels", "xent_soft"})
    void twoStepsMatchPyTorch(String name) {
        Map<String, Object> fx = fixture(name);
        Trainer.Loss loss = fx.get("loss").equals("squared") ? Trainer.Loss.SQUARED_ERROR : Trainer.Loss.SOFTMAX_CROSS_ENTROPY;
        Trainer t = new Trainer(Fixtures.network(fx), loss);
        Tensor x = Tensor.matrix(Json.matrix(fx.get("x")));
        Tensor y = Tensor.matrix(Json.matrix(fx.get("y")));
        double lr = Fixtures.number(fx, "lr");

        assertThat(t.step(x, y, lr)).isCloseTo(Fixtures.number(fx, "loss1"), within(1e-13));
        List<Tensor> dw = Fixtures.matrices(fx, "dweights");
        List<Tensor> db = Fixtures.matrices(fx, "dbiases");
        for (int k = 0; k < dw.size(); k++) {
            assertClose("dW" + k, t.weightGradient(k), dw.get(k), 1e-10);
            assertClose("db" + k, t.biasGradient(k), db.get(k), 1e-10);
        }
        assertClose("W after 1", t.network().weights(), Fixtures.matrices(fx, "weights1"), 1e-12);
        assertClose("b after 1", t.network().biases(), Fixtures.matrices(fx, "biases1"), 1e-12);

        assertThat(t.step(x, y, lr)).isCloseTo(Fixtures.number(fx, "loss2"), within(1e-13));
        assertClose("W after 2", t.network().weights(), Fixtures.matrices(fx, "weights2"), 1e-12);
        assertClose("b after 2", t.network().biases(), Fixtures.matrices(fx, "biases2"), 1e-12);
    }

    /** ∂ℓ/∂θ of the softmax cross-entropy against central differences of the loss, every parameter. */
    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Network net = Init.he(new RandomState(7), 4, 5, 2, 3);
        RandomState rng = new RandomState(8);
        // Non-zero biases: with zero ones a column whose hidden units are all off puts the next
        // pre-activation exactly on the ReLU kink, where a difference quotient sees half a slope.
        for (int k = 0; k <= net.layers(); k++) {
            net = net.withBias(k, Tensor.column(rng.normal(net.bias(k).dim(0))));
        }
        Tensor x = Tensor.matrix(rng.normal(4, 6));
        Tensor y = Trainer.oneHot(new int[] {0, 2, 1, 1, 0, 2}, 3);
        Trainer t = new Trainer(net, Trainer.Loss.SOFTMAX_CROSS_ENTROPY);
        t.step(x, y, 0.0); // η = 0: gradients only, parameters unchanged
        assertThat(t.network().weights()).isEqualTo(net.weights());
        Network base = net;
        for (int k = 0; k <= net.layers(); k++) {
            int layer = k;
            double[] w0 = base.weight(k).toArray();
            int[] shape = base.weight(k).shape();
            double[] gw = t.weightGradient(k).toArray();
            for (int i = 0; i < w0.length; i++) {
                double fd = FiniteDifference.central(wv -> lossAt(base.withWeight(layer, Tensor.of(wv, shape)), x, y), w0, i, 1e-6);
                assertThat(gw[i]).as("dW%d[%d]", k, i).isCloseTo(fd, within(1e-8 + 1e-6 * Math.abs(fd)));
            }
            double[] b0 = base.bias(k).toArray();
            double[] gb = t.biasGradient(k).toArray();
            for (int i = 0; i < b0.length; i++) {
                double fd = FiniteDifference.central(bv -> lossAt(base.withBias(layer, Tensor.of(bv, bv.length, 1)), x, y), b0, i, 1e-6);
                assertThat(gb[i]).as("db%d[%d]", k, i).isCloseTo(fd, within(1e-8 + 1e-6 * Math.abs(fd)));
            }
        }
    }

    private static double lossAt(Network n, Tensor x, Tensor y) {
        return new Trainer(n, Trainer.Loss.SOFTMAX_CROSS_ENTROPY).evaluate(x, y);
    }

    /** The squared-error gradient is the book's explicit backward pass divided by the batch size. */
    @Test
    void squaredErrorAgreesWithTheExplicitBackwardPass() {
        Network net = Init.he(new RandomState(3), 30, 40, 3, 7);
        RandomState rng = new RandomState(4);
        Tensor x = Tensor.matrix(rng.normal(30, 50));
        Tensor y = Tensor.matrix(rng.normal(7, 50));
        Trainer t = new Trainer(net, Trainer.Loss.SQUARED_ERROR);
        double loss = t.step(x, y, 0.5);
        Backward ref = net.backward(x, y);
        assertThat(loss).isCloseTo(ref.loss() / 50, within(1e-12 * ref.loss()));
        for (int k = 0; k <= net.layers(); k++) {
            assertClose("dW" + k, t.weightGradient(k), ref.dlDweight().get(k).mul(1.0 / 50), 1e-9);
            assertClose("db" + k, t.biasGradient(k), ref.dlDbias().get(k).mul(1.0 / 50), 1e-9);
            assertClose("W" + k, t.network().weight(k), net.weight(k).sub(ref.dlDweight().get(k).mul(0.5 / 50)), 1e-9);
        }
    }

    /** The summed trainer (train's path) gives the explicit backward pass's numbers, in the flat order fit uses. */
    @Test
    void summedGradientIsTheExplicitBackwardPassInFlatOrder() {
        Network net = Init.he(new RandomState(5), 6, 9, 2, 3);
        RandomState rng = new RandomState(6);
        Tensor x = Tensor.matrix(rng.normal(6, 11));
        Tensor y = Tensor.matrix(rng.normal(3, 11));
        Trainer t = Trainer.summed(net, Trainer.Loss.SQUARED_ERROR);
        double loss = t.lossAndGradient(x.toArray(), y.toArray(), 11);
        Backward ref = net.backward(x, y);
        assertThat(loss).isCloseTo(ref.loss(), within(1e-12 * ref.loss()));
        double[] flat = new double[t.parameterCount()];
        t.gradient(flat);
        int at = 0;
        for (int k = 0; k <= net.layers(); k++) {
            for (Tensor want : List.of(ref.dlDweight().get(k), ref.dlDbias().get(k))) {
                double[] w = want.toArray();
                for (int i = 0; i < w.length; i++, at++) {
                    assertThat(flat[at]).as("gradient %d", at).isCloseTo(w[i], within(1e-10 * Math.max(1, Math.abs(w[i]))));
                }
            }
        }
        assertThat(at).isEqualTo(flat.length);
        // Parameters set from a flat vector move the loss as that vector says.
        double[] p = dev.backprop.fit.NetworkFit.flatten(net);
        p[0] += 1;
        t.parameters(p);
        Network moved = dev.backprop.fit.NetworkFit.unflatten(net, p);
        assertThat(t.evaluate(x.toArray(), y.toArray(), 11)).isCloseTo(moved.backward(x, y).loss(), within(1e-9 * ref.loss()));
    }

    @Test
    void crossEntropyDoesNotOverflowOnLargeOutputs() {
        Network net = new Network(List.of(Tensor.matrix(new double[][] {{1000}, {-1000}})), List.of(Tensor.column(0, 0)));
        Trainer t = new Trainer(net, Trainer.Loss.SOFTMAX_CROSS_ENTROPY);
        // Outputs (1000, −1000): the right class costs e^−2000 ≈ 0, the wrong one 2000.
        assertThat(t.evaluate(Tensor.matrix(new double[][] {{1}}), Trainer.oneHot(new int[] {0}, 2))).isEqualTo(0.0);
        assertThat(t.evaluate(Tensor.matrix(new double[][] {{1}}), Trainer.oneHot(new int[] {1}, 2))).isEqualTo(2000.0);
    }

    @Test
    void badShapesAndNumbersAreRejectedWithTheShapes() {
        Trainer t = new Trainer(Init.he(new RandomState(0), 3, 4, 1, 2), Trainer.Loss.SQUARED_ERROR);
        assertThatThrownBy(() -> t.step(Tensor.zeros(4, 5), Tensor.zeros(2, 5), 0.1))
                .hasMessage("input must have shape (3, N), one column per example; got (4, 5)");
        assertThatThrownBy(() -> t.step(Tensor.zeros(3, 5), Tensor.zeros(2, 4), 0.1))
                .hasMessage("target must have shape (2, 5) to match the input; got (2, 4)");
        assertThatThrownBy(() -> t.step(Tensor.zeros(3, 5), Tensor.zeros(2, 5), Double.NaN))
                .hasMessageContaining("learning rate");
        assertThatThrownBy(() -> t.weightGradient(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Trainer.oneHot(new int[] {2}, 2)).hasMessageContaining("outside 0..1");
    }

    /**
     * With no hidden layer and Ω = I the outputs are the inputs, so which class wins is known:
     * columns (3,1,0) → 0, (0,5,1) → 1, (2,2,0) → 0 (the first on a tie), (0,0,7) → 2, and a
     * column with NaN predicts nothing.
     */
    @Test
    void accuracyCountsTheExamplesWhoseLargestOutputIsTheLabel() {
        Tensor eye = Tensor.matrix(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        Network net = new Network(List.of(eye), List.of(Tensor.column(0, 0, 0)));
        Trainer t = new Trainer(net, Trainer.Loss.SOFTMAX_CROSS_ENTROPY);
        assertThat(t.accuracy()).isNaN(); // no batch yet
        Tensor x = Tensor.matrix(new double[][] {{3, 0, 2, 0, Double.NaN}, {1, 5, 2, 0, 0}, {0, 1, 0, 7, 0}});
        // Right, right, right (the tie goes to class 0), wrong (2 is predicted, 1 is the label), NaN.
        t.evaluate(x, Trainer.oneHot(new int[] {0, 1, 0, 1, 0}, 3));
        assertThat(t.accuracy()).isEqualTo(3.0 / 5);
        // The same through a step, on another batch size.
        t.lossAndGradient(new double[] {0, 9, 1, 0, 0, 4}, Trainer.oneHot(new int[] {1, 1}, 3).toArray(), 2);
        assertThat(t.accuracy()).isEqualTo(0.5);
        // Soft targets: right when the predicted class is where the target column is largest.
        t.evaluate(Tensor.matrix(new double[][] {{5}, {0}, {0}}), Tensor.matrix(new double[][] {{0.6}, {0.3}, {0.1}}));
        assertThat(t.accuracy()).isEqualTo(1.0);
        assertThat(new Trainer(net, Trainer.Loss.SQUARED_ERROR).accuracy()).isNaN();
        Trainer squared = new Trainer(net, Trainer.Loss.SQUARED_ERROR);
        squared.evaluate(x, Trainer.oneHot(new int[] {0, 1, 0, 1, 0}, 3));
        assertThat(squared.accuracy()).isNaN();
    }

    @Test
    void classLabelsAreWholeNumbersFromZero() {
        assertThat(Trainer.labels(new double[] {0, 2, 1, -0.0, 7})).containsExactly(0, 2, 1, 0, 7);
        assertThat(Trainer.firstNonLabel(new double[] {0, 1, 2})).isEqualTo(-1);
        for (double bad : new double[] {2.5, -1, Double.NaN, Double.POSITIVE_INFINITY, 1e10, 1e-300}) {
            assertThat(Trainer.firstNonLabel(new double[] {0, 1, bad, 2.5})).as("%s", bad).isEqualTo(2);
        }
        assertThatThrownBy(() -> Trainer.labels(new double[] {1, 0.5}))
                .hasMessage("the value at index 1 is 0.5, not a class label (a whole number 0, 1, 2, …)");
    }
}
