package dev.backprop.fit;

import java.util.Arrays;

/**
 * A loss curve of bounded size, recorded while a run streams its steps 1, 2, 3, …
 *
 * <p>Up to {@link #MAX_BUCKETS} steps every step is kept. Past that, steps are grouped into
 * aligned buckets of {@code w} consecutive steps, {@code w} doubling (neighbouring buckets merged)
 * whenever the buffer is full, and each bucket keeps its lowest and highest loss with the steps
 * where they occurred: what a plot needs to look like the full curve (every spike and the true
 * minimum survive). The first and the last step are always kept. Memory is fixed however long the
 * run: at most {@link #MAX_POINTS}: {@code MAX_BUCKETS} while every step is kept, then
 * {@code MAX_BUCKETS / 2} buckets of two points each, plus the first and last step.
 */
final class LossHistory {
    /** Buckets of one step each (every step kept) before the first merge. Even, so buckets pair up. */
    static final int MAX_BUCKETS = 4096;
    /** Most points {@link #points()} can hold. */
    static final int MAX_POINTS = MAX_BUCKETS + 2;

    private final int[] minStep = new int[MAX_BUCKETS];
    private final double[] minLoss = new double[MAX_BUCKETS];
    private final int[] maxStep = new int[MAX_BUCKETS];
    private final double[] maxLoss = new double[MAX_BUCKETS];
    /** Buckets in use; the last may still be filling. */
    private int count;
    /** Steps per bucket, a power of two. */
    private int width = 1;
    private int lastStep;
    private double lastLoss;
    private int firstStep;
    private double firstLoss;

    /** Records the loss of {@code step}, which must be the step after the one recorded last (the first is 1). */
    void add(int step, double loss) {
        if (step != lastStep + 1) {
            throw new IllegalArgumentException("step " + step + " after step " + lastStep);
        }
        if (step == 1) {
            firstStep = 1;
            firstLoss = loss;
        }
        lastStep = step;
        lastLoss = loss;
        int k = (step - 1) / width;
        if (k < count) { // the open bucket
            if (lower(loss, minLoss[k])) {
                minLoss[k] = loss;
                minStep[k] = step;
            }
            if (higher(loss, maxLoss[k])) {
                maxLoss[k] = loss;
                maxStep[k] = step;
            }
            return;
        }
        // Every bucket so far is complete: make room by halving while the buffer is full. Wider
        // buckets hold two points each, so they get half the slots of one-step buckets.
        while (count >= (width == 1 ? MAX_BUCKETS : MAX_BUCKETS / 2)) {
            merge();
        }
        k = count++;
        minStep[k] = step;
        minLoss[k] = loss;
        maxStep[k] = step;
        maxLoss[k] = loss;
    }

    /** Pairs up the buckets (count is even: it is a power of two here): widths double, count halves. */
    private void merge() {
        int half = count / 2;
        for (int i = 0; i < half; i++) {
            int a = 2 * i;
            int b = a + 1;
            int lo = lower(minLoss[b], minLoss[a]) ? b : a;
            int hi = higher(maxLoss[b], maxLoss[a]) ? b : a;
            double l = minLoss[lo];
            int ls = minStep[lo];
            double h = maxLoss[hi];
            int hs = maxStep[hi];
            minLoss[i] = l;
            minStep[i] = ls;
            maxLoss[i] = h;
            maxStep[i] = hs;
        }
        count = half;
        width *= 2;
    }

    /** Whether {@code v} should replace {@code min}: smaller, or a number where there was none (NaN). */
    private static boolean lower(double v, double min) {
        return v < min || (Double.isNaN(min) && !Double.isNaN(v));
    }

    private static boolean higher(double v, double max) {
        return v > max || (Double.isNaN(max) && !Double.isNaN(v));
    }

    /** Steps recorded. */
    int size() {
        return lastStep;
    }

    /** The kept points, in step order: the step numbers, increasing from the first step to the last, and their losses. */
    record Points(int[] steps, double[] losses) {
    }

    /** The kept points now (the history can go on recording). */
    Points points() {
        if (lastStep == 0) {
            return new Points(new int[0], new double[0]);
        }
        int[] s = new int[2 * count + 2];
        double[] l = new double[2 * count + 2];
        int m = 0;
        s[m] = firstStep;
        l[m++] = firstLoss;
        for (int k = 0; k < count; k++) {
            int a = Math.min(minStep[k], maxStep[k]);
            int b = Math.max(minStep[k], maxStep[k]);
            double la = a == minStep[k] ? minLoss[k] : maxLoss[k];
            double lb = b == maxStep[k] ? maxLoss[k] : minLoss[k];
            if (a != firstStep && a != lastStep) {
                s[m] = a;
                l[m++] = la;
            }
            if (b != a && b != firstStep && b != lastStep) {
                s[m] = b;
                l[m++] = lb;
            }
        }
        if (lastStep != firstStep) {
            s[m] = lastStep;
            l[m++] = lastLoss;
        }
        return new Points(Arrays.copyOf(s, m), Arrays.copyOf(l, m));
    }
}
