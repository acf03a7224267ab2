package dev.backprop.fit;

/** Told after every step of a run; called on the training thread, so keep it cheap. */
@FunctionalInterface
public interface Progress {
    /** Reports nothing. */
    Progress NONE = (step, total, loss) -> { };

    /**
     * @param step  1-based step just taken
     * @param total steps the run was scheduled for
     * @param loss  the step's loss, scaled to the whole data set (see {@link FitResult#losses()})
     */
    void report(int step, int total, double loss);

    /**
     * What a classifier's run calls instead of {@link #report(int, int, double)}, with the
     * fraction of the step's batch classified right; by default that fraction is dropped.
     *
     * @param accuracy in [0, 1]
     */
    default void report(int step, int total, double loss, double accuracy) {
        report(step, total, loss);
    }
}
