package dev.backprop.fit;

import dev.backprop.optim.Objective;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.SecondOrderObjective;
import dev.backprop.io.Limits;
import dev.backprop.random.RandomState;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The training loop shared by formulas and networks: one optimiser step per scheduled step over
 * the whole data or a seeded mini-batch, stopping on divergence with the last finite parameters.
 * Public for problems defined outside this package (data on a Spark cluster).
 */
public final class Loop {
    private Loop() {
    }

    /**
     * The starting vector of a run, in the order of {@code names}, from a value for every name.
     *
     * @throws IllegalArgumentException if {@code init} lacks a name or names another
     */
    public static double[] start(List<String> names, Map<String, Double> init) {
        Set<String> known = new HashSet<>(names);
        for (String k : init.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown parameter " + Limits.quote(k) + " (parameters: " + Limits.list(names) + ")");
            }
        }
        double[] start = new double[names.size()];
        for (int i = 0; i < start.length; i++) {
            Double v = init.get(names.get(i));
            if (v == null) {
                throw new IllegalArgumentException("no starting value for parameter '" + names.get(i) + "'");
            }
            start[i] = v;
        }
        return start;
    }

    /**
     * Runs {@code optimizer} on {@code problem} from {@code init}; {@code names} label the parameters.
     *
     * @throws IllegalArgumentException if the problem has no rows
     */
    public static FitResult run(List<String> names, double[] init, Problem problem, Optimizer optimizer,
                         Schedule schedule, Progress progress, AtomicBoolean interrupt) {
        long n = problem.rows();
        if (n == 0) {
            throw new IllegalArgumentException("the data has no rows");
        }
        boolean full = schedule.fullBatch(n);
        if (!full && n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " rows: mini-batches are drawn from a permutation of the row numbers, "
                    + "at most " + Integer.MAX_VALUE + " rows; use full batches (no batch size) for more");
        }
        int batch = full ? 0 : (int) schedule.batchFor(n);
        boolean mean = problem.averaged();
        int total = schedule.stepsFor(n);
        RandomState shuffle = new RandomState(schedule.seed());
        int[] order = null;
        int pos = full ? 0 : (int) n;

        double[] params = init.clone();
        double initialLoss = problem.loss(null, params, null);
        // lastGood: the latest parameters at which a step saw a finite loss (the start until then).
        double[] lastGood = params.clone();
        // before: the parameters the current step starts from, a copy kept in case it goes wrong.
        double[] before = params.clone();
        // Bounded: a run of 10^9 steps must not keep 10^9 losses (LossHistory keeps what a plot needs).
        LossHistory losses = new LossHistory();
        int taken = 0;
        StopReason stop = new StopReason.Completed();

        for (int step = 1; step <= total; step++) {
            if (interrupt.get()) {
                stop = new StopReason.Interrupted(taken);
                break;
            }
            int[] rows;
            if (full) {
                rows = null;
            } else {
                if (pos >= n) {
                    order = shuffle.permutation((int) n);
                    pos = 0;
                }
                int end = (int) Math.min((long) pos + batch, n);
                rows = Arrays.copyOfRange(order, pos, end);
                pos = end;
            }
            int[] r = rows;
            double scale = rows == null || mean ? 1.0 : (double) n / rows.length;
            Objective objective = problem instanceof SecondOrderProblem second
                    ? new SecondOrderObjective() {
                        public double evaluate(double[] p, double[] g) {
                            return second.loss(r, p, g);
                        }

                        public double evaluate(double[] p, double[] g, double[][] h) {
                            return second.loss(r, p, g, h);
                        }
                    }
                    : (p, g) -> problem.loss(r, p, g);
            double loss = optimizer.step(params, objective) * scale;
            losses.add(step, loss);
            taken++;
            progress.report(step, total, loss);
            if (!Double.isFinite(loss)) {
                stop = new StopReason.Diverged(step);
                System.arraycopy(lastGood, 0, params, 0, params.length);
                break;
            }
            // The step saw a finite loss at `before`, which becomes lastGood; the old lastGood's array
            // becomes the next step's `before`, filled in the same pass that checks the update (a
            // network has millions of parameters: one pass over them instead of three).
            double[] spare = lastGood;
            lastGood = before;
            before = spare;
            if (!copyIfFinite(params, before)) {
                // The loss was finite here but the update was not (an infinite gradient): keep where we were.
                stop = new StopReason.Diverged(step);
                System.arraycopy(lastGood, 0, params, 0, params.length);
                break;
            }
        }
        double loss = problem.loss(null, params, null);
        if (!Double.isFinite(loss) && stop instanceof StopReason.Completed) {
            // Mini-batch losses stayed finite but the whole data set's did not after the last update.
            stop = new StopReason.Diverged(total);
            System.arraycopy(lastGood, 0, params, 0, params.length);
            loss = problem.loss(null, params, null);
        }
        LossHistory.Points curve = losses.points();
        return new FitResult(names, params, initialLoss, loss, curve.losses(), curve.steps(), taken, stop);
    }

    /** Copies {@code from} into {@code to}; whether every number was finite. */
    static boolean copyIfFinite(double[] from, double[] to) {
        boolean finite = true;
        for (int i = 0; i < from.length; i++) {
            double v = from[i];
            to[i] = v;
            finite &= Double.isFinite(v);
        }
        return finite;
    }
}
