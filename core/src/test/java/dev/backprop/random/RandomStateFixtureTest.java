package dev.backprop.random;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.random.Fixtures.Call;
import dev.backprop.random.Fixtures.Deviation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays numpy's recorded call streams and demands the same bits.
 *
 * <p>Doubles are compared with {@code Double.equals}, which compares bit patterns: no tolerance.
 * The only values not taken from numpy's own output are the few Gaussians where this machine's C
 * library {@code log} misrounds; there the fixture script's Python model of numpy's polar method
 * (checked against numpy at every other draw) gives the value with a correctly rounded log.
 */
class RandomStateFixtureTest {

    @Test
    void notebook72IsReproducedExactly() {
        List<Call> calls = Fixtures.calls("notebook_7_2.txt");
        // The notebook must match numpy itself, with no libm allowance anywhere.
        assertThat(calls).allSatisfy(c -> assertThat(c.deviations()).as(c.toString()).isEmpty());
        int checked = replay(calls);
        assertThat(checked).isEqualTo(6 + 6 + 6 + 1 + 4 * (36 + 6));
    }

    @Test
    void notebook72ViaPublicApiShapes() {
        // The same calls written the way a port of the notebook would, compared to the fixture.
        List<Call> calls = Fixtures.calls("notebook_7_2.txt");
        RandomState rng = new RandomState(0);
        double[][][] drawn = new double[calls.size() - 1][][];
        int[][] shapes = {{6, 1}, {1, 6}, {6, 1}, {1, 1}, {6, 6}, {6, 1}, {6, 6}, {6, 1}, {6, 6}, {6, 1}, {6, 6}, {6, 1}};
        for (int k = 0; k < shapes.length; k++) {
            drawn[k] = rng.normal(shapes[k][0], shapes[k][1]);
        }
        assertThat(calls.get(0).name()).isEqualTo("seed");
        for (int k = 0; k < shapes.length; k++) {
            Call c = calls.get(k + 1);
            assertThat(c.args()).containsExactly(String.valueOf(shapes[k][0]), String.valueOf(shapes[k][1]));
            double[] flat = Arrays.stream(drawn[k]).flatMapToDouble(Arrays::stream).toArray();
            assertThat(flat).hasSize(c.results().length);
            for (int i = 0; i < flat.length; i++) {
                assertThat(flat[i]).as(c + " [" + i + "]").isEqualTo(Double.parseDouble(c.results()[i]));
            }
        }
        // First value of the book's network: all_weights[0][0][0].
        assertThat(drawn[0][0][0]).isEqualTo(1.764052345967664);
    }

    @Test
    void mixedStreamsMatchNumpy() {
        List<Call> calls = Fixtures.calls("streams.txt");
        long seeds = calls.stream().filter(c -> c.name().equals("seed")).count();
        assertThat(seeds).isEqualTo(16);
        int checked = replay(calls);
        assertThat(checked).isGreaterThan(210_000);
    }

    @Test
    void libmDeviationsAreRareAndOneUlp() {
        List<Call> calls = Fixtures.calls("streams.txt");
        List<Deviation> all = calls.stream().flatMap(c -> c.deviations().stream()).toList();
        long gaussians = calls.stream().filter(c -> c.name().contains("normal"))
                .mapToLong(c -> c.name().endsWith("sha256") ? Long.parseLong(c.args()[0]) : c.results().length).sum();
        assertThat(gaussians).isGreaterThan(200_000);
        // The long run makes sure the correctly rounded log is exercised where libm's is not.
        assertThat(all).hasSizeGreaterThan(20);
        assertThat((long) all.size()).isLessThan(gaussians / 500);
        for (Deviation d : all) {
            assertThat(Math.abs(d.numpy() - d.correctlyRounded())).isLessThanOrEqualTo(4 * Math.ulp(d.numpy()));
        }
    }

