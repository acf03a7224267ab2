package dev.backprop.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.tensor.Tensor;
import dev.backprop.tensor.TensorTape;
import dev.backprop.tensor.TensorVar;
import dev.backprop.testing.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Named tensor parameters trained by the optimisers, against PyTorch's optimisers on the same network. */
class ParametersTest {
    /** Written by make_parameters.py beside the fixture. */
    private static final String FIXTURES = "/optim/";
    private static final List<String> NAMES = List.of("omega0", "beta0", "omega1", "beta1");

    @SuppressWarnings("unchecked")
    private static final Map<String, Object> REF = (Map<String, Object>) Json.resource(FIXTURES + "parameters.json");

    private static Tensor tensor(Object nested) {
        double[][] m = Json.matrix(nested);
        return Tensor.matrix(m);
    }

    private static Parameters start() {
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) REF.get("start");
        Parameters p = new Parameters();
        for (String n : NAMES) {
            p.add(n, tensor(s.get(n)));
        }
        return p;
    }

    /** The network of make_parameters.py: f = ω1·relu(ω0·x + β0) + β1, loss Σ(f − y)². */
    private static TensorVar loss(Parameters.Recording p) {
        TensorVar x = p.constant(tensor(REF.get("x")));
        TensorVar y = p.constant(tensor(REF.get("y")));
        TensorVar h = p.get("omega0").matmul(x).add(p.get("beta0")).relu();
        TensorVar f = p.get("omega1").matmul(h).add(p.get("beta1"));
        return f.sub(y).square().sum();
    }

    @SuppressWarnings("unchecked")
    private static void trainsAsPyTorch(String run, Optimizer optimizer, double tolerance) {
        Map<String, Object> ref = (Map<String, Object>) REF.get(run);
        double[] losses = Json.flat(ref.get("losses"));
        Parameters model = start();
        for (int i = 0; i < losses.length; i++) {
            double loss = optimizer.step(model, ParametersTest::loss);
            assertThat(loss).as("%s step %d", run, i + 1).isCloseTo(losses[i], within(tolerance * Math.abs(losses[i])));
        }
        Map<String, Object> want = (Map<String, Object>) ref.get("params");
        for (String n : NAMES) {
            double[] got = model.get(n).toArray();
            double[] exp = Json.flat(want.get(n));
            assertThat(model.get(n).shape()).isEqualTo(tensor(want.get(n)).shape());
            for (int k = 0; k < exp.length; k++) {
                assertThat(got[k]).as("%s %s[%d]", run, n, k).isCloseTo(exp[k], within(tolerance * (1 + Math.abs(exp[k]))));
            }
        }
    }

    @Test
    void gradientDescentStepsAsTorchSgd() {
        trainsAsPyTorch("gd", Optimizer.gradientDescent(0.01), 1e-12);
    }

    @Test
    void adamWithItsDefaultsStepsAsTorchAdam() {
        // torch divides by √v̂ + ε in another order of operations: equal to rounding, not bit for bit.
        trainsAsPyTorch("adam", Optimizer.adam(0.05), 1e-10);
    }

    @Test
    void adamsDefaultsAreTheUsualOnes() {
        double[] a = {1.0}, b = {1.0};
        Optimizer d = Optimizer.adam(0.1), e = Optimizer.adam(0.1, 0.9, 0.999, 1e-8);
        for (int i = 0; i < 5; i++) {
            d.step(a, OptimizerTest.SQUARE);
            e.step(b, OptimizerTest.SQUARE);
        }
        assertThat(a[0]).isEqualTo(b[0]);
    }

    @Test
    void nesterovTakesTheGradientAtTheLookAheadPointItIsHanded() {
        // L(φ) = Σ (φ − 3)², by hand ∂L/∂φ = 2(φ − 3): the flat optimiser is the reference.
        Objective byHand = (p, g) -> {
            double l = 0;
            for (int i = 0; i < p.length; i++) {
                g[i] = 2 * (p[i] - 3);
                l += (p[i] - 3) * (p[i] - 3);
            }
            return l;
        };
        double[] flat = {0.0, 1.0};
        Optimizer reference = Optimizer.nesterov(0.1, 0.9);
        Parameters model = new Parameters().add("phi", Tensor.vector(0.0, 1.0));
        Optimizer nesterov = Optimizer.nesterov(0.1, 0.9);
        for (int i = 0; i < 10; i++) {
            double want = reference.step(flat, byHand);
            double got = nesterov.step(model, p -> p.get("phi").sub(3).square().sum());
            assertThat(got).isCloseTo(want, within(1e-14));
        }
        assertThat(model.get("phi").toArray()).containsExactly(flat[0], flat[1]);
    }

    @Test
    void namesAreUniqueAndAnUnknownOneListsTheKnownOnes() {
        Parameters p = new Parameters().add("w", Tensor.zeros(2, 2)).add("b", Tensor.zeros(2, 1));
        assertThatThrownBy(() -> p.add("w", Tensor.zeros(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("there already is a parameter called 'w'");
        assertThatThrownBy(() -> p.get("W")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no parameter called 'W' (parameters: w, b)");
        assertThatThrownBy(() -> Optimizer.adam(0.1).step(p, r -> r.get("bias").sum()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no parameter called 'bias' (parameters: w, b)");
        assertThat(p.names()).containsExactly("w", "b");
        assertThat(p.size()).isEqualTo(6);
        assertThat(p.toString()).isEqualTo("Parameters[w=(2, 2), b=(2, 1); 6 numbers]");
    }

    @Test
    void aLossThatIsNotOneNumberOrNotOnTheTapeIsRefused() {
        Parameters p = new Parameters().add("w", Tensor.vector(1, 2));
        assertThatThrownBy(() -> Optimizer.gradientDescent(0.1).step(p, r -> r.get("w").square()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one number");
        TensorVar elsewhere = new TensorTape().input("v", Tensor.scalar(1));
        assertThatThrownBy(() -> Optimizer.gradientDescent(0.1).step(p, r -> elsewhere))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another tape");
        assertThat(p.get("w").toArray()).containsExactly(1, 2); // a failed step changes nothing
    }

    @Test
    void valuesAreCopiedInAndOut() {
        double[] data = {1, 2};
        Tensor t = Tensor.of(data, 2);
        Parameters p = new Parameters().add("w", t);
        Optimizer.gradientDescent(0.5).step(p, r -> r.get("w").sum()); // ∂/∂w = 1: w − 0.5
        assertThat(t.toArray()).containsExactly(1, 2);
        assertThat(p.get("w").toArray()).containsExactly(0.5, 1.5);
        assertThat(p.toMap()).containsOnlyKeys("w");
    }
}
