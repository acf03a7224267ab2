package dev.backprop.book;

import dev.backprop.batch.BatchProgram;

import dev.backprop.book.ToyModel;
import dev.backprop.io.Columns;
import dev.backprop.random.RandomState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The toy-model benchmark behind {@code backprop bench} and the JMH bench: notebook 7.1's loss
 * {@code (β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))) − y)²} summed over N points with x, y
 * uniform in [−2, 2] (seeded), the loss alone and the loss with its gradient with respect to all
 * eight parameters. Warms up, then reports the median of timed repeats.
 */
public final class ToyTiming {
    private static final long SEED = 0;
    /**
     * Warm-up: at least this many calls, and at least {@link #WARMUP_POINTS} points, so that the
     * JIT has compiled the SIMD kernel (its first 10⁶ points run tens of times slower) even for
     * small N.
     */
    private static final int WARMUP = 20;
    private static final long WARMUP_POINTS = 20_000_000L;
    private static final int REPEATS = 15;

    private ToyTiming() {
    }

    /**
     * One measurement.
     *
     * @param n                  points
     * @param threads            threads used
     * @param simd               whether the SIMD kernel ran
     * @param lossNsPerPoint     median nanoseconds per point for the summed loss alone
     * @param gradientNsPerPoint median nanoseconds per point for the loss and its gradient
     */
    public record Result(int n, int threads, boolean simd, double lossNsPerPoint, double gradientNsPerPoint) {
    }

    /** Runs on all processors with SIMD when available. */
    public static Result run(int n) {
        BatchProgram p = program();
        return run(n, p.threads(), p.simd());
    }

    /** Runs with the given thread count and kernel (SIMD falls back to plain without the module). */
    public static Result run(int n, int threads, boolean simd) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        BatchProgram p = program().withThreads(threads).withSimd(simd);
        Columns data = data(n);
        Map<String, Double> params = parameters();
        double sink = 0;
        long warmup = Math.max(WARMUP, Math.min(20_000, WARMUP_POINTS / n));
        for (long i = 0; i < warmup; i++) {
            sink += p.value(data, params).sum();
            sink += p.gradient(data, params).sum();
        }
        long[] loss = new long[REPEATS];
        long[] grad = new long[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            sink += p.value(data, params).sum();
            long t1 = System.nanoTime();
            sink += p.gradient(data, params).sum();
            long t2 = System.nanoTime();
            loss[i] = t1 - t0;
            grad[i] = t2 - t1;
        }
        if (sink == 42.4242) {
            System.err.print(""); // keeps the results alive for the JIT
        }
        return new Result(n, p.threads(), p.simd(), median(loss) / n, median(grad) / n);
    }

    /** The toy loss compiled with x and y as columns. */
    public static BatchProgram program() {
        return BatchProgram.compile(ToyModel.formula().program(), List.of("x", "y"));
    }

    /** N points with x and y uniform in [−2, 2], seeded. */
    public static Columns data(int n) {
        RandomState r = new RandomState(SEED);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.uniform(-2, 2);
            y[i] = r.uniform(-2, 2);
        }
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("y", y);
        return new Columns(m);
    }

    /** The notebook's parameter values. */
    public static Map<String, Double> parameters() {
        Map<String, Double> m = new LinkedHashMap<>(ToyModel.notebookPoint());
        m.remove("x");
        m.remove("y");
        return m;
    }

    private static double median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
