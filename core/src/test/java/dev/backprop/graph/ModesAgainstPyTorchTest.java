package dev.backprop.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.formula.Formula;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward mode, Hessian-vector products, Hessians and Jacobians against PyTorch's {@code
 * torch.autograd.functional} (float64), on formulas that use every primitive, from
 * {@code modes/modes.tsv} and {@code modes/jacobian.tsv} (made by {@code modes/make_modes.py}).
 */
class ModesAgainstPyTorchTest {

    static Stream<String> modes() throws IOException {
        return rows("/modes/modes.tsv");
    }

    static Stream<String> jacobians() throws IOException {
        return rows("/modes/jacobian.tsv");
    }

    private static Stream<String> rows(String path) throws IOException {
        try (InputStream in = ModesAgainstPyTorchTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            List<String> rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).toList();
            assertThat(rows).hasSizeGreaterThan(10);
            return rows.stream();
        }
    }

    private static double[] numbers(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static void close(String what, double ours, double torch) {
        assertThat(Math.abs(ours - torch)).as("%s: ours %s, PyTorch %s", what, ours, torch)
                .isLessThanOrEqualTo(1e-10 * Math.max(1, Math.abs(torch)));
    }

    /** The formula's inputs in x, y, z order, as the script wrote the point. */
    private static double[] inOrder(Program p, double[] xyz) {
        assertThat(List.of("x", "y", "z")).containsAll(p.inputs());
        List<String> names = List.of("x", "y", "z");
        double[] v = new double[p.inputs().size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = xyz[names.indexOf(p.inputs().get(k))];
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void everyModeMatchesPyTorch(String row) {
        String[] f = row.split("\t");
        Program p = Formula.compile(f[0]).program();
        List<String> xyz = List.of("x", "y", "z");
        Evaluation e = p.evaluate(inOrder(p, numbers(f[1])));
        double[] dir = inOrder(p, numbers(f[2]));
        close("value", e.value(), Double.parseDouble(f[3]));
        double[] grad = numbers(f[4]);
        double[] h = numbers(f[5]);
        double[] hv = numbers(f[7]);
        double[][] ours = e.hessian();
        double[] oursHv = e.hvp(dir);
        // An input the formula does not use is not an input of ours; PyTorch's derivatives for it are 0.
        for (int i = 0; i < 3; i++) {
            int ri = p.inputs().indexOf(xyz.get(i));
            close("gradient " + xyz.get(i), ri < 0 ? 0 : e.gradient().of(xyz.get(i)), grad[i]);
            close("hvp " + xyz.get(i), ri < 0 ? 0 : oursHv[ri], hv[i]);
            for (int j = 0; j < 3; j++) {
                int rj = p.inputs().indexOf(xyz.get(j));
                close("hessian " + xyz.get(i) + xyz.get(j), ri < 0 || rj < 0 ? 0 : ours[ri][rj], h[3 * i + j]);
            }
        }
        close("jvp", e.jvp(dir), Double.parseDouble(f[6]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jacobians")
    void jacobiansMatchPyTorchInBothModes(String row) {
        String[] f = row.split("\t");
        Formula formula = Formula.compile("f = " + f[0] + "\ng = " + f[1] + "\nf + g");
        Program p = formula.program();
        int[] outs = {formula.statementNode("f"), formula.statementNode("g")};
        double[] xyz = numbers(f[2]);
        double[] want = numbers(f[3]);
        Evaluation e = p.evaluate(inOrder(p, xyz));
        List<String> names = List.of("x", "y", "z");
        for (Evaluation.Mode mode : Evaluation.Mode.values()) {
            double[][] j = e.jacobian(outs, mode);
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    int k = p.inputs().indexOf(names.get(c));
                    close(mode + " ∂out" + r + "/∂" + names.get(c), k < 0 ? 0 : j[r][k], want[3 * r + c]);
                }
            }
        }
    }
}
