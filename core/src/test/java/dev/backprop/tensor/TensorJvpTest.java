package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.tensor.TensorGradientTest.Case;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tensor forward mode ({@link TensorTape#jvp}) on every case of {@code TensorGradientTest}'s table
 * (every primitive of {@code Op}, every rule of {@link Structural}): the tangent of Σ w ⊙ f(x) along
 * t equals Σ ⟨∂/∂x, t⟩ from the reverse sweep, and the tangent of f itself equals the central
 * difference (f(x + h·t) − f(x − h·t)) / 2h elementwise.
 */
class TensorJvpTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.backprop.tensor.TensorGradientTest#cases")
    void forwardModeIsTheGradientAlongTheTangentAndTheDifferenceOfValues(Case c) {
        Random rng = new Random(c.toString().hashCode() + 7);
        Tensor[] inputs = new Tensor[c.shapes().length];
        Tensor[] t = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = TensorGradientTest.draw(rng, c.domain(), c.shapes()[k]);
            t[k] = TensorGradientTest.draw(rng, TensorGradientTest.Domain.ANY, c.shapes()[k]);
        }
        TensorTape tape = new TensorTape();
        List<TensorVar> x = new ArrayList<>();
        Map<TensorVar, Tensor> tangents = new HashMap<>();
        for (int k = 0; k < inputs.length; k++) {
            x.add(tape.input(inputs[k]));
            tangents.put(x.get(k), t[k]);
        }
        TensorVar f = c.fn().apply(x);
        Tensor w = TensorGradientTest.draw(rng, TensorGradientTest.Domain.ANY, f.value().shape());
        TensorVar loss = f.mul(tape.constant(w)).sum();

        double forward = tape.jvp(loss, tangents).item();
        TensorGradients g = tape.gradient(loss);
        double reverse = 0;
        double scale = 0;
        for (int k = 0; k < inputs.length; k++) {
            Tensor gk = g.of(x.get(k));
            for (int i = 0; i < gk.size(); i++) {
                reverse += gk.at(i) * t[k].at(i);
                scale += Math.abs(gk.at(i) * t[k].at(i));
            }
        }
        assertThat(forward).as("%s: jvp against Σ⟨gradient, tangent⟩", c).isCloseTo(reverse, within(1e-12 * (1 + scale)));

        Tensor df = tape.jvp(f, tangents);
        double h = 1e-6;
        Tensor[] plus = new Tensor[inputs.length], minus = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            plus[k] = inputs[k].add(t[k].mul(h));
            minus[k] = inputs[k].add(t[k].mul(-h));
        }
        Tensor up = TensorGradientTest.apply(c, plus);
        Tensor down = TensorGradientTest.apply(c, minus);
        assertThat(df.shape()).isEqualTo(f.value().shape());
        for (int i = 0; i < df.size(); i++) {
            double fd = (up.at(i) - down.at(i)) / (2 * h);
            if (Double.isFinite(fd) && Math.abs(fd) < 1e6) {
                assertThat(df.at(i)).as("%s: element %d", c, i).isCloseTo(fd, within(1e-5 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aTangentOfTheWrongShapeIsRefused() {
        TensorTape tape = new TensorTape();
        TensorVar a = tape.input(Tensor.vector(1, 2));
        assertThatThrownBy(() -> tape.jvp(a.exp().sum(), Map.of(a, Tensor.vector(1, 2, 3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    }
}
