package dev.backprop.fit;

/**
 * How long a run lasts and what each step looks at.
 *
 * <p>Exactly one of {@code steps} and {@code epochs} is positive. A batch size of 0, or one at
 * least the number of points, means full-batch gradient descent: every step sees all the data in
 * file order. Otherwise each epoch visits the points in the order of
 * {@code RandomState(seed).permutation(n)} (one stream for the whole run, so epoch 2 uses the
 * stream's second permutation, as a numpy loop seeded once would), in mini-batches of
 * {@code batchSize}; the last batch of an epoch may be smaller.
 *
 * @param steps     number of optimiser steps, or 0 when {@code epochs} is given
 * @param epochs    number of passes over the data, or 0 when {@code steps} is given
 * @param batchSize points per step, 0 for all of them
 * @param seed      seed of the shuffling stream, 0 … 2³²−1 as numpy accepts
 */
public record Schedule(int steps, int epochs, int batchSize, long seed) {

    /** Validates. */
    public Schedule {
        if (steps < 0 || epochs < 0 || (steps > 0) == (epochs > 0)) {
            throw new IllegalArgumentException("give either a positive number of steps or of epochs, got steps "
                    + steps + " and epochs " + epochs);
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("the batch size must be at least 1 (or 0 for all points), got " + batchSize);
        }
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("the seed must be between 0 and 2^32 - 1, got " + seed);
        }
    }

    /** {@code n} full-batch steps, seed 0. */
    public static Schedule steps(int n) {
        return new Schedule(n, 0, 0, 0);
    }

    /** {@code n} epochs, full batch, seed 0. */
    public static Schedule epochs(int n) {
        return new Schedule(0, n, 0, 0);
    }

    /** The same schedule with mini-batches of {@code size} points (0: all of them). */
    public Schedule withBatch(int size) {
        return new Schedule(steps, epochs, size, seed);
    }

    /** The same schedule with another shuffling seed. */
    public Schedule withSeed(long s) {
        return new Schedule(steps, epochs, batchSize, s);
    }

    /** Points per step for a data set of {@code n} points. */
    public long batchFor(long n) {
        return batchSize == 0 || batchSize >= n ? n : batchSize;
    }

    /** Whether each step sees every one of {@code n} points (in order). */
    public boolean fullBatch(long n) {
        return batchFor(n) == n;
    }

    /** Total steps for a data set of {@code n} points. */
    public int stepsFor(long n) {
        if (steps > 0) {
            return steps;
        }
        long b = batchFor(n);
        long perEpoch = n == 0 ? 0 : (n - 1) / b + 1;
        long total = perEpoch * epochs;
        if (perEpoch > Integer.MAX_VALUE || total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(epochs + " epochs of " + perEpoch + " steps are too many steps");
        }
        return (int) total;
    }

    /** The points all steps see in all, saturating at {@code Long.MAX_VALUE}: what a kernel is chosen by. */
    public long workFor(long n) {
        long b = batchFor(n);
        int s = stepsFor(n);
        return b != 0 && s > Long.MAX_VALUE / b ? Long.MAX_VALUE : s * b;
    }
}