    /** Replays every call on one generator; returns the number of values compared. */
    private static int replay(List<Call> calls) {
        RandomState rng = null;
        int checked = 0;
        for (Call c : calls) {
            String[] a = c.args();
            switch (c.name()) {
                case "seed" -> {
                    long seed = Long.parseLong(a[0]);
                    if (rng == null) {
                        rng = new RandomState(seed);
                    } else {
                        rng.seed(seed);
                    }
                }
                case "random_sample" -> checked += check(c, new double[] {rng.randomSample()});
                case "random_sample_n" -> checked += check(c, rng.randomSample(Integer.parseInt(a[0])));
                case "standard_normal" -> checked += check(c, new double[] {rng.standardNormal()});
                case "normal" -> checked += check(c, new double[] {rng.normal(d(a[0]), d(a[1]))});
                case "normal_n" -> checked += check(c, rng.normal(Integer.parseInt(a[0])));
                case "normal_n_sha256" -> checked += checkDigests(c, rng.normal(Integer.parseInt(a[0])));
                case "normal_rc" -> {
                    int rows = Integer.parseInt(a[0]);
                    int cols = Integer.parseInt(a[1]);
                    double[][] m = rng.normal(rows, cols);
                    assertThat(m).as(c.toString()).hasNumberOfRows(rows);
                    checked += check(c, Arrays.stream(m).peek(row -> assertThat(row).hasSize(cols))
                            .flatMapToDouble(Arrays::stream).toArray());
                }
                case "uniform" -> checked += check(c, new double[] {rng.uniform(d(a[0]), d(a[1]))});
                case "randint" -> checked += check(c, new long[] {rng.randint(Long.parseLong(a[0]), Long.parseLong(a[1]))});
                case "permutation" -> checked += check(c, Arrays.stream(rng.permutation(Integer.parseInt(a[0]))).asLongStream().toArray());
                case "shuffle" -> {
                    int[] values = Arrays.stream(a).mapToInt(Integer::parseInt).toArray();
                    rng.shuffle(values);
                    checked += check(c, Arrays.stream(values).asLongStream().toArray());
                }
                default -> throw new AssertionError("unknown call in fixture: " + c);
            }
        }
        return checked;
    }

    private static int check(Call c, double[] java) {
        assertThat(java).as(c.toString()).hasSize(c.results().length);
        for (int i = 0; i < java.length; i++) {
            double expected = Double.parseDouble(c.results()[i]);
            for (Deviation d : c.deviations()) {
                if (d.index() == i) {
                    assertThat(d.numpy()).isEqualTo(expected);
                    expected = d.correctlyRounded();
                }
            }
            // Boxed Double equality compares bit patterns: exact, and -0.0 differs from 0.0.
            assertThat(Double.valueOf(java[i])).as(c + " [" + i + "]").isEqualTo(Double.valueOf(expected));
        }
        return java.length;
    }

    /**
     * Java's values must hash to the correctly-rounded-log digest, and after putting numpy's values
     * back at the listed libm indices (and only there), to numpy's own digest.
     */
    private static int checkDigests(Call c, double[] java) {
        assertThat(sha256(java)).as(c + " digest with correctly rounded log").isEqualTo(c.results()[1]);
        double[] numpy = java.clone();
        for (Deviation d : c.deviations()) {
            assertThat(Double.valueOf(java[d.index()])).as(c + " [" + d.index() + "]").isEqualTo(d.correctlyRounded());
            numpy[d.index()] = d.numpy();
        }
        assertThat(sha256(numpy)).as(c + " digest of numpy's values").isEqualTo(c.results()[0]);
        return java.length;
    }

    private static String sha256(double[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bytes.putDouble(v);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static int check(Call c, long[] java) {
        long[] expected = Arrays.stream(c.results()).mapToLong(Long::parseLong).toArray();
        assertThat(java).as(c.toString()).containsExactly(expected);
        return java.length;
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
