package dev.backprop.bench;

import dev.backprop.book.ToyTiming;
import dev.backprop.batch.BatchProgram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A cross-check of {@link ToyBenchmark}'s ratios that a shared machine cannot skew: ours and the
 * fused loop run in one JVM, one call each in turn, for many rounds, and the median of each is
 * taken. JMH runs each benchmark for several seconds in its own fork, one after another, so a
 * neighbour's build that starts in between changes the ratio; here both sides see the same load.
 * Prints one JSON line of nanoseconds per point.
 */
public final class ToyRoundRobin {
    private ToyRoundRobin() {
    }

    /** {@code [rounds]}: prints {@code {"rounds": …, "batchLoss": …, "batchGradient": …, …}}. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        ToyData data = ToyData.generate(ToyData.N);
        Map<String, Double> scalars = ToyData.parameterMap();
        double[] p = ToyData.parameters();
        // SIMD from the first call: this measures the warm state, which the default reaches later.
        BatchProgram program = ToyTiming.program().withSimd(true);
        Map<String, DoubleSupplier> contenders = new LinkedHashMap<>();
        try (FusedToyLoop fused = new FusedToyLoop(program.threads()); FusedToyLoop fused1 = new FusedToyLoop(1)) {
            contenders.put("batchLoss", () -> program.value(data.columns(), scalars).sum());
            contenders.put("batchGradient", () -> program.gradient(data.columns(), scalars).sum());
            contenders.put("fusedLoss", () -> fused.loss(data.x(), data.y(), p));
            contenders.put("fusedGradient", () -> fused.lossAndGradient(data.x(), data.y(), p)[0]);
            contenders.put("fusedGradient1Thread", () -> fused1.lossAndGradient(data.x(), data.y(), p)[0]);
            List<String> names = new ArrayList<>(contenders.keySet());
            long[][] times = new long[names.size()][rounds];
            double sink = 0;
            int warmup = Math.max(10, rounds / 2);
            for (int round = -warmup; round < rounds; round++) {
                for (int k = 0; k < names.size(); k++) {
                    long t0 = System.nanoTime();
                    sink += contenders.get(names.get(k)).getAsDouble();
                    long t = System.nanoTime() - t0;
                    if (round >= 0) {
                        times[k][round] = t;
                    }
                }
            }
            StringBuilder out = new StringBuilder("{\"rounds\": " + rounds);
            for (int k = 0; k < names.size(); k++) {
                long[] t = times[k];
                Arrays.sort(t);
                out.append(String.format(Locale.ROOT, ", \"%s\": %.3f", names.get(k), t[rounds / 2] / (double) data.n()));
            }
            System.out.println(out.append(String.format(Locale.ROOT, ", \"sink\": %.6e}", sink)));
        }
    }
}
