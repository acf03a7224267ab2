package dev.backprop.bench;

import dev.backprop.book.ToyTiming;
import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.io.Columns;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The toy loss over N = 1,000,000 points, in nanoseconds per point (JMH divides each call's time by
 * N): our {@link BatchProgram} against the hand-written {@link FusedToyLoop}, both on every
 * available processor, and the fused loop on one thread.
 *
 * <p>Each result is the sum over all points, returned so JMH keeps it alive.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ToyData.N)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ToyBenchmark {

    /** The data, the compiled program and the peer loops, built once per fork. */
    @State(Scope.Benchmark)
    public static class Workload {
        ToyData data;
        Columns columns;
        Map<String, Double> scalars;
        double[] parameters;
        BatchProgram program;
        FusedToyLoop fused;
        FusedToyLoop fused1;

        /** Builds everything outside the timed region. */
        @Setup(Level.Trial)
        public void setUp() {
            data = ToyData.generate(ToyData.N);
            columns = data.columns();
            scalars = ToyData.parameterMap();
            parameters = ToyData.parameters();
            // SIMD from the first call: this measures the warm state, which the default reaches later.
            program = ToyTiming.program().withSimd(true);
            fused = new FusedToyLoop(program.threads());
            fused1 = new FusedToyLoop(1);
        }

        /** Stops the peer's worker threads. */
        @TearDown(Level.Trial)
        public void tearDown() {
            fused.close();
            fused1.close();
        }
    }

    /** Ours: the summed loss alone, all processors. */
    @Benchmark
    public double batchLoss(Workload w) {
        return w.program.value(w.columns, w.scalars).sum();
    }

    /** Ours: the summed loss and its gradient with respect to the eight parameters, all processors. */
    @Benchmark
    public BatchResult batchGradient(Workload w) {
        return w.program.gradient(w.columns, w.scalars);
    }

    /** The peer: fused DoubleVector loop, loss alone, all processors. */
    @Benchmark
    public double fusedLoss(Workload w) {
        return w.fused.loss(w.data.x(), w.data.y(), w.parameters);
    }

    /** The peer: fused DoubleVector loop, loss and gradient, all processors. */
    @Benchmark
    public double[] fusedGradient(Workload w) {
        return w.fused.lossAndGradient(w.data.x(), w.data.y(), w.parameters);
    }

    /** The peer on one thread: loss alone. */
    @Benchmark
    public double fusedLoss1Thread(Workload w) {
        return w.fused1.loss(w.data.x(), w.data.y(), w.parameters);
    }

    /** The peer on one thread: loss and gradient. */
    @Benchmark
    public double[] fusedGradient1Thread(Workload w) {
        return w.fused1.lossAndGradient(w.data.x(), w.data.y(), w.parameters);
    }
}
