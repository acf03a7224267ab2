package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.tensor.TensorGradientTest.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Double backward ({@link TensorTape#gradient(TensorVar, boolean)}) on every case of {@code
 * TensorGradientTest}'s table, which covers every primitive of {@code Op} and every rule of
 * {@link Structural}: the recorded gradient gives the numeric sweep's numbers, and its gradient,
 * a Hessian-vector product, matches central differences of the numeric gradient (an independent
 * check: finite differences never see the recorded rules).
 */
class DoubleBackwardTest {

    /**
     * The case's loss Σ (w + u ⊙ f(x)) ⊙ f(x) on {@code tape}, its inputs appended to {@code vars}.
     * The square makes the adjoint reaching f depend on x, so even a linear step's recorded rule is
     * differentiated with respect to that adjoint, not only a nonlinear step's with respect to x.
     */
    private static TensorVar loss(Case c, Tensor[] inputs, Tensor[] wu, TensorTape tape, List<TensorVar> vars) {
        for (Tensor x : inputs) {
            vars.add(tape.input(x));
        }
        TensorVar f = c.fn().apply(vars);
        return f.mul(tape.constant(wu[0]).add(f.mul(tape.constant(wu[1])))).sum();
    }

    /** The numeric gradient of the case's loss at {@code inputs}, input {@code k}. */
    private static Tensor gradient(Case c, Tensor[] inputs, Tensor[] w, int k) {
        TensorTape tape = new TensorTape();
        List<TensorVar> vars = new ArrayList<>();
        return tape.gradient(loss(c, inputs, w, tape, vars)).of(vars.get(k));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.backprop.tensor.TensorGradientTest#cases")
    void theRecordedGradientGivesTheNumbersAndItsGradientTheHessianTimesAVector(Case c) {
        Random rng = new Random(c.toString().hashCode());
        Tensor[] inputs = new Tensor[c.shapes().length];
        Tensor[] v = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = TensorGradientTest.draw(rng, c.domain(), c.shapes()[k]);
            v[k] = TensorGradientTest.draw(rng, TensorGradientTest.Domain.ANY, c.shapes()[k]);
        }
        int[] out = TensorGradientTest.apply(c, inputs).shape();
        Tensor[] w = {TensorGradientTest.draw(rng, TensorGradientTest.Domain.ANY, out), TensorGradientTest.draw(rng, TensorGradientTest.Domain.ANY, out)};

        TensorTape tape = new TensorTape();
        List<TensorVar> x = new ArrayList<>();
        TensorVar f = loss(c, inputs, w, tape, x);
        TensorGradients numeric = tape.gradient(f);
        TensorGradients recorded = tape.gradient(f, true);
        TensorVar gv = null;
        for (int k = 0; k < inputs.length; k++) {
            Tensor want = numeric.of(x.get(k));
            assertThat(recorded.var(x.get(k)).value()).as("%s: the recorded gradient's value", c).isEqualTo(recorded.of(x.get(k)));
            for (int i = 0; i < want.size(); i++) {
                assertThat(recorded.of(x.get(k)).at(i)).as("%s: recorded ∂/∂input%d[%d] against the numeric sweep", c, k, i)
                        .isCloseTo(want.at(i), within(1e-15 * Math.max(1, Math.abs(want.at(i)))));
            }
            TensorVar term = recorded.var(x.get(k)).mul(tape.constant(v[k])).sum();
            gv = gv == null ? term : gv.add(term);
        }
        TensorGradients hv = tape.gradient(gv);

        // (∇f(x + h·v) − ∇f(x − h·v)) / 2h, one step for all inputs along the direction v
        double h = 1e-5;
        Tensor[] plus = new Tensor[inputs.length], minus = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            plus[k] = inputs[k].add(v[k].mul(h));
            minus[k] = inputs[k].add(v[k].mul(-h));
        }
        for (int k = 0; k < inputs.length; k++) {
            Tensor fd = gradient(c, plus, w, k).sub(gradient(c, minus, w, k)).mul(1 / (2 * h));
            Tensor got = hv.of(x.get(k));
            assertThat(got.shape()).isEqualTo(inputs[k].shape());
            for (int i = 0; i < fd.size(); i++) {
                assertThat(got.at(i)).as("%s: (H·v) for input%d[%d]", c, k, i)
                        .isCloseTo(fd.at(i), within(1e-6 * Math.max(1, Math.abs(fd.at(i)))));
            }
        }
    }
}
