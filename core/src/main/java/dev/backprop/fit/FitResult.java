package dev.backprop.fit;

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
 * @param losses      the loss seen at each step; with mini-batches the batch's loss times
 *                    N / batch size, an estimate of the whole data set's loss, so curves for
 *                    different batch sizes share a scale
 * @param steps       steps taken (the length of {@code losses})
 * @param stop        why the run ended
 */
public record FitResult(List<String> names, double[] params, double initialLoss, double loss,
                        double[] losses, int steps, StopReason stop) {

    /** Copies the arrays so the record stays immutable. */
    public FitResult {
        names = List.copyOf(names);
        params = params.clone();
        losses = losses.clone();
        if (names.size() != params.length) {
            throw new IllegalArgumentException(names.size() + " names for " + params.length + " parameters");
        }
    }

    /** A copy of the parameters. */
    @Override
    public double[] params() {
        return params.clone();
    }

    /** A copy of the loss history. */
    @Override
    public double[] losses() {
        return losses.clone();
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
                && Arrays.equals(losses, r.losses) && steps == r.steps && stop.equals(r.stop);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + Arrays.hashCode(params);
    }

    @Override
    public String toString() {
        return "FitResult[" + paramMap() + ", loss " + loss + " (from " + initialLoss + "), " + steps + " steps, " + stop + "]";
    }
}
