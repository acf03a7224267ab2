package dev.backprop.nn;

import static dev.backprop.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The network's forward pass and both backward passes on the parameters numpy drew for notebook
 * 7.2 (so these tests do not depend on the random number generator), and the two backward passes
 * against each other.
 */
class NetworkTest {

    @ParameterizedTest
    @ValueSource(strings = {"deep_default", "deep_seed3"})
    void forwardAndExplicitBackwardMatchNumpy(String name) {
        Map<String, Object> fx = Fixtures.load(name);
        Network net = Fixtures.network(fx);
        Tensor x = Tensor.full(Fixtures.number(fx, "x"), 1, 1);
        Tensor y = Tensor.full(Fixtures.number(fx, "y"), 1, 1);
        Forward fw = net.forward(x);
        assertThat(fw.output().item()).isCloseTo(Fixtures.number(fx, "output"), org.assertj.core.api.Assertions.withinPercentage(1e-7));
        assertClose("f", fw.f(), Fixtures.matrices(fx, "f"), 1e-9);
        assertClose("h", fw.h(), Fixtures.matrices(fx, "h"), 1e-9);

        Backward bw = net.backward(fw, y, Indicator.POSITIVE);
        assertThat(bw.loss()).isCloseTo(Fixtures.number(fx, "loss"), org.assertj.core.api.Assertions.withinPercentage(1e-7));
        assertClose("dl_df", bw.dlDf(), Fixtures.matrices(fx, "dl_df"), 1e-9);
        assertClose("dl_dh", bw.dlDh(), Fixtures.matrices(fx, "dl_dh"), 1e-9);
        assertClose("dl_dbias", bw.dlDbias(), Fixtures.matrices(fx, "dl_dbias"), 1e-9);
        assertClose("dl_dweight", bw.dlDweight(), Fixtures.matrices(fx, "dl_dweight"), 1e-9);
        assertClose("dl_dinput", bw.dlDinput(), Tensor.matrix(dev.backprop.testing.Json.matrix(fx.get("dl_dinput"))), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep_default", "deep_seed3"})
    void autogradAgreesWithExplicitBackpropOnTheNotebookNetworks(String name) {
        Map<String, Object> fx = Fixtures.load(name);
        Network net = Fixtures.network(fx);
        Tensor x = Tensor.full(Fixtures.number(fx, "x"), 1, 1);
        Tensor y = Tensor.full(Fixtures.number(fx, "y"), 1, 1);
        assertAgree(net.autograd(x, y), net.backward(x, y));
    }

    /** A batch of examples, several widths and depths; the bias gradient sums over the batch. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 9})
    void autogradAgreesWithExplicitBackpropOnBatches(int layers) {
        Random rng = new Random(layers);
        Network net = random(rng, 3, 7, layers, 2);
        Tensor x = gaussian(rng, 3, 11);
        Tensor y = gaussian(rng, 2, 11);
        Backward explicit = net.backward(x, y);
        assertAgree(net.autograd(x, y), explicit);

        Tensor biasSum = Tensor.zeros(7, 1);
        for (int c = 0; c < 11; c++) {
            Tensor xc = column(x, c);
            Tensor yc = column(y, c);
            biasSum = biasSum.add(net.backward(xc, yc).dlDbias().get(0));
        }
        assertClose("batch bias gradient = sum over examples", explicit.dlDbias().get(0), biasSum, 1e-12);
    }

    /** The two indicators differ exactly where a pre-activation is 0; autograd's relu is I[f > 0]. */
    @Test
    void indicatorMattersOnlyAtZero() {
        // f_0 = (x, 0, −x): the middle unit sits exactly at 0.
        Tensor w0 = Tensor.column(1, 0, -1);
        Tensor w1 = Tensor.matrix(new double[][] {{1, 1, 1}});
        Network net = new Network(List.of(w0, w1), List.of(Tensor.zeros(3, 1), Tensor.zeros(1, 1)));
        Tensor x = Tensor.column(2.0);
        Tensor y = Tensor.column(-1.0);
        Forward fw = net.forward(x);
        Backward pos = net.backward(fw, y, Indicator.POSITIVE);
        Backward nonNeg = net.backward(fw, y, Indicator.NON_NEGATIVE);
        assertThat(pos.dlDf().get(0).toArray()).containsExactly(6, 0, 0);
        assertThat(nonNeg.dlDf().get(0).toArray()).containsExactly(6, 6, 0);
        assertThat(net.autograd(x, y).dlDf().get(0)).isEqualTo(pos.dlDf().get(0));
        assertThat(Indicator.NON_NEGATIVE.at(0)).isEqualTo(1);
        assertThat(Indicator.POSITIVE.at(0)).isEqualTo(0);
    }

    @Test
    void badShapesAreRefusedWithOneLine() {
        Tensor w = Tensor.zeros(3, 1);
        assertThatThrownBy(() -> new Network(List.of(w), List.of()))
                .hasMessage("a network needs as many bias vectors as weight matrices, at least one; got 1 and 0");
        assertThatThrownBy(() -> new Network(List.of(w), List.of(Tensor.zeros(2, 1))))
                .hasMessage("bias 0 must have shape (3, 1) to match weight 0 (3, 1), got (2, 1)");
        assertThatThrownBy(() -> new Network(List.of(w, Tensor.zeros(1, 4)), List.of(Tensor.zeros(3, 1), Tensor.zeros(1, 1))))
                .hasMessage("weight 1 (1, 4) does not take the 3 outputs of weight 0 (3, 1)");
        Network net = new Network(List.of(w, Tensor.zeros(1, 3)), List.of(Tensor.zeros(3, 1), Tensor.zeros(1, 1)));
        assertThatThrownBy(() -> net.forward(Tensor.zeros(2, 1)))
                .hasMessage("input must have shape (1, N), one column per example; got (2, 1)");
        assertThatThrownBy(() -> net.backward(Tensor.zeros(1, 1), Tensor.zeros(2, 1)))
                .hasMessage("backward: output shape (1, 1) and target shape (2, 1) differ");
    }

    static void assertAgree(Backward auto, Backward explicit) {
        assertThat(auto.loss()).isCloseTo(explicit.loss(), org.assertj.core.api.Assertions.within(1e-12 * Math.abs(explicit.loss())));
        assertClose("dl_df", auto.dlDf(), explicit.dlDf(), 1e-12);
        assertClose("dl_dh", auto.dlDh(), explicit.dlDh(), 1e-12);
        assertClose("dl_dbias", auto.dlDbias(), explicit.dlDbias(), 1e-12);
        assertClose("dl_dweight", auto.dlDweight(), explicit.dlDweight(), 1e-12);
    }

    static Network random(Random rng, int in, int width, int layers, int out) {
        List<Tensor> ws = new ArrayList<>();
        List<Tensor> bs = new ArrayList<>();
        for (int k = 0; k <= layers; k++) {
            int rows = k == layers ? out : width;
            int cols = k == 0 ? in : width;
            ws.add(gaussian(rng, rows, cols));
            bs.add(gaussian(rng, rows, 1));
        }
        return new Network(ws, bs);
    }

    static Tensor gaussian(Random rng, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextGaussian();
        }
        return Tensor.of(d, rows, cols);
    }

    static Tensor column(Tensor m, int c) {
        double[] d = new double[m.dim(0)];
        for (int r = 0; r < d.length; r++) {
            d[r] = m.get(r, c);
        }
        return Tensor.column(d);
    }
}
