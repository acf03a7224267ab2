package dev.backprop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.io.Columns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The modes rows race equal answers: every mode {@link ToyModes} times, on both kernels and with
 * more than one thread, against PyTorch's (toy_modes.json, made by make_toy_modes.py beside it:
 * torch.autograd.functional's hvp, hessian and jvp on the same points and direction).
 */
class ToyModesTest {
    private static final double REL = 1e-12;

    @Test
    void everyModeEqualsPyTorchOnBothKernels() throws IOException {
        Map<String, Object> ref = reference();
        int n = ((Number) ref.get("n")).intValue();
        assertThat(ref.get("direction")).isEqualTo(ToyData.DIRECTION);
        Columns data = ToyData.generate(n).columns();
        Map<String, Double> p = ToyData.parameterMap();
        double[] hvp = numbers(ref.get("hvp"));
        double[][] hessian = ((List<?>) ref.get("hessian")).stream().map(ToyModesTest::numbers).toArray(double[][]::new);
        double jvp = ((Number) ref.get("jvp")).doubleValue();
        for (boolean simd : new boolean[] {false, true}) {
            ToyModes modes = new ToyModes(simd, 2);
            assertClose(modes.hvp(data, p), hvp, "H·v, simd " + simd);
            double[][] byDirections = modes.hessianByDirections(data, p);
            double[][] byDerivatives = modes.hessianByDerivatives(data, p);
            for (int k = 0; k < hessian.length; k++) {
                assertClose(byDirections[k], hessian[k], "Hessian row " + k + " by directions, simd " + simd);
                assertClose(byDerivatives[k], hessian[k], "Hessian row " + k + " by derivatives, simd " + simd);
            }
            assertThat(modes.jvp(data, p)).as("JVP, simd %s", simd).isCloseTo(jvp, within(REL * Math.abs(jvp)));
            assertThat(modes.loss().value(data, p).sum()).as("loss, simd %s", simd)
                    .isCloseTo(((Number) ref.get("loss")).doubleValue(), within(REL * 1e4));
        }
    }

    private static void assertClose(double[] got, double[] expected, String what) {
        assertThat(got).as(what).hasSameSizeAs(expected);
        // Entries cancel to different sizes; the row's largest sets the scale of its rounding.
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s, component %d", what, i).isCloseTo(expected[i], within(REL * scale));
        }
    }

    private static double[] numbers(Object list) {
        return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static Map<String, Object> reference() throws IOException {
        try (InputStream in = ToyModesTest.class.getResourceAsStream("/modes/toy_modes.json")) {
            assertThat(in).as("modes/toy_modes.json on the test class path").isNotNull();
            return FlatJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
