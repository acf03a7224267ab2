package dev.backprop.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The peer the batch evaluator is measured against: the notebook's forward and backward equations
 * for the toy loss written out by hand as one fused {@link DoubleVector} loop (lanewise SIN, COS,
 * EXP), its points handed out in chunks to a fixed number of threads.
 *
 * <p>This is what a careful engineer would write for this one formula: no graph, no intermediate
 * arrays, every intermediate in a register. Forward (notebook 7.1, Step 1):
 * f0 = β0 + ω0·x, h1 = sin f0, f1 = β1 + ω1·h1, h2 = exp f1, f2 = β2 + ω2·h2, h3 = cos f2,
 * f3 = β3 + ω3·h3, ℓ = (f3 − y)². Backward (Step 2): ∂ℓ/∂f3 = 2(f3 − y), ∂ℓ/∂f2 = −sin f2·ω3·∂ℓ/∂f3,
 * ∂ℓ/∂f1 = h2·ω2·∂ℓ/∂f2, ∂ℓ/∂f0 = cos f0·ω1·∂ℓ/∂f1; then ∂ℓ/∂βk = ∂ℓ/∂fk and ∂ℓ/∂ωk = hk·∂ℓ/∂fk
 * with h0 = x. The loss needs three transcendentals per point, the gradient five.
 *
 * <p>Parameters are {@code {β0, β1, β2, β3, ω0, ω1, ω2, ω3}}; a gradient is returned as
 * {@code {ℓ, ∂β0, ∂β1, ∂β2, ∂β3, ∂ω0, ∂ω1, ∂ω2, ∂ω3}}, all summed over the points. Not thread-safe
 * to share between callers that run at the same time (it owns one worker pool); {@link #close()}
 * stops the workers.
 */
public final class FusedToyLoop implements AutoCloseable {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Points per unit of work: a multiple of any vector length; 128 KiB of x and y, so it stays in L2. */
    static final int CHUNK = 8192;

    private final int threads;
    private final ExecutorService workers;

    /** A loop that splits the points over {@code threads} threads (the caller's plus threads − 1 workers). */
    public FusedToyLoop(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "fused-toy-loop");
            t.setDaemon(true);
            return t;
        });
    }

    /** The number of threads the points are split over. */
    public int threads() {
        return threads;
    }

    /** The loss summed over the points. */
    public double loss(double[] x, double[] y, double[] p) {
        double[][] parts = split(x, y, (from, to) -> new double[] {lossRange(x, y, p, from, to)});
        double sum = 0;
        for (double[] part : parts) {
            sum += part[0];
        }
        return sum;
    }

    /** The loss and its gradient with respect to the eight parameters, summed over the points. */
    public double[] lossAndGradient(double[] x, double[] y, double[] p) {
        double[][] parts = split(x, y, (from, to) -> gradientRange(x, y, p, from, to));
        double[] sum = new double[9];
        for (double[] part : parts) {
            for (int k = 0; k < 9; k++) {
                sum[k] += part[k];
            }
        }
        return sum;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    private interface Range {
        double[] run(int from, int to);
    }

    /**
     * Runs {@code range} over chunks of {@link #CHUNK} points that the caller and the workers take
     * in turn from a shared counter, so a core slowed by another process does less of the work
     * (a fixed split would wait for its slowest half); partial sums are kept per chunk and added
     * in chunk order, so the result does not depend on the timing.
     */
    private double[][] split(double[] x, double[] y, Range range) {
        int n = x.length;
        if (y.length != n) {
            throw new IllegalArgumentException("x has " + n + " points but y has " + y.length);
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[][] out = new double[Math.max(chunks, 1)][];
        if (chunks <= 1) {
            out[0] = range.run(0, n);
            return out;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                out[c] = range.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK));
            }
        };
        int helpers = Math.min(threads, chunks) - 1;
        List<Future<?>> pending = new ArrayList<>(helpers);
        for (int t = 0; t < helpers; t++) {
            pending.add(workers.submit(work));
        }
        work.run();
        try {
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }

    /** The loss summed over points [from, to), one thread. */
    static double lossRange(double[] x, double[] y, double[] p, int from, int to) {
        DoubleVector b0 = DoubleVector.broadcast(S, p[0]);
        DoubleVector b1 = DoubleVector.broadcast(S, p[1]);
        DoubleVector b2 = DoubleVector.broadcast(S, p[2]);
        DoubleVector b3 = DoubleVector.broadcast(S, p[3]);
        DoubleVector w0 = DoubleVector.broadcast(S, p[4]);
        DoubleVector w1 = DoubleVector.broadcast(S, p[5]);
        DoubleVector w2 = DoubleVector.broadcast(S, p[6]);
        DoubleVector w3 = DoubleVector.broadcast(S, p[7]);
        DoubleVector acc = DoubleVector.zero(S);
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            DoubleVector xv = DoubleVector.fromArray(S, x, i);
            DoubleVector h1 = b0.add(w0.mul(xv)).lanewise(VectorOperators.SIN);
            DoubleVector h2 = b1.add(w1.mul(h1)).lanewise(VectorOperators.EXP);
            DoubleVector h3 = b2.add(w2.mul(h2)).lanewise(VectorOperators.COS);
            DoubleVector r = b3.add(w3.mul(h3)).sub(DoubleVector.fromArray(S, y, i));
            acc = acc.add(r.mul(r));
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        double tail = 0;
        for (; i < to; i++) {
            double r = p[3] + p[7] * Math.cos(p[2] + p[6] * Math.exp(p[1] + p[5] * Math.sin(p[0] + p[4] * x[i]))) - y[i];
            tail += r * r;
        }
        return sum + tail;
    }

    /** {ℓ, ∂β0..∂β3, ∂ω0..∂ω3} summed over points [from, to), one thread. */
    static double[] gradientRange(double[] x, double[] y, double[] p, int from, int to) {
        DoubleVector b0 = DoubleVector.broadcast(S, p[0]);
        DoubleVector b1 = DoubleVector.broadcast(S, p[1]);
        DoubleVector b2 = DoubleVector.broadcast(S, p[2]);
        DoubleVector b3 = DoubleVector.broadcast(S, p[3]);
        DoubleVector w0 = DoubleVector.broadcast(S, p[4]);
        DoubleVector w1 = DoubleVector.broadcast(S, p[5]);
        DoubleVector w2 = DoubleVector.broadcast(S, p[6]);
        DoubleVector w3 = DoubleVector.broadcast(S, p[7]);
        DoubleVector loss = DoubleVector.zero(S);
        DoubleVector gb0 = loss, gb1 = loss, gb2 = loss, gb3 = loss;
        DoubleVector gw0 = loss, gw1 = loss, gw2 = loss, gw3 = loss;
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length()) {
            DoubleVector xv = DoubleVector.fromArray(S, x, i);
            DoubleVector f0 = b0.add(w0.mul(xv));
            DoubleVector h1 = f0.lanewise(VectorOperators.SIN);
            DoubleVector f1 = b1.add(w1.mul(h1));
            DoubleVector h2 = f1.lanewise(VectorOperators.EXP);
            DoubleVector f2 = b2.add(w2.mul(h2));
            DoubleVector h3 = f2.lanewise(VectorOperators.COS);
            DoubleVector r = b3.add(w3.mul(h3)).sub(DoubleVector.fromArray(S, y, i));
            loss = loss.add(r.mul(r));
            DoubleVector d3 = r.add(r);
            DoubleVector d2 = f2.lanewise(VectorOperators.SIN).mul(w3.mul(d3)).neg();
            DoubleVector d1 = h2.mul(w2.mul(d2));
            DoubleVector d0 = f0.lanewise(VectorOperators.COS).mul(w1.mul(d1));
            gb3 = gb3.add(d3);
            gw3 = gw3.add(h3.mul(d3));
            gb2 = gb2.add(d2);
            gw2 = gw2.add(h2.mul(d2));
            gb1 = gb1.add(d1);
            gw1 = gw1.add(h1.mul(d1));
            gb0 = gb0.add(d0);
            gw0 = gw0.add(xv.mul(d0));
        }
        double[] out = {
            loss.reduceLanes(VectorOperators.ADD),
            gb0.reduceLanes(VectorOperators.ADD), gb1.reduceLanes(VectorOperators.ADD),
            gb2.reduceLanes(VectorOperators.ADD), gb3.reduceLanes(VectorOperators.ADD),
            gw0.reduceLanes(VectorOperators.ADD), gw1.reduceLanes(VectorOperators.ADD),
            gw2.reduceLanes(VectorOperators.ADD), gw3.reduceLanes(VectorOperators.ADD),
        };
        for (; i < to; i++) {
            addPoint(x[i], y[i], p, out);
        }
        return out;
    }

    /** Adds one point's loss and gradient to {@code out}, with {@link Math}'s functions. */
    static void addPoint(double x, double y, double[] p, double[] out) {
        double f0 = p[0] + p[4] * x;
        double h1 = Math.sin(f0);
        double f1 = p[1] + p[5] * h1;
        double h2 = Math.exp(f1);
        double f2 = p[2] + p[6] * h2;
        double h3 = Math.cos(f2);
        double r = p[3] + p[7] * h3 - y;
        double d3 = 2 * r;
        double d2 = -Math.sin(f2) * (p[7] * d3);
        double d1 = h2 * (p[6] * d2);
        double d0 = Math.cos(f0) * (p[5] * d1);
        out[0] += r * r;
        out[1] += d0;
        out[2] += d1;
        out[3] += d2;
        out[4] += d3;
        out[5] += x * d0;
        out[6] += h1 * d1;
        out[7] += h2 * d2;
        out[8] += h3 * d3;
    }
}
