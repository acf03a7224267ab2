package dev.backprop.fit;

import dev.backprop.io.Limits;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a run.
 *
 * @param names       one name per parameter ({@code beta0}, or {@code omega1[2,0]} for a network)
 * @param params      the fitted parameters; after divergence, the last ones with a finite loss
 * @param initialLoss the loss over all the data at the starting parameters
 * @param loss        the loss over all the data at {@code params}
 * @param losses      the loss curve: the loss seen at each step of {@code lossSteps}; with
 *                    mini-batches the batch's loss times N / batch size (or the batch's mean, for
 *                    a loss that is a mean over rows, as cross-entropy is), an estimate of the
 *                    whole data set's loss, so curves for different batch sizes share a scale. Every
 *                    step up to {@value #MAX_HISTORY_EXACT} steps; a longer run keeps a bounded
 *                    curve (at most {@value #MAX_HISTORY} points): the first and last step, and
 *                    in each run of steps the lowest and highest loss, so the minimum and every
 *                    spike survive (memory does not grow with the number of steps)
 * @param lossSteps   the step number (1-based, increasing) of each entry of {@code losses}: the
 *                    abscissa of the loss curve
 * @param steps       steps taken (the last entry of {@code lossSteps})
 * @param stop        why the run ended
 */
public record FitResult(List<String> names, double[] params, double initialLoss, double loss,
                        double[] losses, int[] lossSteps, int steps, StopReason stop) {

    /** Runs of at most this many steps keep every step's loss. */
    public static final int MAX_HISTORY_EXACT = LossHistory.MAX_BUCKETS;
    /** Most points {@link #losses()} holds, however many steps the run took. */
    public static final int MAX_HISTORY = LossHistory.MAX_POINTS;

    /** Copies the arrays so the record stays immutable. */
    public FitResult {
        names = List.copyOf(names);
        params = params.clone();
        losses = losses.clone();
        lossSteps = lossSteps.clone();
        if (names.size() != params.length) {
            throw new IllegalArgumentException(names.size() + " names for " + params.length + " parameters");
        }
        if (losses.length != lossSteps.length) {
            throw new IllegalArgumentException(losses.length + " losses for " + lossSteps.length + " step numbers");
        }
    }

    /** A result whose {@code losses} hold every step's loss: step numbers 1, 2, … */
    public FitResult(List<String> names, double[] params, double initialLoss, double loss,
                     double[] losses, int steps, StopReason stop) {
        this(names, params, initialLoss, loss, losses, consecutive(losses.length), steps, stop);
    }

    private static int[] consecutive(int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = i + 1;
        }
        return s;
    }

    /** A copy of the parameters. */
    @Override
    public double[] params() {
        return params.clone();
    }

    /** A copy of the loss curve. */
    @Override
    public double[] losses() {
        return losses.clone();
    }

    /** A copy of the step numbers of the loss curve. */
    @Override
    public int[] lossSteps() {
        return lossSteps.clone();
    }

    /** Parameters by name, in order. */
    public Map<String, Double> paramMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i++) {
            m.put(names.get(i), params[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Whether the run took every scheduled step. */
    public boolean completed() {
        return stop instanceof StopReason.Completed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FitResult r && names.equals(r.names) && Arrays.equals(params, r.params)
                && Double.compare(initialLoss, r.initialLoss) == 0 && Double.compare(loss, r.loss) == 0
                && Arrays.equals(losses, r.losses) && Arrays.equals(lossSteps, r.lossSteps) && steps == r.steps && stop.equals(r.stop);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + Arrays.hashCode(params);
    }

    /**
     * The fitted parameters (the first ten for a network), the loss at the end and at the start,
     * the steps and why the run stopped:
     * {@code FitResult[a=1.50…, b=2.00…; loss 1.03… (from 20.56…), 1000 steps, Completed[]]}.
     */
    @Override
    public String toString() {
        return "FitResult[" + Limits.entries(paramMap()) + "; loss " + loss + " (from " + initialLoss + "), " + steps + " steps, " + stop + "]";
    }
}
