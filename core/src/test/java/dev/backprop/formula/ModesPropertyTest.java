package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Program;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Every mode of differentiation on random formulas over every primitive ({@link RandomFormula}), at
 * smooth points ({@link FormulaPropertyTest#smoothPoint}): forward mode equals the gradient along
 * the direction; the Hessian is symmetric; H·v equals the Hessian times v; the recorded tangent
 * sweep gives the forward mode's number and its gradient H·v; and second derivatives match central
 * differences of the gradient wherever those differences are themselves stable (they agree at h
 * and h/2).
 */
class ModesPropertyTest {

    @Property(tries = 600)
    void everyModeAgrees(@ForAll long seed) {
        RandomFormula rf = new RandomFormula(seed);
        Program p = Formula.compile(rf.source).program();
        int n = p.inputs().size();
        if (n == 0) {
            net.jqwik.api.statistics.Statistics.collect("no inputs");
            return;
        }
        Random rnd = new Random(seed);
        double[] x = FormulaPropertyTest.smoothPoint(p, rnd);
        net.jqwik.api.statistics.Statistics.collect(x == null ? "no smooth point" : "checked");
        if (x == null) {
            return;
        }
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = rnd.nextDouble() * 2 - 1;
        }
        Evaluation e = p.evaluate(x);
        List<Double> g = List.copyOf(e.gradient().inputs().values());
        double dot = 0;
        double scale = 0;
        for (int k = 0; k < n; k++) {
            dot += g.get(k) * v[k];
            scale += Math.abs(g.get(k) * v[k]);
        }
        double jvp = e.jvp(v);
        assertThat(Math.abs(jvp - dot)).as("%s: jvp %s, gradient·v %s", rf.source, jvp, dot)
                .isLessThanOrEqualTo(1e-12 * (1 + scale));

        double[][] h = e.hessian();
        double[] hv = e.hvp(v);
        double big = 1;
        for (double[] row : h) {
            for (double c : row) {
                big = Math.max(big, Math.abs(c));
            }
        }
        for (int i = 0; i < n; i++) {
            double want = 0;
            for (int j = 0; j < n; j++) {
                assertThat(Math.abs(h[i][j] - h[j][i])).as("%s: H[%d][%d] %s vs H[%d][%d] %s", rf.source, i, j, h[i][j], j, i, h[j][i])
                        .isLessThanOrEqualTo(1e-10 * big);
                want += h[i][j] * v[j];
            }
            assertThat(Math.abs(hv[i] - want)).as("%s: (H·v)[%d]", rf.source, i).isLessThanOrEqualTo(1e-10 * big * n);
        }

        Map<String, Double> dir = new LinkedHashMap<>();
        for (int k = 0; k < n; k++) {
            dir.put(p.inputs().get(k), v[k]);
        }
        Evaluation t = p.directionalDerivative(dir).evaluate(x);
        assertThat(t.value()).as("%s: recorded tangent sweep", rf.source).isEqualTo(jvp);
        for (int k = 0; k < n; k++) {
            assertThat(Math.abs(t.gradient().of(p.inputs().get(k)) - hv[k])).as("%s: reverse over forward", rf.source)
                    .isLessThanOrEqualTo(1e-10 * big * n);
        }

        if (n >= 2) {
            // Over data: the first input a column of three values (x[0] and two nearby), the rest
            // scalars; the batch engine's gradient of each recorded derivative program is a row
            // of the Hessian summed over the rows, which the scalar engine gives row by row.
            String column = p.inputs().get(0);
            double[] col = {x[0], x[0] + 1e-3, x[0] - 2e-3};
            Map<String, Double> scalars = new LinkedHashMap<>();
            for (int k = 1; k < n; k++) {
                scalars.put(p.inputs().get(k), x[k]);
            }
            double[][] sum = new double[n][n];
            for (double c : col) {
                double[] at = x.clone();
                at[0] = c;
                if (!FormulaPropertyTest.smooth(p, at)) {
                    return;
                }
                double[][] hc = p.evaluate(at).hessian();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        sum[i][j] += hc[i][j];
                    }
                }
            }
            dev.backprop.io.Columns data = new dev.backprop.io.Columns(Map.of(column, col));
            for (int i = 1; i < n; i++) {
                Map<String, Double> unit = Map.of(p.inputs().get(i), 1.0);
                for (boolean simd : new boolean[] {false, true}) {
                    Map<String, Double> row = dev.backprop.batch.BatchProgram.compile(p.directionalDerivative(unit), List.of(column))
                            .withSimd(simd).gradient(data, scalars).gradient();
                    for (int j = 1; j < n; j++) {
                        assertThat(Math.abs(row.get(p.inputs().get(j)) - sum[i][j]))
                                .as("%s: batch (simd %s) Σ H[%d][%d]", rf.source, simd, i, j).isLessThanOrEqualTo(1e-9 * 3 * big);
                    }
                }
            }
        }

        for (int j = 0; j < n; j++) {
            double step = 1e-4 * Math.max(1, Math.abs(x[j]));
            double[] fd = differenceOfGradient(p, x, j, step);
            double[] fd2 = differenceOfGradient(p, x, j, step / 2);
            for (int i = 0; i < n; i++) {
                double tol = 1e-5 * (1 + Math.abs(fd2[i]));
                if (!(Math.abs(fd[i] - fd2[i]) <= tol)) {
                    // Unstable differences, or NaN ones (a NaN fails every comparison, so "> tol"
                    // let them through): nothing to check against.
                    continue;
                }
                assertThat(Math.abs(h[i][j] - fd2[i])).as("%s: H[%d][%d] %s, differences %s", rf.source, i, j, h[i][j], fd2[i])
                        .isLessThanOrEqualTo(4 * tol);
            }
        }
    }

    private static double[] differenceOfGradient(Program p, double[] x, int j, double step) {
        double[] up = x.clone();
        double[] down = x.clone();
        up[j] += step;
        down[j] -= step;
        List<Double> gu = List.copyOf(p.evaluate(up).gradient().inputs().values());
        List<Double> gd = List.copyOf(p.evaluate(down).gradient().inputs().values());
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (gu.get(i) - gd.get(i)) / (2 * step);
        }
        return d;
    }
}
