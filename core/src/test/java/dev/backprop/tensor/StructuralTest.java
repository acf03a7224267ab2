package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every structural rule's reverse form is the transpose of its forward form: for random arguments
 * x, tangents t and output gradients g, ⟨g, J·t⟩ = Σₖ ⟨Jₖᵀ·g, tₖ⟩. With the value checked against
 * the step itself and the VJPs checked against finite differences in {@code TensorGradientTest},
 * this pins the JVPs too. At the same points, each rule's recorded VJP (written in tape
 * operations, for double backward) must give its numeric VJP's numbers.
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
        for (int k = 0; k < shapes.length; k++) {
            x[k] = random(shapes[k]);
        }
        checkAt(op, p, x);
    }

    /** ⟨g, J·t⟩ = Σ⟨Jₖᵀ·g, tₖ⟩ at the given arguments, for random tangents and output gradient. */
    private void checkAt(Structural op, int[] p, Tensor... x) {
        Tensor[] t = new Tensor[x.length];
        for (int k = 0; k < x.length; k++) {
            t[k] = random(x[k].shape());
        }
        Tensor y = op.value(x, p);
        Tensor g = random(y.shape());
        double forward = dot(g, op.jvp(t, x, y, p));
        double reverse = 0;
        for (int k = 0; k < x.length; k++) {
            reverse += dot(op.vjp(k, g, x, y, p), t[k]);
        }
        assertThat(forward).as("%s: ⟨g, J·t⟩ against Σ⟨Jᵀ·g, t⟩", op).isCloseTo(reverse, within(1e-12 * Math.max(1, Math.abs(forward))));
        recordedAgrees(op, p, x, g);
        checked.add(op);
    }

    /**
     * The recorded VJP's value is the numeric VJP, element by element: bit for bit (a signed zero
     * may differ) for every rule but MATMUL, whose recorded form multiplies by a transposed copy
     * where the numeric one reads the operand transposed in place, which the blocked product may
     * round differently (at these sizes it does not).
     */
    private void recordedAgrees(Structural op, int[] p, Tensor[] x, Tensor g) {
        TensorTape tape = new TensorTape();
        TensorVar[] xs = new TensorVar[x.length];
        for (int k = 0; k < x.length; k++) {
            xs[k] = tape.input(x[k]);
        }
        TensorVar y = tape.apply(op, p, xs);
        TensorVar gv = tape.input(g);
        for (int k = 0; k < x.length; k++) {
            Tensor want = op.vjp(k, g, x, y.value(), p);
            Tensor got = op.vjp(k, gv, xs, y, p).value();
            assertThat(got.shape()).as("%s: shape of the recorded VJP of argument %d", op, k).isEqualTo(want.shape());
            for (int i = 0; i < want.size(); i++) {
                double tolerance = op == Structural.MATMUL ? 1e-15 * Math.max(1, Math.abs(want.at(i))) : 0;
                assertThat(got.at(i)).as("%s: recorded VJP of argument %d at %d", op, k, i).isCloseTo(want.at(i), within(tolerance));
            }
        }
    }

    private final java.util.Set<Structural> checked = java.util.EnumSet.noneOf(Structural.class);

    @Test
    void everyReverseRuleIsTheTransposeOfItsForwardRule() {
        check(Structural.MATMUL, new int[0], new int[] {3, 5}, new int[] {5, 4});
        check(Structural.TRANSPOSE, new int[0], new int[] {3, 5});
        check(Structural.RESHAPE, new int[] {5, 3}, new int[] {3, 5});
        check(Structural.BROADCAST, new int[] {4, 3, 5}, new int[] {3, 1});
        check(Structural.SUM_TO, new int[] {3, 1}, new int[] {4, 3, 5});
        check(Structural.SUM_TO, new int[0], new int[] {2, 3});
        check(Structural.SUM, new int[0], new int[] {3, 5});
        check(Structural.SUM, new int[] {1, 0}, new int[] {3, 5, 2});
        check(Structural.SUM, new int[] {0, 1}, new int[] {3, 5});
        check(Structural.AMAX, new int[] {1, 0}, new int[] {3, 5});
        check(Structural.AMAX, new int[] {1, 1}, new int[] {2, 3, 4});
        // ties: the JVP averages the tied tangents, the VJP splits g among them, one the other's transpose
        checkAt(Structural.AMAX, new int[] {0, 0}, Tensor.matrix(new double[][] {{2, 1}, {2, 1}, {-1, 1}}));
        check(Structural.LOGSUMEXP, new int[] {1, 0}, new int[] {3, 5});
        check(Structural.LOGSUMEXP, new int[] {0, 1}, new int[] {3, 2, 2});
        checkAt(Structural.LOGSUMEXP, new int[] {1, 0}, Tensor.matrix(new double[][] {{1000, 1000, Double.NEGATIVE_INFINITY}}));
        check(Structural.LOG_SOFTMAX, new int[] {1}, new int[] {3, 5});
        check(Structural.LOG_SOFTMAX, new int[] {0}, new int[] {4, 2, 3});
        check(Structural.SLICE, new int[] {0, 1, 3}, new int[] {4, 3});
        check(Structural.SLICE, new int[] {1, 2, 5}, new int[] {2, 5, 3});
        check(Structural.GATHER, new int[] {0, 2, 0, 2, 2}, new int[] {3, 4});
        check(Structural.GATHER, new int[] {2, 1, 1}, new int[] {2, 3, 4});
        check(Structural.SCATTER_ADD, new int[] {0, 3, 2, 0, 2, 2}, new int[] {4, 5});
        check(Structural.SCATTER_ADD, new int[] {1, 4, 3}, new int[] {2, 1, 3});
        check(Structural.CONCAT, new int[] {0}, new int[] {2, 3}, new int[] {1, 3}, new int[] {3, 3});
        check(Structural.CONCAT, new int[] {1}, new int[] {2, 1, 2}, new int[] {2, 3, 2});
        checkAt(Structural.WHERE, new int[0], Tensor.mask(new boolean[] {true, false, false, true, true, false}, 2, 3),
                random(2, 3), random(2, 3));
        checkAt(Structural.WHERE, new int[0], Tensor.mask(new boolean[] {true, false}, 2, 1), random(2, 3), random(3));
        assertThat(checked).as("every rule of the table").containsExactlyInAnyOrder(Structural.values());
    }

    @Test
    void aScatterRefusesPositionsThatDoNotFit() {
        Tensor[] x = {Tensor.zeros(2, 3)};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Structural.SCATTER_ADD.value(x, new int[] {0, 4, 1}))
                .hasMessage("scatter_add: 1 positions for 2 slices along axis 0 of shape (2, 3)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Structural.SCATTER_ADD.value(x, new int[] {0, 4, 1, 4}))
                .hasMessage("scatter_add: position 4 is out of range for length 4");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Structural.SCATTER_ADD.value(x, new int[] {2, 4}))
                .hasMessage("scatter_add: axis 2 is out of range for shape (2, 3)");
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
