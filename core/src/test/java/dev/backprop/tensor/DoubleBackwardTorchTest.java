package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.op.Op;
import dev.backprop.testing.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Double backward against PyTorch float64 ({@code torch.autograd.grad(..., create_graph=True)}),
 * on the cases of {@code tensor/make_double_backward.py}: every elementwise primitive, every
 * structural rule, a two-layer MLP with softmax cross-entropy and a critic with a WGAN-GP gradient
 * penalty. For each: the value, the gradient (recorded), the Hessian times a direction (the
 * gradient of Σ ⟨∇f, v⟩) and the gradient of a gradient penalty.
 */
class DoubleBackwardTorchTest {

    @SuppressWarnings("unchecked")
    static Stream<Map<String, Object>> cases() {
        Map<String, Object> root = (Map<String, Object>) Json.resource("/tensor/torch_double_backward.json");
        return ((List<Map<String, Object>>) root.get("cases")).stream();
    }

    @Test
    void theFixtureCoversEveryPrimitiveAndEveryStructuralRule() {
        List<Object> ops = cases().filter(c -> c.get("program").equals("elementwise")).map(c -> c.get("op")).distinct().toList();
        for (Op op : Op.values()) {
            assertThat(ops).as("elementwise primitives in the fixture").contains(op.name().toLowerCase());
        }
        List<Object> programs = cases().map(c -> c.get("program")).distinct().toList();
        for (Structural s : Structural.values()) {
            assertThat(programs).as("structural rules in the fixture").contains(s.name().toLowerCase());
        }
        assertThat(programs).contains("mlp", "critic");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void gradientHessianTimesVectorAndPenaltyGradientMatchPyTorch(Map<String, Object> c) {
        String name = (String) c.get("name");
        TensorTape tape = new TensorTape();
        List<TensorVar> x = new ArrayList<>();
        for (Object t : (List<Object>) c.get("inputs")) {
            x.add(tape.input(TensorBlocksTest.tensor(t)));
        }
        List<TensorVar> k = new ArrayList<>();
        for (Object t : (List<Object>) c.get("constants")) {
            k.add(tape.constant(TensorBlocksTest.tensor(t)));
        }
        TensorVar f = program(c, x, k);
        assertThat(f.value().item()).as("%s: value", name).isCloseTo((Double) c.get("f"), within(TOLERANCE * Math.max(1, Math.abs((Double) c.get("f")))));

        TensorGradients g = tape.gradient(f, true);
        List<Object> v = (List<Object>) c.get("v");
        TensorVar gv = null;
        TensorVar penalty = null;
        for (int i = 0; i < x.size(); i++) {
            assertClose(name + ": gradient " + i, g.of(x.get(i)), ((List<Object>) c.get("grads")).get(i));
            TensorVar gi = g.var(x.get(i));
            TensorVar term = gi.mul(tape.constant(TensorBlocksTest.tensor(v.get(i)))).sum();
            gv = gv == null ? term : gv.add(term);
            TensorVar square = gi.square().sum();
            penalty = penalty == null ? square : penalty.add(square);
        }
        if (c.get("penalty").equals("row_norm")) {
            // mean over rows of (‖∂f/∂x₀ row‖ − 1)², the WGAN-GP penalty
            penalty = g.var(x.get(0)).square().sum(1).sqrt().sub(1).square().mean();
        }
        TensorGradients hv = tape.gradient(gv);
        TensorGradients dp = tape.gradient(penalty);
        for (int i = 0; i < x.size(); i++) {
            assertClose(name + ": (H·v) " + i, hv.of(x.get(i)), ((List<Object>) c.get("hvp")).get(i));
            assertClose(name + ": penalty gradient " + i, dp.of(x.get(i)), ((List<Object>) c.get("penalty_grads")).get(i));
        }
    }

    /**
     * Relative to the reference (absolute below 1). The largest deviation measured over the
     * fixture's numbers was 8.3e-15 (an element of atan2's H·v, where PyTorch's formula and the
     * table's quotient rule round differently); the margin leaves room for another JVM's libm, not
     * for a wrong rule.
     */
    static final double TOLERANCE = 1e-13;

    static void assertClose(String what, Tensor got, Object json) {
        Tensor want = TensorBlocksTest.tensor(json);
        assertThat(got.shape()).as("%s: shape", what).isEqualTo(want.shape());
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.at(i)).as("%s[%d]", what, i).isCloseTo(want.at(i), within(TOLERANCE * Math.max(1, Math.abs(want.at(i)))));
        }
    }

    // the same positions as GATHER_ROWS and SCATTER_AT in the script
    private static final int[] GATHER_ROWS = {2, 0, 2, 2};
    private static final int[] SCATTER = {0, 3, 2, 0, 2, 2};

    /** The case's program, as the fixture script writes it in PyTorch. */
    static TensorVar program(Map<String, Object> c, List<TensorVar> x, List<TensorVar> k) {
        TensorVar x0 = x.get(0);
        TensorVar w = k.isEmpty() ? null : k.get(0);
        switch ((String) c.get("program")) {
            case "elementwise": {
                TensorVar y = x0.tape().apply(Op.valueOf(((String) c.get("op")).toUpperCase()), x.toArray(new TensorVar[0]));
                return w.mul(y).add(k.get(1).mul(y).mul(y)).sum();
            }
            case "matmul":
                return w.mul(x0.matmul(x.get(1)).tanh()).sum();
            case "transpose":
                return w.mul(x0.transpose().matmul(x0).sin()).sum();
            case "reshape":
                return w.mul(x0.reshape(6, 2).matmul(x.get(1)).square()).sum();
            case "broadcast":
                return w.mul(x0.broadcastTo(2, 3, 4).mul(x.get(1)).sin()).sum();
            case "sum_to":
                return w.mul(x0.sumTo(1, 4).exp()).sum();
            case "sum":
                return w.mul(x0.sum(1).sin()).sum().add(k.get(1).mul(x0.sum(0, true).square()).sum()).add(x0.sum().cos());
            case "amax":
                return w.mul(x0.mul(x0).max(1).square()).sum().add(k.get(1).mul(x.get(1).max(1, true).sin()).sum());
            case "logsumexp":
                return w.mul(x0.logsumexp(1).square()).sum().add(k.get(1).mul(x.get(1).logsumexp(1, true).sin()).sum());
            case "log_softmax":
                return w.mul(x0.logSoftmax(1).square()).sum().add(k.get(1).mul(x.get(1).softmax(0)).sum());
            case "slice":
                return w.mul(x0.slice(0, 1, 3).sin()).sum().add(k.get(1).mul(x.get(1).slice(1, 2, 4).square()).sum());
            case "gather":
                return w.mul(x0.gather(GATHER_ROWS).square()).sum().add(k.get(1).mul(x.get(1).indexSelect(1, 3, 3, 0).sin()).sum());
            case "scatter_add":
                return w.mul(x0.tape().apply(Structural.SCATTER_ADD, SCATTER, x0).square()).sum();
            case "concat":
                return w.mul(TensorVar.concat(0, x0, x.get(1), x0).square()).sum();
            case "where":
                return w.mul(TensorVar.where(k.get(1).value(), x0.sin(), x.get(1).square())).sum();
            case "mlp":
                return w.matmul(x0).add(x.get(1)).tanh().matmul(x.get(2)).add(x.get(3))
                        .crossEntropy(TensorBlocksTest.ints(c.get("labels")));
            case "critic":
                return x0.matmul(x.get(1)).add(x.get(2)).apply(Op.SOFTPLUS).matmul(x.get(3)).sigmoid().sum();
            default:
                throw new IllegalArgumentException("no such program in the fixture: " + c.get("program"));
        }
    }
}
