package dev.backprop.random;

/**
 * The 32-bit Mersenne Twister (Matsumoto and Nishimura, 1998) with the reference
 * {@code init_genrand} seeding, which is what numpy's legacy seeding applies to an integer seed.
 *
 * <p>Words are Java {@code int}s read as unsigned 32-bit values; Java's wrapping {@code int}
 * arithmetic is exactly the reference's arithmetic modulo 2<sup>32</sup>.
 */
final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] key = new int[N];
    private int pos;

    /** Reference {@code init_genrand}: the seed's low 32 bits, spread by a linear recurrence. */
    void seed(int seed) {
        key[0] = seed;
        for (int i = 1; i < N; i++) {
            int prev = key[i - 1];
            key[i] = 1812433253 * (prev ^ (prev >>> 30)) + i;
        }
        // Forces a full regeneration before the first word, as numpy's state after seeding has pos 624.
        pos = N;
    }

    /** The next tempered 32-bit word (unsigned value in the bits of an {@code int}). */
    int nextInt() {
        if (pos == N) {
            regenerate();
        }
        int y = key[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** numpy's {@code next_uint64} for MT19937: the first word drawn is the high half. */
    long nextLong() {
        long hi = Integer.toUnsignedLong(nextInt());
        long lo = Integer.toUnsignedLong(nextInt());
        return (hi << 32) | lo;
    }

    /**
     * A double in [0, 1) with 53 random bits: 27 bits from one word and 26 from the next, exactly
     * numpy's {@code (a >> 5) * 67108864.0 + (b >> 6)) / 9007199254740992.0}. Every step is exact
     * in double arithmetic, so the result is the same on any IEEE 754 machine.
     */
    double nextDouble() {
        int a = nextInt() >>> 5;
        int b = nextInt() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    private void regenerate() {
        int kk = 0;
        for (; kk < N - M; kk++) {
            key[kk] = key[kk + M] ^ twist(key[kk], key[kk + 1]);
        }
        for (; kk < N - 1; kk++) {
            key[kk] = key[kk + (M - N)] ^ twist(key[kk], key[kk + 1]);
        }
        key[N - 1] = key[M - 1] ^ twist(key[N - 1], key[0]);
        pos = 0;
    }

    private static int twist(int upperFrom, int lowerFrom) {
        int y = (upperFrom & UPPER) | (lowerFrom & LOWER);
        return (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
}
