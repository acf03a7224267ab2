package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every structural rule's reverse form is the transpose of its forward form: for random arguments
 * x, tangents t and output gradients g, ⟨g, J·t⟩ = Σₖ ⟨Jₖᵀ·g, tₖ⟩. With the value checked against
 * the step itself and the VJPs checked against finite differences in {@code TensorGradientTest},
 * this pins the JVPs too.
 */
class StructuralTest {
    private final Random rnd = new Random(11);

    private Tensor random(int... shape) {
        double[] d = new double[Tensor.count(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextGaussian();
        }
        return Tensor.of(d, shape);
    }

    private static double dot(Tensor a, Tensor b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.at(i) * b.at(i);
        }
        return s;
    }

    private void check(Structural op, int[] p, int[]... shapes) {
        Tensor[] x = new Tensor[shapes.length];
        Tensor[] t = new Tensor[shapes.length];
        for (int k = 0; k < shapes.length; k++) {
            x[k] = random(shapes[k]);
            t[k] = random(shapes[k]);
        }
        Tensor y = op.value(x, p);
        Tensor g = random(y.shape());
        double forward = dot(g, op.jvp(t, x, y, p));
        double reverse = 0;
        for (int k = 0; k < shapes.length; k++) {
            reverse += dot(op.vjp(k, g, x, y, p), t[k]);
        }
        assertThat(forward).as("%s: ⟨g, J·t⟩ against Σ⟨Jᵀ·g, t⟩", op).isCloseTo(reverse, within(1e-12 * Math.max(1, Math.abs(forward))));
    }

    @Test
    void everyReverseRuleIsTheTransposeOfItsForwardRule() {
        check(Structural.MATMUL, new int[0], new int[] {3, 5}, new int[] {5, 4});
        check(Structural.TRANSPOSE, new int[0], new int[] {3, 5});
        check(Structural.RESHAPE, new int[] {5, 3}, new int[] {3, 5});
        check(Structural.BROADCAST, new int[] {4, 3, 5}, new int[] {3, 1});
        check(Structural.SUM, new int[0], new int[] {3, 5});
        check(Structural.SUM, new int[] {1, 0}, new int[] {3, 5, 2});
        check(Structural.SUM, new int[] {0, 1}, new int[] {3, 5});
    }

    @Test
    void theTapeRecordsStructureThroughTheTable() {
        TensorTape tape = new TensorTape();
        TensorVar a = tape.input("a", Tensor.of(new double[] {1, 2, 3}, 3, 1));
        TensorVar loss = a.broadcastTo(2, 3, 4).square().sum();
        // d/da Σ (broadcast a)² = 2·a·(2·4 copies)
        assertThat(tape.gradient(loss).of(a).toArray()).containsExactly(16, 32, 48);
    }
}
