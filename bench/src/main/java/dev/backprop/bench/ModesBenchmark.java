package dev.backprop.bench;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The toy loss over N = 1,000,000 points in every mode of differentiation ({@link ToyModes}), in
 * nanoseconds per point: the loss and its gradient (the yardsticks: the targets are ratios to
 * them), Hessian times v, the full 8×8 Hessian two ways, and the Jacobian-vector product. All on
 * every available processor, SIMD kernel from the first call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(ToyData.N)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ModesBenchmark {

    /** The data and the compiled programs, built once per fork. */
    @State(Scope.Benchmark)
    public static class Workload {
        Columns columns;
        Map<String, Double> parameters;
        ToyModes modes;

        /** Compiles everything outside the timed region. */
        @Setup(Level.Trial)
        public void setUp() {
            columns = ToyData.generate(ToyData.N).columns();
            parameters = ToyData.parameterMap();
            modes = new ToyModes(true, Runtime.getRuntime().availableProcessors());
        }
    }

    /** The summed loss alone: the JVP's yardstick. */
    @Benchmark
    public double loss(Workload w) {
        return w.modes.loss().value(w.columns, w.parameters).sum();
    }

    /** The summed loss and its 8-parameter gradient: the HVP's yardstick. */
    @Benchmark
    public Object gradient(Workload w) {
        return w.modes.loss().gradient(w.columns, w.parameters);
    }

    /** H·v for the eight parameters: the gradient of the directional program. */
    @Benchmark
    public double[] hvp(Workload w) {
        return w.modes.hvp(w.columns, w.parameters);
    }

    /** The 8×8 Hessian from eight directional programs along the unit vectors. */
    @Benchmark
    public double[][] hessianByDirections(Workload w) {
        return w.modes.hessianByDirections(w.columns, w.parameters);
    }

    /** The 8×8 Hessian from the eight programs {@code program.derivative(name)}. */
    @Benchmark
    public double[][] hessianByDerivatives(Workload w) {
        return w.modes.hessianByDerivatives(w.columns, w.parameters);
    }

    /** The directional derivative along v, summed: forward mode. */
    @Benchmark
    public double jvp(Workload w) {
        return w.modes.jvp(w.columns, w.parameters);
    }
}
