package dev.backprop.fit;

/** Why a run ended. */
public sealed interface StopReason {

    /** Every scheduled step was taken. */
    record Completed() implements StopReason {
    }

    /**
     * The loss (or a parameter) stopped being finite at 1-based step {@code step}; the result keeps
     * the last parameters at which the loss was finite.
     */
    record Diverged(int step) implements StopReason {
    }

    /** The interrupt flag was raised; {@code steps} steps had been taken. */
    record Interrupted(int steps) implements StopReason {
    }
}
