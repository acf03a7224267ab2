package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One compiled formula, shared by several threads, gives exactly the single-threaded results. */
class FormulaThreadSafetyTest {

    @Test
    void oneFormulaEvaluatedFromManyThreads() throws Exception {
        Formula f = Formula.compile(FormulaToyModelTest.TOY);
        Program p = f.program();
        int n = 2000;
        int width = p.inputs().size();
        Random rnd = new Random(7);
        double[][] points = new double[n][width];
        for (double[] pt : points) {
            for (int j = 0; j < width; j++) {
                pt[j] = -2 + 4 * rnd.nextDouble();
            }
        }
        double[][] expected = new double[n][];
        for (int i = 0; i < n; i++) {
            expected[i] = results(f, points[i]);
        }

        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<double[][]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 137;
                Callable<double[][]> job = () -> {
                    start.await();
                    double[][] got = new double[n][];
                    for (int k = 0; k < n; k++) {
                        int i = (k + offset) % n; // each thread walks the points in its own order
                        got[i] = results(f, points[i]);
                    }
                    return got;
                };
                futures.add(pool.submit(job));
            }
            start.countDown();
            for (Future<double[][]> fu : futures) {
                double[][] got = fu.get(60, TimeUnit.SECONDS);
                for (int i = 0; i < n; i++) {
                    assertThat(got[i]).as("point %d", i).isEqualTo(expected[i]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Value, every gradient entry, and one closed-form derivative, at one point. */
    private static double[] results(Formula f, double[] x) {
        Evaluation e = f.program().evaluate(x);
        double[] r = new double[x.length + 3];
        r[0] = e.value();
        for (int j = 0; j < x.length; j++) {
            r[1 + j] = e.gradient().of(f.inputs().get(j));
        }
        Formula d = f.derivative("omega0").formula();
        r[x.length + 1] = d.program().evaluate(bind(d.program(), pick(f, d, x))).value();
        r[x.length + 2] = e.value(f.steps().get(3).node());
        return r;
    }

    private static double[] pick(Formula f, Formula d, double[] x) {
        double[] v = new double[d.inputs().size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = x[f.inputs().indexOf(d.inputs().get(k))];
        }
        return v;
    }

    /** The inputs' names mapped to {@code values}, in input order. */
    private static java.util.Map<String, Double> bind(dev.backprop.graph.Program p, double... values) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            m.put(p.inputs().get(k), values[k]);
        }
        return m;
    }
}
