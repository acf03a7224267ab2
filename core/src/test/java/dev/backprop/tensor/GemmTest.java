package dev.backprop.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GemmTest {

    /** The textbook triple loop on op(A), op(B): the oracle every kernel path is held to. */
    static double[] naive(int m, int n, int k, double[] a, boolean ta, double[] b, boolean tb) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /** |op(A)|·|op(B)|: the scale of the rounding error each element of C may carry. */
    static double[] magnitude(int m, int n, int k, double[] a, boolean ta, double[] b, boolean tb) {
        double[] aa = a.clone(), bb = b.clone();
        for (int i = 0; i < aa.length; i++) {
            aa[i] = Math.abs(aa[i]);
        }
        for (int i = 0; i < bb.length; i++) {
            bb[i] = Math.abs(bb[i]);
        }
        return naive(m, n, k, aa, ta, bb, tb);
    }

    static double[] random(Random r, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    static void assertClose(double[] actual, double[] expected, double[] scale, int k) {
        assertThat(actual).hasSize(expected.length);
        double tol = 4 * Math.ulp(1.0) * Math.max(1, k);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i]))
                    .as("element %d: %s vs %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tol * scale[i] + Double.MIN_NORMAL);
        }
    }

    static void check(MicroKernel kern, int threads, int m, int n, int k, boolean ta, boolean tb, long seed) {
        Random r = new Random(seed);
        double[] a = random(r, m * k), b = random(r, k * n);
        double[] c = new double[m * n];
        java.util.Arrays.fill(c, Double.NaN); // overwritten, never read, when not accumulating
        Gemm.multiply(kern, threads, m, n, k, a, ta, b, tb, c, false);
        assertClose(c, naive(m, n, k, a, ta, b, tb), magnitude(m, n, k, a, ta, b, tb), k);
    }

    // Shapes: trivial, odd, one past each micro-tile edge (MR 4/6, NR 4/8), past KC = 256,
    // past MC = 96, and one wider than NC = 2048; sizes large enough to be split across threads.
    @ParameterizedTest(name = "{0}×{2}·{2}×{1} transA={3} transB={4}")
    @CsvSource({
        "1, 1, 1, false, false", "7, 5, 13, false, false", "7, 5, 13, true, false", "7, 5, 13, false, true",
        "7, 5, 13, true, true", "13, 9, 40, false, false", "25, 17, 33, true, true", "97, 33, 257, false, false",
        "97, 33, 257, true, false", "61, 101, 300, false, true", "200, 130, 600, true, true",
        "3, 2100, 40, false, false", "3, 2100, 40, false, true", "1, 300, 300, false, false", "300, 1, 300, true, false",
        "130, 70, 1, false, false", "128, 256, 512, false, false", "256, 128, 512, true, true"
    })
    void everyKernelAndSplitMatchesTheTextbookLoop(int m, int n, int k, boolean ta, boolean tb) {
        for (MicroKernel kern : List.of(Gemm.PLAIN, Gemm.BEST)) {
            for (int threads : new int[] {1, 2, 3}) {
                check(kern, threads, m, n, k, ta, tb, 31L * m + 17L * n + k);
            }
        }
    }

    @Property(tries = 60)
    void randomShapesMatchTheTextbookLoop(@ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 300) int k, @ForAll boolean ta, @ForAll boolean tb) {
        check(Gemm.BEST, 2, m, n, k, ta, tb, m * 7919L + n * 31L + k);
        check(Gemm.PLAIN, 1, m, n, k, ta, tb, m * 7919L + n * 31L + k);
    }

    @Test
    void theVectorKernelIsUsedWhenTheModuleIsPresent() {
        // Surefire runs with --add-modules jdk.incubator.vector; without it this would say "plain".
        assertThat(Gemm.kernel()).startsWith("vector");
        assertThat(Gemm.BEST).isNotSameAs(Gemm.PLAIN);
    }

    @Test
    void vectorAndPlainKernelsAgreeToRoundingAndThreadsChangeNothing() {
        int m = 150, n = 90, k = 700;
        Random r = new Random(5);
        double[] a = random(r, m * k), b = random(r, k * n);
        double[] plain = new double[m * n], vec1 = new double[m * n], vec2 = new double[m * n];
        Gemm.multiply(Gemm.PLAIN, 1, m, n, k, a, false, b, false, plain, false);
        Gemm.multiply(Gemm.BEST, 1, m, n, k, a, false, b, false, vec1, false);
        Gemm.multiply(Gemm.BEST, 2, m, n, k, a, false, b, false, vec2, false);
        assertClose(vec1, plain, magnitude(m, n, k, a, false, b, false), k);
        // Each element is summed in the same order whoever computes it.
        assertThat(vec2).isEqualTo(vec1);
    }

    @Test
    void accumulateAddsToC() {
        int m = 20, n = 30, k = 300;
        Random r = new Random(9);
        double[] a = random(r, m * k), b = random(r, k * n), c0 = random(r, m * n);
        double[] c = c0.clone();
        Gemm.multiply(m, n, k, a, false, b, false, c, true);
        double[] ab = naive(m, n, k, a, false, b, false);
        double[] scale = magnitude(m, n, k, a, false, b, false);
        for (int i = 0; i < ab.length; i++) {
            ab[i] += c0[i];
            scale[i] += Math.abs(c0[i]);
        }
        assertClose(c, ab, scale, k);
    }

    @Test
    void nanAndInfinityPropagateAsInIeeeArithmetic() {
        for (MicroKernel kern : List.of(Gemm.PLAIN, Gemm.BEST)) {
            int m = 40, n = 40, k = 40; // large enough for the packed path
            double[] a = new double[m * k], b = new double[k * n];
            java.util.Arrays.fill(a, 1.0);
            java.util.Arrays.fill(b, 1.0);
            a[3 * k + 5] = Double.NaN;               // row 3 of C: all NaN
            b[7 * n + 11] = Double.POSITIVE_INFINITY; // column 11: ∞ ...
            a[9 * k + 7] = 0.0;                      // ... except row 9, where 0·∞ = NaN
            double[] c = new double[m * n];
            Gemm.multiply(kern, 2, m, n, k, a, false, b, false, c, false);
            for (int j = 0; j < n; j++) {
                assertThat(c[3 * n + j]).as("row 3, column %d", j).isNaN();
            }
            assertThat(c[9 * n + 11]).isNaN();
            assertThat(c[0 * n + 11]).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(c[0 * n + 12]).isEqualTo(40.0);
            assertThat(c[9 * n + 12]).isEqualTo(39.0);
        }
    }

    @Test
    void emptyAndZeroInnerSizes() {
        double[] c = {5, 5, 5, 5};
        Gemm.multiply(2, 2, 0, new double[0], false, new double[0], false, c, false);
        assertThat(c).containsOnly(0.0);
        Gemm.multiply(0, 3, 4, new double[0], false, new double[12], false, new double[0], false);
    }

    @Test
    void shortArraysAreRejected() {
        assertThatThrownBy(() -> Gemm.multiply(2, 2, 2, new double[3], false, new double[4], false, new double[4], false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A has 3 elements");
    }

    @Test
    void tensorProductsAndTheirGradientsUseTransposedReadsCorrectly() {
        Random r = new Random(2);
        int m = 33, k = 70, n = 45;
        Tensor x = Tensor.of(random(r, m * k), m, k);
        Tensor z = Tensor.of(random(r, k * n), k, n);
        Tensor w = Tensor.of(random(r, m * n), m, n);
        TensorTape tape = new TensorTape();
        TensorVar xv = tape.input(x), zv = tape.input(z);
        TensorGradients g = tape.gradient(xv.matmul(zv).mul(tape.constant(w)).sum());
        // d/dX Σ W⊙(XZ) = W·Zᵀ, d/dZ = Xᵀ·W, from the plain transposes.
        assertClose(g.of(xv).toArray(), w.matmul(z.transpose()).toArray(),
                magnitude(m, k, n, w.toArray(), false, z.transpose().toArray(), false), n);
        assertClose(g.of(zv).toArray(), x.transpose().matmul(w).toArray(),
                magnitude(k, n, m, x.transpose().toArray(), false, w.toArray(), false), m);
    }

    @Test
    void coreRunsWithoutTheIncubatorModule() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // Core's classes are on the module path when surefire runs the tests as the module;
        // the probe runs them from the class path either way.
        String cp = System.getProperty("java.class.path") + File.pathSeparator + System.getProperty("jdk.module.path", "");
        Process p = new ProcessBuilder(java, "-cp", cp, GemmProbe.class.getName())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("plain [19.0, 22.0, 43.0, 50.0] 64.0 64.0");
        assertThat(new File(java)).exists();
    }
}
