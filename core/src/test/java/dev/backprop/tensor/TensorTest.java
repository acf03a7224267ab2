package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.testing.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values, error messages and engine properties of tensors; gradients of whole expressions against PyTorch. */
class TensorTest {

    @Test
    void matmulAndBroadcastValues() {
        Tensor a = Tensor.matrix(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tensor.matrix(new double[][] {{1, 0}, {0, 1}, {1, 1}});
        assertThat(a.matmul(b).toMatrix()).isEqualTo(new double[][] {{4, 5}, {10, 11}});
        assertThat(a.transpose().shape()).containsExactly(3, 2);
        assertThat(a.transpose().get(2, 1)).isEqualTo(6);
        assertThat(a.add(Tensor.column(10, 20)).toMatrix()).isEqualTo(new double[][] {{11, 12, 13}, {24, 25, 26}});
        assertThat(a.mul(Tensor.vector(1, 0, -1)).toMatrix()).isEqualTo(new double[][] {{1, 0, -3}, {4, 0, -6}});
        assertThat(a.sum(0).toArray()).containsExactly(5, 7, 9);
        assertThat(a.sum(1, true).shape()).containsExactly(2, 1);
        assertThat(a.mean().item()).isEqualTo(3.5);
        assertThat(a.reshape(-1).shape()).containsExactly(6);
        assertThat(Tensor.column(-1, 2).relu().toArray()).containsExactly(0, 2);
        assertThat(a.toString()).isEqualTo("Tensor(2, 3) [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]");
    }

    @Test
    void shapeMismatchesNameTheOperationAndBothShapes() {
        Tensor col = Tensor.zeros(6, 1);
        Tensor sq = Tensor.zeros(6, 6);
        assertThatThrownBy(() -> col.matmul(sq)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("matmul: shapes (6, 1) and (6, 6) do not fit");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4)))
                .hasMessage("add: shapes (2, 3) and (4,) do not broadcast");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).mul(Tensor.zeros(3, 2)))
                .hasMessage("mul: shapes (2, 3) and (3, 2) do not broadcast");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).reshape(4, 2))
                .hasMessage("reshape: cannot reshape (2, 3) to (4, 2)");
        assertThatThrownBy(() -> Tensor.zeros(2, 3).sum(2))
                .hasMessage("sum: axis 2 is out of range for shape (2, 3)");
        assertThatThrownBy(() -> Tensor.of(new double[5], 2, 3))
                .hasMessage("of: 5 numbers do not fill shape (2, 3)");
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.zeros(6, 1));
        assertThatThrownBy(() -> x.matmul(tape.input(sq)))
                .hasMessage("matmul: shapes (6, 1) and (6, 6) do not fit");
        assertThatThrownBy(() -> x.sub(tape.constant(Tensor.zeros(5, 1))))
                .hasMessage("sub: shapes (6, 1) and (5, 1) do not broadcast");
        assertThatThrownBy(() -> tape.gradient(x))
                .hasMessage("gradient: the output must hold one number, got shape (6, 1)");
        TensorTape other = new TensorTape();
        assertThatThrownBy(() -> x.add(other.input(Tensor.zeros(6, 1))))
                .hasMessage("that tensor was recorded on another tape");
    }

    @Test
    void valuesAreImmutable() {
        double[] d = {1, 2, 3};
        Tensor t = Tensor.vector(d);
        d[0] = 99;
        t.toArray()[1] = 99;
        t.shape()[0] = 7;
        assertThat(t.toArray()).containsExactly(1, 2, 3);
        assertThat(t.shape()).containsExactly(3);
        assertThat(t).isEqualTo(Tensor.of(new double[] {1, 2, 3}, 3)).isNotEqualTo(Tensor.column(1, 2, 3));
    }

    @Test
    void unconnectedAndConstantTensorsGetZeroGradients() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input("x", Tensor.column(1, 2));
        TensorVar unused = tape.input("unused", Tensor.zeros(2, 3));
        TensorVar c = tape.constant(Tensor.column(3, 4));
        TensorGradients g = tape.gradient(x.mul(c).sum());
        assertThat(g.of(x).toArray()).containsExactly(3, 4);
        assertThat(g.of(unused)).isEqualTo(Tensor.zeros(2, 3));
        assertThat(g.of(c)).isEqualTo(Tensor.zeros(2, 1));
        assertThat(x.name()).isEqualTo("x");
    }

    @Test
    void gradientsOfIntermediatesAreAvailable() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.column(1, -2));
        TensorVar f = x.mul(3);
        TensorVar loss = f.relu().sum();
        TensorGradients g = tape.gradient(loss);
        assertThat(g.of(f).toArray()).containsExactly(1, 0);
        assertThat(g.of(x).toArray()).containsExactly(3, 0);
    }

    @Test
    void aLongChainDoesNotOverflowTheStack() {
        TensorTape tape = new TensorTape();
        TensorVar x = tape.input(Tensor.scalar(1.0));
        TensorVar y = x;
        int n = 300_000;
        for (int i = 0; i < n; i++) {
            y = y.add(x.mul(0)); // n additions of zero: y = x, dy/dx = 1
        }
        TensorGradients g = tape.gradient(y);
        assertThat(g.of(x).item()).isEqualTo(1.0);
    }

    /** Whole expressions (a small MLP, broadcasting, axis means, rank-1 operands) against PyTorch autograd. */
    @Test
    @SuppressWarnings("unchecked")
    void gradientsMatchPyTorch() {
        Map<String, Object> root = (Map<String, Object>) Json.resource("/tensor/torch_gradients.json");
        List<Map<String, Object>> cases = (List<Map<String, Object>>) root.get("cases");
        assertThat(cases).hasSize(3);
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            TensorTape tape = new TensorTape();
            List<TensorVar> in = new ArrayList<>();
            for (Map<String, Object> x : (List<Map<String, Object>>) c.get("inputs")) {
                double[] shapeD = Json.flat(x.get("shape"));
                int[] shape = new int[shapeD.length];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = (int) shapeD[i];
                }
                in.add(tape.input(Tensor.of(Json.flat(x.get("data")), shape)));
            }
            TensorVar out = torchCase(name, in);
            assertThat(out.value().item()).as(name).isCloseTo((Double) c.get("value"), within(1e-12 * Math.abs((Double) c.get("value"))));
            TensorGradients g = tape.gradient(out);
            List<Object> grads = (List<Object>) c.get("grads");
            for (int k = 0; k < in.size(); k++) {
                double[] want = Json.flat(grads.get(k));
                double[] got = g.of(in.get(k)).toArray();
                assertThat(got).as("%s: gradient of input %d", name, k).hasSize(want.length);
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).as("%s: ∂/∂input%d[%d]", name, k, i).isCloseTo(want[i], within(1e-12 * Math.max(1, Math.abs(want[i]))));
                }
            }
        }
    }

    /** The expressions of make_reference.py, written with this library. */
    static TensorVar torchCase(String name, List<TensorVar> x) {
        switch (name) {
            case "mlp": {
                TensorVar w0 = x.get(0), b0 = x.get(1), w1 = x.get(2), b1 = x.get(3), in = x.get(4), y = x.get(5);
                return b1.add(w1.matmul(b0.add(w0.matmul(in)).relu())).sub(y).pow(2).sum();
            }
            case "broadcast_row": {
                TensorVar a = x.get(0), b = x.get(1), c = x.get(2);
                TensorVar two = a.tape().constant(2);
                return a.mul(b).tanh().div(two.add(c.exp())).mean(0).sum();
            }
            case "rank1": {
                TensorVar v = x.get(0), m = x.get(1), r = x.get(2);
                TensorVar left = m.sub(v).sigmoid().sum(1);
                TensorVar right = r.reshape(4, 3).transpose().matmul(v.abs().add(1).reshape(4, 1)).reshape(3).sin();
                return left.mul(right).sum();
            }
            default:
                throw new IllegalArgumentException(name);
        }
    }
}
