package dev.backprop.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A scalar graph of 10,000,000 operations built through the public {@code Tape}/{@code Var} API and
 * differentiated ({@link TapeChain}), in nanoseconds per operation: recording, the reverse sweep,
 * and the garbage collection they cause, all inside the timed call. Target: at most 100 ns per
 * operation. Bytes per operation are measured by {@link TapeMemory}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(TapeChain.OPS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TapeBenchmark {

    /** Record 10M operations, then one reverse sweep. */
    @Benchmark
    public double recordAndDifferentiate() {
        return TapeChain.run(TapeChain.OPS);
    }
}
