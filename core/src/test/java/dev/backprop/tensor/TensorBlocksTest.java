package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.testing.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The building blocks of a classifier (max, logsumexp, softmax and logSoftmax along an axis,
 * slices, gathers, joins, where, and the three mean losses) against PyTorch float64: values and
 * gradients of Σ output ⊙ w for the cases of {@code tensor/make_blocks.py}, random and special
 * rows alike (ties, ±∞, NaN, 1000 and 10¹⁰ logits). A NaN or an infinity in the reference must be
 * the same NaN or infinity here.
 */
class TensorBlocksTest {

    @SuppressWarnings("unchecked")
    static Stream<Map<String, Object>> cases() {
        Map<String, Object> root = (Map<String, Object>) Json.resource("/tensor/torch_blocks.json");
        return ((List<Map<String, Object>>) root.get("cases")).stream();
    }

    @Test
    void theFixtureCoversEveryBlock() {
        List<Object> ops = cases().map(c -> c.get("op")).distinct().map(o -> (Object) o).toList();
        assertThat(ops).containsExactlyInAnyOrder("logsumexp", "amax", "log_softmax", "softmax", "slice",
                "index_select", "cat", "where", "cross_entropy", "bce_logits", "mse", "classifier");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void valueAndGradientMatchPyTorch(Map<String, Object> c) {
        String name = (String) c.get("name");
        TensorTape tape = new TensorTape();
        List<TensorVar> in = new ArrayList<>();
        for (Object x : (List<Object>) c.get("inputs")) {
            in.add(tape.input(tensor(x)));
        }
        TensorVar out = build(c, tape, in);
        assertClose(name + ": output", out.value(), tensor(c.get("output")));

        TensorGradients g = tape.gradient(out.mul(tape.constant(tensor(c.get("weights")))).sum());
        List<Object> grads = (List<Object>) c.get("grads");
        for (int k = 0; k < in.size(); k++) {
            assertClose(name + ": gradient of input " + k, g.of(in.get(k)), tensor(grads.get(k)));
        }
    }

    /** The case's PyTorch call, written with this library. */
    @SuppressWarnings("unchecked")
    static TensorVar build(Map<String, Object> c, TensorTape tape, List<TensorVar> in) {
        TensorVar x = in.get(0);
        switch ((String) c.get("op")) {
            case "logsumexp":
                return x.logsumexp(integer(c, "axis"), (Boolean) c.get("keepdim"));
            case "amax":
                return x.max(integer(c, "axis"), (Boolean) c.get("keepdim"));
            case "log_softmax":
                return x.logSoftmax(integer(c, "axis"));
            case "softmax":
                return x.softmax(integer(c, "axis"));
            case "slice":
                return x.slice(integer(c, "axis"), integer(c, "start"), integer(c, "stop"));
            case "index_select": {
                int[] index = ints(c.get("index"));
                return integer(c, "axis") == 0 ? x.gather(index) : x.indexSelect(integer(c, "axis"), index);
            }
            case "cat":
                return TensorVar.concat(integer(c, "axis"), in.toArray(new TensorVar[0]));
            case "where":
                return TensorVar.where(tensor(c.get("mask")), x, in.get(1));
            case "cross_entropy":
                return x.crossEntropy(ints(c.get("labels")));
            case "bce_logits":
                return x.binaryCrossEntropyWithLogits(in.get(1));
            case "mse":
                return x.mse(in.get(1));
            case "classifier":
                return tape.constant(tensor(c.get("x"))).matmul(x).add(in.get(1)).crossEntropy(ints(c.get("labels")));
            default:
                throw new IllegalArgumentException("no such op in the fixture: " + c.get("op"));
        }
    }

    /**
     * Same shape; NaN where the reference has NaN, the same infinity, otherwise 1e-14 relative
     * (absolute below 1). The largest deviation measured over the fixture's 884 finite numbers was
     * 4.1e-16, about two ulps, so this leaves room for another JVM's exp and log, not for an error.
     */
    static void assertClose(String what, Tensor got, Tensor want) {
        assertThat(got.shape()).as("%s: shape", what).isEqualTo(want.shape());
        for (int i = 0; i < want.size(); i++) {
            double w = want.at(i), v = got.at(i);
            if (Double.isNaN(w)) {
                assertThat(v).as("%s[%d]", what, i).isNaN();
            } else if (Double.isInfinite(w)) {
                assertThat(v).as("%s[%d]", what, i).isEqualTo(w);
            } else {
                assertThat(v).as("%s[%d]", what, i).isCloseTo(w, within(1e-14 * Math.max(1, Math.abs(w))));
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Tensor tensor(Object json) {
        Map<String, Object> m = (Map<String, Object>) json;
        return Tensor.of(Json.flat(m.get("data")), ints(m.get("shape")));
    }

    static int[] ints(Object json) {
        double[] d = Json.flat(json);
        int[] r = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = (int) d[i];
        }
        return r;
    }

    static int integer(Map<String, Object> c, String key) {
        return (int) (double) (Double) c.get(key);
    }

    // ------------------------------------------------------------------ the brief's special values, spelled out

    @Test
    void logsumexpOfTwoThousandsIsAThousandPlusLogTwoWithHalfTheGradientEach() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.matrix(new double[][] {{1000, 1000}, {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}}));
        TensorVar lse = x.logsumexp(1);
        assertThat(lse.value().at(0)).isEqualTo(1000 + Math.log(2));
        assertThat(lse.value().at(1)).isEqualTo(Double.NEGATIVE_INFINITY);
        // only the finite row is differentiated: the −∞ row's derivative is e^(−∞ + ∞), NaN, as in PyTorch
        Tensor g = tape.gradient(lse.slice(0, 0, 1).sum()).of(x);
        assertThat(g.at(0)).isCloseTo(0.5, within(1e-13));
        assertThat(g.at(1)).isCloseTo(0.5, within(1e-13));
        assertThat(g.at(2)).as("a zero adjoint passes nothing, NaN local derivative or not").isEqualTo(0.0);
    }

    @Test
    void whereKeepsNaNInTheBranchNotTakenOutOfTheGradient() {
        TensorTape tape = new TensorTape();
        TensorVar a = tape.input(Tensor.vector(1, 2, 3));
        TensorVar b = tape.input(Tensor.vector(0, 0, 0));
        TensorVar logA = a.sub(2).log(); // NaN at 1, −∞ at 2
        TensorVar y = TensorVar.where(Tensor.mask(new boolean[] {false, false, true}, 3), logA, b);
        TensorGradients g = tape.gradient(y.sum());
        assertThat(g.of(a).toArray()).containsExactly(0, 0, 1);
        assertThat(g.of(b).toArray()).containsExactly(1, 1, 0);

        // an infinite gradient from downstream (√ at 0) reaches only the branch taken: ∞·0 would be NaN
        TensorVar z = TensorVar.where(Tensor.mask(new boolean[] {false, true, false}, 3), a, b).sqrt();
        TensorGradients h = tape.gradient(z.sum());
        assertThat(h.of(a).toArray()).containsExactly(0, 0.5 / Math.sqrt(2), 0);
        assertThat(h.of(b).toArray()).containsExactly(Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY);
    }

    @Test
    void argmaxTakesTheFirstOfTiesAndTheFirstNaN() {
        Tensor x = Tensor.matrix(new double[][] {{1, 3, 3}, {Double.NaN, 1, Double.NaN}, {2, 2, 1}, {-1, Double.NaN, 5}});
        assertThat(x.argmax(1).toArray()).containsExactly(1, 0, 0, 1);
        assertThat(x.argmax(0).toArray()).containsExactly(1, 3, 1);
        TensorTape tape = new TensorTape();
        assertThat(tape.input(x).argmax(-1).shape()).containsExactly(4);
    }

    @Test
    void aSoftmaxRowSumsToOneAndGathersAndSlicesComposeWithEverything() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.matrix(new double[][] {{1, 2, 3}, {-1, 0, 700}}));
        Tensor p = x.softmax(1).value();
        assertThat(p.at(0) + p.at(1) + p.at(2)).isCloseTo(1, within(1e-15));
        assertThat(p.at(5)).isEqualTo(1.0);
        // rows of a concat taken back out are the parts, and so are their gradients
        TensorVar y = TensorVar.concat(0, x, x.mul(2)).gather(3, 0).slice(1, 1, 3);
        assertThat(y.value().toMatrix()).isEqualTo(new double[][] {{0, 1400}, {2, 3}});
        assertThat(tape.gradient(y.sum()).of(x).toMatrix()).isEqualTo(new double[][] {{0, 1, 1}, {0, 2, 2}});
    }

    @Test
    void badArgumentsNameTheOperationAndTheShape() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.zeros(2, 3));
        assertThatThrownBy(() -> x.max(2)).hasMessage("max: axis 2 is out of range for shape (2, 3)");
        assertThatThrownBy(() -> tape.input(Tensor.zeros(2, 0)).max(1)).hasMessage("max: axis 1 of shape (2, 0) is empty");
        assertThatThrownBy(() -> x.slice(1, 2, 4)).hasMessage("slice: [2, 4) is not a range of axis 1 of shape (2, 3)");
        assertThatThrownBy(() -> x.gather(0, 2)).hasMessage("gather: index 2 is out of range for axis 0 of shape (2, 3)");
        assertThatThrownBy(() -> TensorVar.concat(0, x, tape.input(Tensor.zeros(2, 2))))
                .hasMessage("concat: shapes (2, 3) and (2, 2) differ off axis 0");
        assertThatThrownBy(() -> TensorVar.concat(0, x, tape.input(Tensor.zeros(6))))
                .hasMessage("concat: shapes (2, 3) and (6,) differ off axis 0");
        assertThatThrownBy(() -> TensorVar.concat(1)).hasMessage("concat: nothing to join");
        assertThatThrownBy(() -> TensorVar.where(Tensor.full(0.5, 2, 3), x, x))
                .hasMessage("where: the mask must hold only 0 and 1, found 0.5");
        assertThatThrownBy(() -> TensorVar.where(Tensor.zeros(4), x, x)).hasMessage("where: shapes (4,) and (2, 3) do not broadcast");
        assertThatThrownBy(() -> x.crossEntropy(0, 3)).hasMessage("crossEntropy: label 3 of row 1 is not a class of 3");
        assertThatThrownBy(() -> x.crossEntropy(0)).hasMessage("crossEntropy: 1 labels for 2 rows of logits (2, 3)");
        assertThatThrownBy(() -> tape.input(Tensor.zeros(6)).crossEntropy(0))
                .hasMessage("crossEntropy: logits must be a matrix (N, C), got shape (6,)");
        assertThatThrownBy(() -> x.mse(tape.input(Tensor.zeros(3, 2)))).hasMessage("mse: shapes (2, 3) and (3, 2) differ");
        assertThatThrownBy(() -> tape.input(Tensor.zeros(3)).binaryCrossEntropyWithLogits(tape.input(Tensor.zeros(3, 1))))
                .hasMessage("binaryCrossEntropyWithLogits: shapes (3,) and (3, 1) differ");
        assertThatThrownBy(() -> Tensor.zeros(2, 0).argmax(1)).hasMessage("argmax: axis 1 of shape (2, 0) is empty");
        assertThatThrownBy(() -> tape.apply(Structural.WHERE, new int[0], x, x))
                .hasMessage("where takes 3 arguments, got 2");
    }
}
