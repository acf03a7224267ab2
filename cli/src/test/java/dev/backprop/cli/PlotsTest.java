package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long loss curves are drawn from a bounded number of points that keep their shape. */
class PlotsTest {
    @TempDir
    Path dir;

    /** A noisy, falling loss over 500,000 steps with one spike up and one dip down. */
    static double[][] curve(int n) {
        Random rnd = new Random(1);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = 100.0 / (1 + i / 1000.0) * (1 + 0.1 * rnd.nextGaussian() * 0.1);
        }
        y[123_457] = 1e6;   // the maximum, in the middle
        y[400_001] = 1e-9;  // the minimum
        return new double[][] {x, y};
    }

    @Test
    void a500000PointCurveIsReducedKeepingEndsAndExtremes() {
        double[][] c = curve(500_000);
        double[][] d = Plots.downsample(c[0], c[1], 2000);
        assertThat(d[0].length).isEqualTo(d[1].length).isLessThanOrEqualTo(4002).isGreaterThan(3000);
        assertThat(d[0][0]).isEqualTo(1.0);
        assertThat(d[1][0]).isEqualTo(c[1][0]);
        assertThat(d[0][d[0].length - 1]).isEqualTo(500_000.0);
        assertThat(d[1][d[1].length - 1]).isEqualTo(c[1][499_999]);
        assertThat(Arrays.stream(d[1]).max().getAsDouble()).isEqualTo(1e6);
        assertThat(Arrays.stream(d[1]).min().getAsDouble()).isEqualTo(1e-9);
        for (int i = 1; i < d[0].length; i++) {
            assertThat(d[0][i]).as("in step order").isGreaterThan(d[0][i - 1]);
            int step = (int) d[0][i] - 1;
            assertThat(d[1][i]).as("a real point of the curve").isEqualTo(c[1][step]);
        }
        // Every bucket's own extremes survive: the drawn envelope is the curve's.
        int n = 500_000;
        for (int b = 0; b < 2000; b += 97) {
            int from = 1 + (int) ((long) (n - 2) * b / 2000);
            int to = 1 + (int) ((long) (n - 2) * (b + 1) / 2000);
            double hi = Arrays.stream(c[1], from, to).max().getAsDouble();
            assertThat(d[1]).contains(hi);
        }
    }

    @Test
    void shortCurvesAreLeftAlone() {
        double[][] c = curve(500_000);
        double[] x = Arrays.copyOf(c[0], 1000);
        double[] y = Arrays.copyOf(c[1], 1000);
        double[][] d = Plots.downsample(x, y, 2000);
        assertThat(d[0]).containsExactly(x);
        assertThat(d[1]).containsExactly(y);
    }

    @Test
    void aLongCurveIsDrawnQuicklyAndSmall() throws IOException {
        double[][] c = curve(500_000);
        Path svg = dir.resolve("loss.svg");
        long t0 = System.nanoTime();
        Plots.write(svg, "loss", "step", "loss", true, List.of(new Plots.Series("loss", c[0], c[1])));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // XChart's SVG takes ~300 bytes a point (and ~2 MB of axes and lettering here): all 500,000
        // points would be ~150 MB; 2,002 of them add well under 1 MB.
        assertThat(Files.size(svg)).isLessThan(4_000_000);
        assertThat(ms).as("milliseconds to draw").isLessThan(20_000);
    }

    @Test
    void aSubtitleGoesUnderTheTitleAndNoneLeavesTheChartAsItWas() throws IOException {
        List<Plots.Series> s = List.of(new Plots.Series("data", new double[] {0, 1, 2}, new double[] {1, 3, 2}, false, true, 0));
        Path plain = dir.resolve("plain.svg");
        Path none = dir.resolve("none.svg");
        Path sub = dir.resolve("sub.svg");
        Plots.write(plain, "Data", "x", "y", false, s);
        Plots.write(none, "Data", null, "x", "y", false, s);
        Plots.write(sub, "Data", "a random sample of 2 of 3 rows", "x", "y", false, s);
        assertThat(Files.readString(none)).isEqualTo(Files.readString(plain));
        String svg = Files.readString(sub);
        int title = svg.indexOf(">Data</text>");
        int under = svg.indexOf(">a random sample of 2 of 3 rows</text>");
        assertThat(title).isPositive();
        assertThat(under).isGreaterThan(title);
        // The same points, where the frame is: the subtitle takes no room from the plot.
        String without = Files.readString(plain);
        assertThat(svg.substring(svg.indexOf("<g fill="))).isEqualTo(without.substring(without.indexOf("<g fill=")));
    }

    @Test
    void aSampleIsNamedOnlyWhenRowsAreLeftOut() {
        java.util.Map<String, double[]> m = new java.util.LinkedHashMap<>();
        m.put("x", new double[] {1, 2});
        dev.backprop.io.Columns two = new dev.backprop.io.Columns(m);
        assertThat(Training.sampleNote(new SparkBackend.Sample(2, two), 0)).isNull();
        assertThat(Training.sampleNote(new SparkBackend.Sample(1_234_567, two), 7))
                .isEqualTo("a random sample of 2 of 1,234,567 rows (--seed 7)");
    }
}
