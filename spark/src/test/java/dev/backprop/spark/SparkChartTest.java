package dev.backprop.spark;

import static dev.backprop.spark.SparkCliTest.run;
import static dev.backprop.spark.SparkCliTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.io.Columns;
import dev.backprop.spark.SparkCliTest.Run;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart of the data that {@code --plot} adds, drawn by {@code fit --spark} and {@code train
 * --spark} from rows brought to the driver: for data of at most 2,000 rows the points are the
 * single machine's, every one; for more, 2,000 of them, and the chart says it is a sample.
 * SVG charts are compared (their points are text); PNG ones are checked to be images.
 */
class SparkChartTest {
    @TempDir
    static Path dir;
    static Path small;
    static Path large;

    private static final String[] FIT = {"fit", "(a*sin(b*x) - y)^2", "--init", "a=1,b=1.5", "--optimizer", "adam",
        "--lr", "0.05", "--steps", "30"};
    private static final String[] TRAIN = {"train", "--inputs", "x", "--targets", "y", "--layers", "1", "--width", "6",
        "--optimizer", "adam", "--lr", "0.02", "--steps", "15", "--seed", "3"};

    @BeforeAll
    static void data() throws IOException {
        Local.spark();
        small = csv("small.csv", SparkSumTest.points(1000, 21));
        large = csv("large.csv", SparkSumTest.points(3000, 22));
    }

    private static Path csv(String name, Columns c) throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < c.rows(); i++) {
            sb.append(c.column("x")[i]).append(',').append(c.column("y")[i]).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    /** The data's points as the SVG draws them: the first group of the first colour (the legend's dot is another group). */
    private static String dataPoints(Path svg) throws IOException {
        Matcher m = Pattern.compile("<g fill=\"#1f77b4\">(.*?)</g>").matcher(Files.readString(svg));
        assertThat(m.find()).as(svg + " has the data's points").isTrue();
        return m.group(1);
    }

    private static int circles(String points) {
        return (points.length() - points.replace("<circle ", "").length()) / "<circle ".length();
    }

    @Test
    void fitDrawsTheSingleMachinesFittedCurveChart() throws IOException {
        Path one = dir.resolve("fit-one.svg");
        Path many = dir.resolve("fit-many.svg");
        Run a = run(with(FIT, "--data", small.toString(), "--plot", one.toString()));
        Run b = run(with(FIT, "--data", small.toString(), "--plot", many.toString(), "--spark", "local[2]"));
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err()).isEmpty();
        assertThat(b.out()).contains("data and fitted curve: " + dir.resolve("fit-many-fit.svg"));
        String points = dataPoints(dir.resolve("fit-many-fit.svg"));
        assertThat(circles(points)).isEqualTo(1000);
        assertThat(points).isEqualTo(dataPoints(dir.resolve("fit-one-fit.svg")));
        String svg = Files.readString(dir.resolve("fit-many-fit.svg"));
        assertThat(svg).contains(">Data, initial and fitted curves</text>").doesNotContain("sample");
    }

    @Test
    void fitOnMoreRowsDrawsASampleAndSaysSo() throws IOException {
        Path plot = dir.resolve("big.svg");
        Run r = run(with(FIT, "--data", large.toString(), "--plot", plot.toString(), "--seed", "5", "--spark", "local[2]"));
        assertThat(r.code()).as(r.err()).isZero();
        Path chart = dir.resolve("big-fit.svg");
        assertThat(circles(dataPoints(chart))).isEqualTo(2000);
        assertThat(Files.readString(chart)).contains(">a random sample of 2,000 of 3,000 rows (--seed 5)</text>");
        // The same seed, the same points.
        Path again = dir.resolve("again.svg");
        run(with(FIT, "--data", large.toString(), "--plot", again.toString(), "--seed", "5", "--spark", "local[2]"));
        assertThat(dataPoints(dir.resolve("again-fit.svg"))).isEqualTo(dataPoints(chart));
    }

    @Test
    void fitWritesBothPngsAndTakesTarget() throws IOException {
        Path plot = dir.resolve("loss.png");
        Run r = run(with(FIT, "--data", small.toString(), "--plot", plot.toString(), "--target", "y", "--json", "--spark", "local[2]"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"plots\": [\"" + plot + "\", \"" + dir.resolve("loss-fit.png") + "\"]");
        assertPng(plot);
        assertPng(dir.resolve("loss-fit.png"));
        // A --target that is not one of the formula's columns: the single machine's line, before any fit.
        String[] bad = with(FIT, "--data", small.toString(), "--plot", dir.resolve("bad.png").toString(), "--target", "z");
        Run one = run(bad);
        assertThat(one.code()).isEqualTo(2);
        assertThat(one.out()).as("refused before the fit").isEmpty();
        Run many = run(with(bad, "--spark", "local[2]"));
        assertThat(many.code()).isEqualTo(2);
        assertThat(many.out()).isEmpty();
        assertThat(many.err()).isEqualTo(one.err())
                .isEqualTo("backprop: --target z is not one of the formula's data columns (x, y)\n");
        assertThat(dir.resolve("bad.png")).doesNotExist();
    }

    @Test
    void trainDrawsTheSingleMachinesCurveChart() throws IOException {
        Path one = dir.resolve("net-one.svg");
        Path many = dir.resolve("net-many.svg");
        Run a = run(with(TRAIN, "--data", small.toString(), "--plot", one.toString()));
        Run b = run(with(TRAIN, "--data", small.toString(), "--plot", many.toString(), "--spark", "local[2]"));
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err()).isEmpty();
        assertThat(b.out()).contains("data and the network's curve: " + dir.resolve("net-many-fit.svg"));
        String points = dataPoints(dir.resolve("net-many-fit.svg"));
        assertThat(circles(points)).isEqualTo(1000);
        assertThat(points).isEqualTo(dataPoints(dir.resolve("net-one-fit.svg")));
        assertThat(Files.readString(dir.resolve("net-many-fit.svg"))).doesNotContain("sample");

        Path png = dir.resolve("net.png");
        Run c = run(with(TRAIN, "--data", large.toString(), "--plot", png.toString(), "--spark", "local[2]"));
        assertThat(c.code()).as(c.err()).isZero();
        assertPng(png);
        assertPng(dir.resolve("net-fit.png"));
        Path big = dir.resolve("net-big.svg");
        run(with(TRAIN, "--data", large.toString(), "--plot", big.toString(), "--spark", "local[2]"));
        assertThat(circles(dataPoints(dir.resolve("net-big-fit.svg")))).isEqualTo(2000);
        assertThat(Files.readString(dir.resolve("net-big-fit.svg"))).contains(">a random sample of 2,000 of 3,000 rows (--seed 3)</text>");
    }

    /** A PNG file that decodes to the 900 × 600 chart and is more than a blank frame. */
    private static void assertPng(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        assertThat(b).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G', (byte) '\r', (byte) '\n', (byte) 0x1a, (byte) '\n');
        assertThat(b.length).as(p + " size").isBetween(10_000, 1_000_000);
        BufferedImage img = ImageIO.read(p.toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(600);
    }
}
