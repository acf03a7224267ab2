package dev.backprop.bench;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.NetworkFit;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.nn.Init;
import dev.backprop.nn.Network;
import dev.backprop.optim.Optimizer;
import dev.backprop.random.RandomState;
import dev.backprop.tensor.Gemm;
import dev.backprop.tensor.Tensor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code backprop train}'s training path: {@link NetworkFit#fit} of a 784-1024-1024-10 ReLU
 * network, float64, with {@code train}'s defaults (Adam, α = 0.01, β = 0.9, γ = 0.999, ε = 1e-8;
 * least squares summed over the batch), mini-batches of 256 from 2,048 examples. Everything
 * {@code train} pays per step is inside: the loop's batch order and parameter bookkeeping, the
 * gather of the batch's columns, the copy of the parameters into the trainer and of the gradient
 * out of it, the forward and backward pass and Adam's update.
 *
 * <p>{@link #step}: one step of a run in progress. A {@code fit} of (practically) endless steps
 * runs on its own thread from the public API, and its {@link Progress}, which {@code train} uses
 * for its progress bar, hands each step over: the benchmark thread lets the run take one step and
 * waits for its report. So every step timed is a steady-state step of a real run, and nothing
 * else (the run's set-up and the loss over all the data at its start happen before). The hand-over
 * costs microseconds against a step's tens of milliseconds.
 *
 * <p>{@link #run}: a whole run of {@value #RUN} steps, {@code train --steps 16} without the file
 * handling, divided by its steps: what a short run pays per step, its start and end included.
 *
 * <p>The peer is bench/torch_train.py: the same initial network (numpy's RandomState(0), as
 * {@link Init#he} draws it), the same data (RandomState(1)), the same batches (Loop's
 * permutations) and the same optimiser and loss, so its first losses equal ours to rounding
 * ({@link #losses}).
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBenchmark {
    /** Layer sizes D_0..D_3. */
    static final int[] SIZES = {784, 1024, 1024, 10};
    /** Examples in the data set. */
    static final int N = 2048;
    /** Examples per step. */
    static final int BATCH = 256;
    /** Steps of the whole run that {@link #run} times. */
    static final int RUN = 16;

    /** A run of (practically) endless steps on its own thread, which takes one step when told to. */
    @State(Scope.Benchmark)
    public static class Running {
        private final Semaphore go = new Semaphore(0);
        private final Semaphore done = new Semaphore(0);
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile double lastLoss;
        private volatile Object ended; // the run's result, or what it threw, once it has returned
        private Thread runner;

        /** Starts the run and lets it take its first step, whose one-time allocations are not timed. */
        @Setup(Level.Trial)
        public void setUp() throws InterruptedException {
            NetworkFit fit = data();
            Network init = network();
            System.err.println("TrainStepBenchmark: Gemm kernel " + Gemm.kernel() + ", " + Gemm.threads() + " threads");
            Progress handOver = (step, total, loss) -> {
                lastLoss = loss;
                done.release();
                go.acquireUninterruptibly();
            };
            runner = new Thread(() -> {
                try {
                    ended = fit.fit(init, optimizer(), schedule(Integer.MAX_VALUE), handOver, stop);
                } catch (Throwable e) {
                    ended = e;
                } finally {
                    done.release(Integer.MAX_VALUE / 2); // never leave the benchmark thread waiting
                }
            }, "train-run");
            runner.setDaemon(true);
            runner.start();
            done.acquire();
        }

        /** Ends the run. */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            if (runner == null) {
                return;
            }
            stop.set(true);
            go.release();
            runner.join();
        }

        double step() throws InterruptedException {
            go.release();
            done.acquire();
            if (ended != null) {
                throw new IllegalStateException("the run ended early: " + (ended instanceof NetworkFit.Trained t
                        ? t.result().stop() : ended));
            }
            return lastLoss;
        }
    }

    private NetworkFit fit;
    private Network init;

    /** The data and initial network the peer script builds too. */
    @Setup(Level.Trial)
    public void setUp() {
        fit = data();
        init = network();
    }

    /** One steady-state step of {@code train}'s run: returns its loss (scaled to the data set, as train reports it). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 5, time = 2)
    @Measurement(iterations = 10, time = 2)
    public double step(Running run) throws InterruptedException {
        return run.step();
    }

    /** A whole run of {@value #RUN} steps; fails if it stopped early (then it measured something else). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OperationsPerInvocation(RUN)
    @Warmup(iterations = 3)
    @Measurement(iterations = 8)
    public NetworkFit.Trained run() {
        NetworkFit.Trained t = fit.fit(init, optimizer(), schedule(RUN));
        if (t.result().steps() != RUN) {
            throw new IllegalStateException("the run stopped after " + t.result().steps() + " of " + RUN + " steps: "
                    + t.result().stop());
        }
        return t;
    }

    /** {@code train}'s default optimiser (cli Training.optimizer with no options). */
    static Optimizer optimizer() {
        return Optimizer.adam(0.01, 0.9, 0.999, 1e-8);
    }

    /** {@code steps} steps on mini-batches of {@link #BATCH}, shuffled with seed 0 as {@code train --seed 0}. */
    static Schedule schedule(int steps) {
        return Schedule.steps(steps).withBatch(BATCH);
    }

    /** Inputs 784 × 2048, then targets 10 × 2048, standard normals from numpy's RandomState(1). */
    static NetworkFit data() {
        RandomState r = new RandomState(1);
        double[] x = rowMajor(r.normal(SIZES[0], N));
        double[] y = rowMajor(r.normal(SIZES[3], N));
        return NetworkFit.of(Tensor.of(x, SIZES[0], N), Tensor.of(y, SIZES[3], N));
    }

    /** He initialisation from RandomState(0), as {@code train --seed 0 --width 1024 --layers 2} makes it. */
    static Network network() {
        return Init.he(new RandomState(0), SIZES[0], SIZES[1], 2, SIZES[3]);
    }

    private static double[] rowMajor(double[][] m) {
        double[] d = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, d, i * m[0].length, m[0].length);
        }
        return d;
    }

    /**
     * The batch losses Σ(f − y)² of the first {@code k} steps, for the agreement check with the
     * peer (the loop reports each scaled by N / batch = 8, a power of two, so dividing is exact).
     */
    static double[] losses(int k) {
        FitResult r = data().fit(network(), optimizer(), schedule(k)).result();
        double[] l = r.losses().clone();
        for (int i = 0; i < l.length; i++) {
            l[i] /= (double) N / BATCH;
        }
        return l;
    }
}
