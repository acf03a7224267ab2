package dev.backprop.cli;

import static dev.backprop.cli.CliTest.assertBad;
import static dev.backprop.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.cli.CliTest.Result;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grad --data} and {@code bench}. The toy-loss reference (sum, mean, gradient over 1234
 * rows) comes from numpy with the notebook's hand-derived backward pass:
 * {@code src/test/resources/batch/make_fixtures.py}.
 */
class BatchCliTest {
    static final String AT = "beta0=1.0,beta1=2.0,beta2=-3.0,beta3=0.4,omega0=0.1,omega1=-0.4,omega2=2.0,omega3=3.0";
    private static final Pattern NUMBER = Pattern.compile("\"([A-Za-z0-9_]+)\":\\s*(-?[0-9.eE+-]+|NaN|-?Infinity)");

    static Path resource(String name) {
        try {
            return Path.of(BatchCliTest.class.getResource("/batch/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every "name": number pair of a flat-ish JSON text (names are unique in these outputs). */
    static Map<String, Double> numbers(String json) {
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher mt = NUMBER.matcher(json);
        while (mt.find()) {
            m.put(mt.group(1), Double.parseDouble(mt.group(2)));
        }
        return m;
    }

    static void assertMatchesNumpy(Result r) throws IOException {
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        Map<String, Double> want = numbers(Files.readString(resource("expected.json")));
        Map<String, Double> got = numbers(r.out());
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
        // numpy adds the same terms in another order: 1e-12 relative is that rounding, with room.
        want.forEach((k, v) -> assertThat(got.get(k)).as(k).isCloseTo(v, within(1e-12 * Math.abs(v) * 10)));
        assertThat(r.out()).startsWith("{\"value\": ");
    }

    /**
     * The differential-testing reproducers, as a user runs them: an input only a dead statement
     * reads (it used to overwrite another input: 502 instead of 7), and pow's derivative at 0^0
     * over data (NaN in the batch engine, 0 row by row and in PyTorch).
     */
    @Test
    void gradOverDataAgreesWithGradAtRowByRow(@TempDir Path dir) throws IOException {
        Path xz = dir.resolve("xz.csv");
        Files.writeString(xz, "x,z\n1,10\n2,20\n");
        Result dead = run("grad", "u = x*x; t = z*2; l = u + a", "--data", xz.toString(), "--at", "a=1", "--json");
        assertThat(dead.code()).as(dead.err()).isZero();
        assertThat(numbers(dead.out())).containsEntry("value", 7.0).containsEntry("a", 2.0);

        Path y = dir.resolve("y.csv");
        Files.writeString(y, "y\n0\n1\n");
        Result pow = run("grad", "x^y", "--data", y.toString(), "--at", "x=0", "--json");
        assertThat(pow.code()).as(pow.err()).isZero();
        assertThat(pow.err()).isEmpty();
        // 0^0 + 0^1 = 1; d/dx: 0 where y = 0 (PyTorch's convention) plus 1·0^0 = 1 where y = 1.
        assertThat(numbers(pow.out())).containsEntry("value", 1.0).containsEntry("x", 1.0);
    }

    @Test
    void quotientRuleDoesNotOverflowWhereTheDerivativeIsFinite() {
        Result r = run("grad", "x/y", "--at", "x=1e300,y=1e200", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(numbers(r.out())).containsEntry("x", 1e-200).containsEntry("y", -1e-100); // PyTorch: -1e-100
    }

    @Test
    void gradOverCsvMatchesNumpy() throws IOException {
        assertMatchesNumpy(run("grad", CliTest.TOY, "--data", resource("toy.csv").toString(), "--at", AT, "--json"));
    }

    @Test
    void gradOverNpyFilesMatchesNumpy() throws IOException {
        assertMatchesNumpy(run("grad", CliTest.TOY, "--data",
                "x=" + resource("x.npy") + ",y=" + resource("y.npy"), "--at", AT, "--json"));
    }

    @Test
    void humanOutputShowsSumMeanRowsAndGradient() {
        Result r = run("grad", CliTest.TOY, "--data", resource("toy.csv").toString(), "--at", AT);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Σl = 4124.77993227").contains("1,234 rows").contains("mean l = 3.34260934544")
                .contains("∂Σl/∂omega0 = 8379.3226139");
    }

    @Test
    void wrtNarrowsTheGradient() {
        Result r = run("grad", CliTest.TOY, "--data", resource("toy.csv").toString(), "--at", AT,
                "--wrt", "beta0,omega3", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(numbers(r.out()).keySet()).containsExactly("value", "mean", "n", "beta0", "omega3");
    }

    @Test
    void badDataIsOneLineNamingFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path notNumber = dir.resolve("bad.csv");
        Files.writeString(notNumber, "x,y\n1,2\n3,abc\n");
        assertBad(run("grad", "x*y*a", "--data", notNumber.toString(), "--at", "a=1"),
                notNumber + ":3:2: 'abc' is not a number (column y)");
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "x,y\n1,2\n3\n");
        assertBad(run("grad", "x*y*a", "--data", ragged.toString(), "--at", "a=1"),
                ragged + ":3: row has 1 cell, the header has 2");
        Path onlyX = dir.resolve("x.csv");
        Files.writeString(onlyX, "x\n1\n2\n");
        assertBad(run("grad", "x*y*a", "--data", onlyX.toString(), "--at", "a=1"),
                onlyX + ": no column 'y' for input 'y' of the formula");
        assertBad(run("grad", "x*y*a", "--data", dir.resolve("none.csv").toString(), "--at", "a=1"),
                "none.csv: no such file");
        assertBad(run("grad", "x*a", "--data", resource("x.npy").toString(), "--at", "a=1"),
                "a .npy file holds one column; name it");
        assertBad(run("grad", "x*a", "--data", "x=" + dir.resolve("none.npy"), "--at", "a=1"), "none.npy: no such file");
        assertBad(run("grad", "x*a", "--data", onlyX.toString(), "--at", "a=1,x=2"), "also a column of " + onlyX);
        assertBad(run("grad", "x*a", "--data", onlyX.toString(), "--at", "a=1", "--wrt", "x"), "a column of the data");
        assertBad(run("grad", "x*a", "--data", onlyX.toString()), "no --at a=VALUE");
        assertBad(run("grad", "x*a", "--data", onlyX.toString(), "--at", "a=1,q=3"), "--at names 'q'");
        Path shortY = dir.resolve("short.npy");
        Files.write(shortY, dev.backprop.io.Npy.encode(new double[] {1, 2, 3}));
        assertBad(run("grad", "x*y*a", "--data", "x=" + resource("x.npy") + ",y=" + shortY, "--at", "a=1"),
                shortY + ": has 3 values");
    }

    @Test
    void nonFiniteSumNamesTheFirstRowAndStep(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "x\n1\n2\n-1\n-2\n");
        Result r = run("grad", "l = log(x); a*l", "--data", csv.toString(), "--at", "a=2");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Σ");
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("row 3 (" + csv + " line 4)").contains("step l = log(x)").contains("NaN");
        // A finite value whose derivative is not: sqrt'(0) = ∞. (Not sqrt(a*x) at x = 0: that is
        // 0 for every a, and its derivative ∞·0 is 0 by the chain rule's strong zero.)
        Files.writeString(csv, "x\n1\n-2\n");
        Result g = run("grad", "sqrt(a + x)", "--data", csv.toString(), "--at", "a=2");
        assertThat(g.err()).contains("row 2 (" + csv + " line 3)").contains("backward");
    }

    @Test
    void benchPrintsNanosecondsPerPoint() {
        Result j = run("bench", "--n", "3000", "--json");
        assertThat(j.code()).as(j.err()).isZero();
        Map<String, Double> m = numbers(j.out());
        assertThat(m).containsEntry("n", 3000.0);
        assertThat(m.get("loss_ns_per_point")).isPositive();
        assertThat(m.get("gradient_ns_per_point")).isPositive();
        assertThat(j.out()).startsWith("{\"n\": 3000, \"loss_ns_per_point\": ");
        Result h = run("bench", "--n", "2000", "--threads", "1", "--plain");
        assertThat(h.code()).as(h.err()).isZero();
        assertThat(h.out()).contains("2,000 points, 1 thread, SIMD off").contains("ns/point");
        assertBad(run("bench", "--n", "0"), "--n must be at least 1");
    }
}
