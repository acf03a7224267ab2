package dev.backprop.nn;

import dev.backprop.book.BackpropExperiment;
import dev.backprop.book.InitExperiment;

import static dev.backprop.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import dev.backprop.testing.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Notebooks 7.2 and 7.3 as library calls, against the same code run with numpy (make_reference.py). */
class ExperimentTest {

    @Test
    void notebook72DefaultsPrintTheNotebooksNumbers() {
        BackpropExperiment.Result r = BackpropExperiment.run();
        assertThat(String.format(Locale.ROOT, "%.3f", r.output())).isEqualTo("1.907");
        assertThat(String.format(Locale.ROOT, "%.3f", r.loss())).isEqualTo("327.371");
        assertThat(r.allMatch()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep_default", "deep_seed3"})
    void notebook72MatchesNumpy(String name) {
        Map<String, Object> fx = Fixtures.load(name);
        int layers = (int) Fixtures.number(fx, "layers");
        BackpropExperiment.Result r = BackpropExperiment.run((long) Fixtures.number(fx, "seed"), layers,
                (int) Fixtures.number(fx, "width"), Fixtures.number(fx, "x"), Fixtures.number(fx, "y"));

        // The draws must be bit-identical to numpy's.
        assertThat(r.network().weights()).isEqualTo(Fixtures.matrices(fx, "weights"));
        assertThat(r.network().biases()).isEqualTo(Fixtures.matrices(fx, "biases"));

        assertThat(r.output()).isCloseTo(Fixtures.number(fx, "output"), org.assertj.core.api.Assertions.withinPercentage(1e-7));
        assertThat(r.loss()).isCloseTo(Fixtures.number(fx, "loss"), org.assertj.core.api.Assertions.withinPercentage(1e-7));
        assertClose("f", r.f(), Fixtures.matrices(fx, "f"), 1e-9);
        assertClose("h", r.h(), Fixtures.matrices(fx, "h"), 1e-9);
        assertClose("dl_df", r.dlDf(), Fixtures.matrices(fx, "dl_df"), 1e-9);
        assertClose("dl_dbias", r.dlDbias(), Fixtures.matrices(fx, "dl_dbias"), 1e-9);
        assertClose("dl_dweight", r.dlDweight(), Fixtures.matrices(fx, "dl_dweight"), 1e-9);
        assertClose("dl_dinput", r.dlDinput(), Tensor.matrix(Json.matrix(fx.get("dl_dinput"))), 1e-9);

        assertThat(r.biasChecks()).hasSize(layers + 1);
        assertThat(r.weightChecks()).hasSize(layers + 1);
        List<Tensor> biasFd = Fixtures.matrices(fx, "bias_fd");
        List<Tensor> weightFd = Fixtures.matrices(fx, "weight_fd");
        List<?> biasOk = (List<?>) fx.get("bias_ok");
        List<?> weightOk = (List<?>) fx.get("weight_ok");
        for (int k = 0; k <= layers; k++) {
            BackpropExperiment.LayerCheck b = r.biasChecks().get(k);
            BackpropExperiment.LayerCheck w = r.weightChecks().get(k);
            assertThat(b.layer()).isEqualTo(k);
            assertThat(b.backprop()).isEqualTo(r.dlDbias().get(k));
            assertThat(w.backprop()).isEqualTo(r.dlDweight().get(k));
            // A forward difference divides a rounding error of the loss by 1e-6: agree to ~1e-8 absolute.
            assertFd("bias " + k, b.finiteDifference(), biasFd.get(k));
            assertFd("weight " + k, w.finiteDifference(), weightFd.get(k));
            assertThat(b.matches()).as("bias %d Success/Failure", k).isEqualTo(biasOk.get(k));
            assertThat(w.matches()).as("weight %d Success/Failure", k).isEqualTo(weightOk.get(k));
        }
    }

    static void assertFd(String what, Tensor actual, Tensor expected) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Math.abs(actual.at(i) - expected.at(i))).as("%s[%d]", what, i)
                    .isLessThanOrEqualTo(1e-6 + 1e-7 * Math.abs(expected.at(i)));
        }
    }

    @Test
    void notebook73DefaultsPrintTheNotebooksNumbers() {
        InitExperiment.Result r = InitExperiment.run();
        assertThat(r.forwardStd()).hasSize(5);
        assertThat(r.forwardStd().stream().map(v -> String.format(Locale.ROOT, "%.3f", v)))
                .containsExactly("0.811", "1.472", "4.547", "8.896", "10.106");
        assertThat(List.of(4, 3, 2, 1).stream().map(k -> String.format(Locale.ROOT, "%.3f", r.backwardStd(k))))
                .containsExactly("56.472", "109.132", "340.657", "446.654");
    }

    @ParameterizedTest
    @ValueSource(strings = {"init_default", "init_he", "init_deep", "init_deep_small"})
    void notebook73MatchesNumpy(String name) {
        Map<String, Object> fx = Fixtures.load(name);
        int layers = (int) Fixtures.number(fx, "layers");
        int width = (int) Fixtures.number(fx, "width");
        double sigma2 = Fixtures.number(fx, "sigma2");
        InitExperiment.Result r = InitExperiment.run(layers, width, sigma2, (int) Fixtures.number(fx, "n"),
                (int) Fixtures.number(fx, "examples"));

        assertThat(InitExperiment.parameters(layers, width, sigma2).weight(0))
                .isEqualTo(Tensor.matrix(Json.matrix(fx.get("first_weights"))));
        double[] forward = Json.flat(fx.get("forward_std"));
        assertThat(r.forwardStd()).hasSize(layers);
        for (int k = 1; k <= layers; k++) {
            assertRel("forward std of layer " + k, r.forwardStd(k), forward[k - 1]);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> backward = (Map<String, Object>) fx.get("backward_std");
        assertThat(r.backwardStd()).hasSize(layers - 1);
        for (int k = 1; k < layers; k++) {
            assertRel("backward std of layer " + k, r.backwardStd(k), (Double) backward.get(Integer.toString(k)));
        }
    }

    static void assertRel(String what, double actual, double expected) {
        assertThat(Math.abs(actual - expected)).as("%s: %s vs numpy %s", what, actual, expected)
                .isLessThanOrEqualTo(1e-9 * Math.abs(expected));
    }

    /** Fifty layers of eighty units explode (σ² = 1) or vanish (σ² = 0.001) without overflow or underflow to 0. */
    @Test
    void deepAndWideNetworksStayFinite() {
        InitExperiment.Result exploding = InitExperiment.run(50, 80, 1.0, 1000);
        InitExperiment.Result vanishing = InitExperiment.run(50, 80, 0.001, 1000);
        assertThat(exploding.backwardStd(1)).isGreaterThan(1e75).isFinite();
        assertThat(exploding.forwardStd(50)).isGreaterThan(1e35).isFinite();
        assertThat(vanishing.forwardStd(50)).isLessThan(1e-30).isGreaterThan(0);
        assertThat(vanishing.backwardStd(1)).isLessThan(1e-60).isGreaterThan(0);
    }

    @Test
    void heInitialisationIsNormalWithTwoOverD() {
        Network he = Init.he(new RandomState(4), 1, 20, 3, 1);
        Network normal = Init.normal(new RandomState(4), 1, 20, 3, 1, 2.0 / 20);
        assertThat(he.weights()).isEqualTo(normal.weights());
        assertThat(he.biases()).allMatch(b -> b.equals(Tensor.zeros(20, 1)) || b.equals(Tensor.zeros(1, 1)));
        InitExperiment.Result r = InitExperiment.run(10, 20, 2.0 / 20, 500);
        assertThat(r.forwardStd()).allMatch(s -> s > 0.01 && s < 1);
    }

    @Test
    void badSettingsAreRefusedWithOneLine() {
        assertThatThrownBy(() -> BackpropExperiment.run(0, 0, 6, 1.2, 20))
                .hasMessage("a network needs at least 1 hidden layer, got 0");
        assertThatThrownBy(() -> BackpropExperiment.run(0, 5, 0, 1.2, 20))
                .hasMessage("layer sizes must be at least 1, got input 1, width 0, output 1");
        assertThatThrownBy(() -> BackpropExperiment.run(0, 5, 6, Double.NaN, 20))
                .hasMessage("x and y must be finite numbers, got x NaN and y 20.0");
        assertThatThrownBy(() -> InitExperiment.run(5, 8, -1, 1000))
                .hasMessage("the weight variance must be a finite number ≥ 0, got -1.0");
        assertThatThrownBy(() -> InitExperiment.run(5, 8, 1, 0))
                .hasMessage("n and examples must be at least 1, got 0 and 100");
        assertThatThrownBy(() -> InitExperiment.run().backwardStd(5))
                .hasMessage("backward layers run from 1 to 4, got 5");
    }
}
