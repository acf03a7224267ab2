package dev.backprop.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.batch.BatchProgram;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forward mode, Hessians and Jacobians against the gradient, finite differences and symmetry. */
class SecondOrderTest {

    private static final String TOY = "f0 = b0 + w0*x; h1 = sin(f0); f1 = b1 + w1*h1; h2 = exp(f1)\n"
            + "f2 = b2 + w2*h2; h3 = cos(f2); f3 = b3 + w3*h3; l = (f3 - y)^2";

    private static double[] point(Program p, Random rnd) {
        double[] x = new double[p.inputs().size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble() - 0.5;
        }
        return x;
    }

    @Test
    void forwardModeIsTheGradientAlongTheDirection() {
        Program p = Formula.compile(TOY).program();
        Random rnd = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            double[] x = point(p, rnd);
            double[] v = point(p, rnd);
            Evaluation e = p.evaluate(x);
            double dot = 0;
            int k = 0;
            for (double g : e.gradient().inputs().values()) {
                dot += g * v[k++];
            }
            assertThat(e.jvp(v)).isCloseTo(dot, within(1e-12 * Math.max(1, Math.abs(dot))));
        }
    }

    @Test
    void hessianIsSymmetricAndMatchesDifferencesOfTheGradient() {
        Program p = Formula.compile(TOY).program();
        double[] x = point(p, new Random(5));
        double[][] h = p.evaluate(x).hessian();
        int n = x.length;
        double step = 1e-5;
        for (int j = 0; j < n; j++) {
            double[] up = x.clone();
            double[] down = x.clone();
            up[j] += step;
            down[j] -= step;
            List<Double> gu = List.copyOf(p.evaluate(up).gradient().inputs().values());
            List<Double> gd = List.copyOf(p.evaluate(down).gradient().inputs().values());
            for (int i = 0; i < n; i++) {
                double fd = (gu.get(i) - gd.get(i)) / (2 * step);
                assertThat(h[i][j]).as("H[%d][%d]", i, j).isCloseTo(fd, within(1e-6 * Math.max(1, Math.abs(fd))));
                assertThat(h[i][j]).as("symmetry at %d,%d", i, j).isCloseTo(h[j][i], within(1e-12 * Math.max(1, Math.abs(h[i][j]))));
            }
        }
    }

    @Test
    void hvpIsTheHessianTimesTheVector() {
        Program p = Formula.compile(TOY).program();
        Random rnd = new Random(9);
        double[] x = point(p, rnd);
        double[] v = point(p, rnd);
        Evaluation e = p.evaluate(x);
        double[][] h = e.hessian();
        double[] hv = e.hvp(v);
        for (int i = 0; i < v.length; i++) {
            double want = 0;
            for (int j = 0; j < v.length; j++) {
                want += h[i][j] * v[j];
            }
            assertThat(hv[i]).isCloseTo(want, within(1e-12 * Math.max(1, Math.abs(want))));
        }
    }

    @Test
    void jacobianIsTheSameByEitherMode() {
        Formula f = Formula.compile("u = x*sin(y) + z\nv = exp(x*z) - y^2\nw = max(u, v, x)\nw");
        Program p = f.program();
        int[] outs = {nodeOf(p, "u"), nodeOf(p, "v"), nodeOf(p, "w")};
        Evaluation e = p.evaluate(0.3, -0.7, 1.1);
        double[][] fwd = e.jacobian(outs, Evaluation.Mode.FORWARD);
        double[][] rev = e.jacobian(outs, Evaluation.Mode.REVERSE);
        for (int r = 0; r < outs.length; r++) {
            for (int c = 0; c < 3; c++) {
                assertThat(fwd[r][c]).isCloseTo(rev[r][c], within(1e-14));
            }
        }
        // ∂u/∂y = x·cos(y)
        assertThat(rev[0][1]).isCloseTo(0.3 * Math.cos(-0.7), within(1e-15));
    }

    private static int nodeOf(Program p, String name) {
        for (int i = 0; i < p.size(); i++) {
            if (name.equals(p.name(i))) {
                return i;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void theRecordedSweepKeepsStrongZeros() {
        // sqrt(relu(x)) at x < 0: the sweep passes 0, and so does its recording.
        Program p = Formula.compile("sqrt(relu(x)) + x^2").program();
        Evaluation e = p.evaluate(-2.0);
        assertThat(e.gradient().of("x")).isEqualTo(-4.0);
        assertThat(p.derivative("x").evaluate(-2.0).value()).isEqualTo(-4.0);
        assertThat(e.hessian()[0][0]).isEqualTo(2.0);
    }

    @Test
    void derivativeProgramsRunInTheBatchEngineForHessiansOverData() {
        Program p = Formula.compile("(a*x + b - y)^2").program();
        Program da = p.derivative("a");
        double[] xs = {0.5, 1.5, -2.0};
        double[] ys = {1.0, 0.0, 3.0};
        BatchProgram batch = BatchProgram.compile(da, List.of("x", "y"));
        var r = batch.gradient(new Columns(java.util.Map.of("x", xs, "y", ys)), java.util.Map.of("a", 0.7, "b", -0.2));
        // Σ ∂²/∂a² = Σ 2x², Σ ∂²/∂a∂b = Σ 2x
        assertThat(r.gradient().get("a")).isCloseTo(2 * (0.25 + 2.25 + 4.0), within(1e-12));
        assertThat(r.gradient().get("b")).isCloseTo(2 * (0.5 + 1.5 - 2.0), within(1e-12));
    }

    @Test
    void theRecordedTangentSweepGivesTheJvpAndItsGradientTheHvp() {
        Program p = Formula.compile(TOY).program();
        Random rnd = new Random(21);
        double[] x = point(p, rnd);
        double[] v = point(p, rnd);
        java.util.Map<String, Double> dir = new java.util.LinkedHashMap<>();
        for (int k = 0; k < v.length; k++) {
            dir.put(p.inputs().get(k), v[k]);
        }
        Program t = p.directionalDerivative(dir);
        assertThat(t.inputs()).isEqualTo(p.inputs());
        Evaluation e = p.evaluate(x);
        Evaluation et = t.evaluate(x);
        assertThat(et.value()).isEqualTo(e.jvp(v)); // the same products in the same order
        double[] hv = e.hvp(v);
        for (int k = 0; k < v.length; k++) {
            double got = et.gradient().of(p.inputs().get(k));
            assertThat(got).isCloseTo(hv[k], within(1e-12 * Math.max(1, Math.abs(hv[k]))));
        }
    }
}
