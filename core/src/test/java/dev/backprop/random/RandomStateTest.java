package dev.backprop.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Determinism, reseeding and argument checks; bit-equality with numpy is in the fixture test. */
class RandomStateTest {

    /** A fixed mix of every kind of draw, flattened to bits, so two runs can be compared exactly. */
    private static long[] mixedRun(RandomState r) {
        double[] a = r.normal(5);
        double u = r.randomSample();
        double[][] m = r.normal(3, 3);
        long k = r.randint(-5, 1L << 40);
        int[] p = r.permutation(20);
        double g = r.standardNormal();
        double v = r.uniform(-1, 1);
        double n = r.normal(3.0, 2.0);
        return java.util.stream.LongStream.concat(
                Arrays.stream(a).mapToLong(Double::doubleToRawLongBits),
                java.util.stream.LongStream.concat(
                        Arrays.stream(m).flatMapToDouble(Arrays::stream).mapToLong(Double::doubleToRawLongBits),
                        java.util.stream.LongStream.concat(Arrays.stream(p).asLongStream(), java.util.stream.LongStream.of(
                                Double.doubleToRawLongBits(u), k, Double.doubleToRawLongBits(g),
                                Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(n)))))
                .toArray();
    }

    @Test
    void sameSeedTwiceGivesSameStream() {
        assertThat(mixedRun(new RandomState(2024))).containsExactly(mixedRun(new RandomState(2024)));
        assertThat(mixedRun(new RandomState(2024))).isNotEqualTo(mixedRun(new RandomState(2025)));
    }

    @Test
    void reseedingRestartsAndDropsTheCachedGaussian() {
        RandomState r = new RandomState(7);
        long[] first = mixedRun(r);
        r.normal(1); // leaves the second value of a pair cached
        r.seed(7);
        assertThat(mixedRun(r)).containsExactly(first);
    }

    @Test
    void cachedGaussianSurvivesOtherDraws() {
        RandomState a = new RandomState(3);
        double[] pair = a.normal(2);
        RandomState b = new RandomState(3);
        assertThat(b.standardNormal()).isEqualTo(pair[0]);
        b.randomSample();
        b.randint(0, 100);
        b.permutation(5);
        assertThat(b.standardNormal()).isEqualTo(pair[1]);
    }

    @Test
    void seedRangeIsNumpys() {
        new RandomState(0);
        new RandomState(0xFFFF_FFFFL);
        assertThatThrownBy(() -> new RandomState(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seed must be between 0 and 2^32 - 1, got -1");
        assertThatThrownBy(() -> new RandomState(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        RandomState r = new RandomState(1);
        assertThatThrownBy(() -> r.seed(Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badArgumentsAreRejectedWithoutDrawing() {
        RandomState r = new RandomState(5);
        assertThatThrownBy(() -> r.randomSample(-1)).isInstanceOf(IllegalArgumentException.class).hasMessage("n must be >= 0, got -1");
        assertThatThrownBy(() -> r.normal(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.normal(-1, 3)).isInstanceOf(IllegalArgumentException.class).hasMessage("rows must be >= 0, got -1");
        assertThatThrownBy(() -> r.normal(3, -1)).isInstanceOf(IllegalArgumentException.class).hasMessage("cols must be >= 0, got -1");
        assertThatThrownBy(() -> r.permutation(-3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.normal(0.0, -1.0)).isInstanceOf(IllegalArgumentException.class).hasMessage("scale < 0: -1.0");
        assertThatThrownBy(() -> r.normal(0.0, -0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.uniform(0.0, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.uniform(-Double.MAX_VALUE, Double.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.uniform(Double.NaN, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.randint(5, 5)).isInstanceOf(IllegalArgumentException.class).hasMessage("low >= high: 5 >= 5");
        assertThatThrownBy(() -> r.randint(Long.MAX_VALUE, Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.shuffle(null)).isInstanceOf(NullPointerException.class);
        // None of the rejected calls consumed bits.
        assertThat(mixedRun(r)).containsExactly(mixedRun(new RandomState(5)));
    }

    @Test
    void nanScaleIsAcceptedLikeNumpy() {
        assertThat(new RandomState(0).normal(1.0, Double.NaN)).isNaN();
    }

    @Test
    void emptyShapesDrawNothing() {
        RandomState r = new RandomState(9);
        assertThat(r.normal(0, 4)).hasDimensions(0, 0);
        assertThat(r.normal(4, 0)).hasDimensions(4, 0);
        assertThat(r.permutation(0)).isEmpty();
        assertThat(r.randint(10, 11)).isEqualTo(10);
        assertThat(r.randomSample()).isEqualTo(new RandomState(9).randomSample());
    }

    @Property(tries = 200)
    void permutationIsAPermutation(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long seed) {
        int[] p = new RandomState(seed).permutation(n);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertThat(sorted[i]).isEqualTo(i);
        }
    }

    @Property(tries = 300)
    void randintStaysInRange(@ForAll long low, @ForAll long high, @ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long seed) {
        if (low == high) {
            return;
        }
        long lo = Math.min(low, high);
        long hi = Math.max(low, high);
        RandomState r = new RandomState(seed);
        for (int i = 0; i < 20; i++) {
            long v = r.randint(lo, hi);
            assertThat(v).isBetween(lo, hi - 1);
        }
    }

    @Property(tries = 100)
    void uniformsStayInRange(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long seed) {
        RandomState r = new RandomState(seed);
        for (double u : r.randomSample(100)) {
            assertThat(u).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(r.uniform(-2.0, 3.0)).isGreaterThanOrEqualTo(-2.0).isLessThan(3.0);
        }
    }
}
