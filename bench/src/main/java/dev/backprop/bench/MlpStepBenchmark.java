package dev.backprop.bench;

import dev.backprop.nn.Init;
import dev.backprop.nn.Network;
import dev.backprop.nn.Trainer;
import dev.backprop.random.RandomState;
import dev.backprop.tensor.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SGD training step of a 784-1024-1024-10 ReLU network, float64, batch 256 (issue 4, section
 * 3): forward, loss, backward, update, through {@link Trainer}. The peer is bench/torch_mlp.py
 * (PyTorch, 2 threads, the same step). About 2.45 GFLOP per step: forward and weight-gradient
 * products of every layer and input-gradient products of all but the first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MlpStepBenchmark {
    /** Layer sizes D_0..D_3. */
    static final int[] SIZES = {784, 1024, 1024, 10};
    /** Examples per batch. */
    static final int BATCH = 256;

    /** {@code xent} (softmax cross-entropy, class labels) or {@code squared} (squared error). */
    @Param({"xent", "squared"})
    public String loss;

    private Trainer trainer;
    private double[] x;
    private double[] y;

    /** He-initialised network, Gaussian inputs, random labels (one-hot) or Gaussian targets. */
    @Setup(Level.Trial)
    public void setUp() {
        Network net = Init.he(new RandomState(0), SIZES[0], SIZES[1], 2, SIZES[3]);
        boolean xent = loss.equals("xent");
        trainer = new Trainer(net, xent ? Trainer.Loss.SOFTMAX_CROSS_ENTROPY : Trainer.Loss.SQUARED_ERROR);
        Random r = new Random(1);
        x = new double[SIZES[0] * BATCH];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        if (xent) {
            int[] labels = new int[BATCH];
            for (int j = 0; j < BATCH; j++) {
                labels[j] = r.nextInt(SIZES[3]);
            }
            y = Trainer.oneHot(labels, SIZES[3]).toArray();
        } else {
            y = new double[SIZES[3] * BATCH];
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextGaussian();
            }
        }
        System.err.println("MlpStepBenchmark: Gemm kernel " + Gemm.kernel() + ", " + Gemm.threads() + " threads");
    }

    /** One step; a small learning rate keeps the network in a sane range over many steps. */
    @Benchmark
    public double step() {
        return trainer.step(x, y, BATCH, 1e-3);
    }

    /** Multiply-adds ×2 of one step, for GFLOP/s = {@code flops() / (ms · 1e6)}. */
    public static double flops() {
        double f = 0;
        for (int k = 0; k + 1 < SIZES.length; k++) {
            f += 2.0 * 2 * SIZES[k] * SIZES[k + 1] * BATCH; // forward and weight gradient
            if (k > 0) {
                f += 2.0 * SIZES[k] * SIZES[k + 1] * BATCH; // input gradient
            }
        }
        return f;
    }
}
