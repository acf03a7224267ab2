package dev.backprop.fit;

/**
 * The seam between the training loop and a model: the loss over some rows of the data (summed, or
 * averaged when {@link #averaged()}) and its gradient. The loop never knows whether a formula or a
 * network is behind it, nor where the rows live: public so that another module (backprop-spark)
 * can put data held elsewhere behind the same loop, and so share its stopping rules.
 */
public interface Problem {
    /**
     * The number of points. More than 2³¹ − 1 (data on a cluster) is allowed for full-batch runs;
     * mini-batches draw from a permutation of the row numbers, which are ints.
     */
    long rows();

    /**
     * The loss over {@code rows} (all points, in order, when null) at {@code params}, summed or
     * averaged as {@link #averaged()} says; writes its gradient into {@code gradient} unless that
     * is null.
     */
    double loss(int[] rows, double[] params, double[] gradient);

    /**
     * Whether {@link #loss} is the mean over the rows (cross-entropy, as PyTorch reduces it) rather
     * than the sum: a mean needs no rescaling to compare batches with the whole data set.
     */
    default boolean averaged() {
        return false;
    }
}
