package dev.backprop.cli;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.fit.StopReason;
import dev.backprop.optim.Newton;
import dev.backprop.optim.Optimizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * What {@code fit} and {@code train} share: the optimiser and schedule options (a picocli mixin),
 * the progress bar, Ctrl-C handling, the {@code --out} file and the loss plot (both written through
 * {@link OutputPaths}, after the results are printed).
 */
final class Training {
    /** Exit code after Ctrl-C, as a shell reports a process killed by SIGINT (128 + 2). */
    static final int INTERRUPTED = 130;
    /** Exit code when the loss stopped being finite. */
    static final int DIVERGED = 1;
    /** Exit code when the results were printed but --out or a plot could not be written at the end. */
    static final int WRITE_FAILED = Main.BAD_INPUT;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "adam, sgd (gradient descent on mini-batches), momentum, nesterov, gd (full batch) or newton "
                    + "(damped Newton with the Hessian of the loss; fit only; --lr defaults to 1). Default: adam.")
    String optimizer;
    @Option(names = "--lr", paramLabel = "α", description = "Learning rate (default: 0.01).")
    Double lr;
    @Option(names = "--steps", description = "Optimiser steps (default: 1000 unless --epochs is given).")
    Integer steps;
    @Option(names = "--epochs", description = "Passes over the data instead of a number of steps.")
    Integer epochs;
    @Option(names = "--batch", description = "Points per step (default: 32 for sgd, every point otherwise).")
    Integer batch;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the mini-batch shuffling, numpy's permutation; with --spark --plot it also chooses the chart's "
            + "2,000-row sample (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--beta", description = "Momentum β, also Adam's β (default: 0.9).")
    Double beta;
    @Option(names = "--gamma", description = "Adam's γ (default: 0.999).")
    Double gamma;
    @Option(names = "--epsilon", description = "Adam's ε (default: 1e-8).")
    Double epsilon;
    @Option(names = "--plot", paramLabel = "FILE",
            description = "Loss curve (log scale) to FILE (.png or .svg); where there is one input and one target, "
                    + "the data and the fitted curve go to FILE-fit.png.")
    Path plot;
    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the fitted parameters as JSON (also after divergence, Ctrl-C or SIGTERM). "
                    + "A symlink is followed; /dev/null discards; an input, folder or FIFO is refused.")
    Path out;
    @Option(names = "--digits", defaultValue = "4", converter = Digits.class,
            description = "Decimals (0 to 17; default: ${DEFAULT-VALUE}).")
    int digits;
    @Option(names = "--json", description = "Machine-readable output: {\"params\", \"loss\", \"steps\", \"initial_loss\", \"stop\", …}.")
    boolean json;

    /**
     * Checks --out, --plot and (when {@code curve}) the companion chart before any work starts,
     * against each other and against the inputs already in {@code paths}, so a bad path never
     * costs a run and no output can overwrite an input (OutputPaths).
     */
    void checkOutputs(OutputPaths paths, boolean curve) {
        if (plot != null) {
            Plots.checkTarget(plot);
        }
        paths.output("--out", out).output("--plot", plot);
        if (plot != null && curve) {
            paths.output("--plot (fitted curve)", companion(plot));
        }
        paths.check();
    }

    /** The charts --plot will draw: the loss curve and, when {@code curve}, the companion. */
    List<String> plots(boolean curve) {
        List<String> l = new ArrayList<>();
        if (plot != null) {
            l.add(plot.toString());
            if (curve) {
                l.add(companion(plot).toString());
            }
        }
        return l;
    }

    /** What {@link #save} wrote, and whether anything failed. */
    record Saved(boolean out, List<String> plots, boolean failed) {
    }

    /**
     * Writes {@code file} as JSON to --out (when given), --plot's loss curve titled {@code title},
     * then the companion chart drawn by {@code curve} (null: none). Called after the results are
     * printed: a file that cannot be written is one line on {@code err}, and the others are still tried.
     */
    Saved save(Map<String, ?> file, FitResult r, String title, Consumer<Path> curve, PrintWriter err) {
        boolean failed = false;
        boolean wroteOut = false;
        if (out != null) {
            try {
                OutputPaths.write(out, Json.of(file) + "\n");
                wroteOut = true;
            } catch (BadInput e) {
                err.println("backprop: " + e.getMessage() + " (the results are printed above)");
                failed = true;
            }
        }
        List<String> plots = new ArrayList<>();
        if (plot != null) {
            try {
                lossPlot(plot, title, r);
                plots.add(plot.toString());
            } catch (BadInput e) {
                err.println("backprop: " + e.getMessage());
                failed = true;
            }
            if (curve != null) {
                Path second = companion(plot);
                try {
                    curve.accept(second);
                    plots.add(second.toString());
                } catch (BadInput e) {
                    err.println("backprop: " + e.getMessage());
                    failed = true;
                }
            }
        }
        err.flush();
        return new Saved(wroteOut, plots, failed);
    }

    /** The exit code once the files are saved: {@link #WRITE_FAILED} if one could not be, else {@code code}. */
    static int exitCode(int code, Saved saved) {
        return saved.failed() ? WRITE_FAILED : code;
    }

    /** The --json object: {@code file} (what --out holds), the initial loss, how the run stopped, and the charts drawn. */
    Map<String, Object> json(Map<String, ?> file, FitResult r, List<String> plots) {
        Map<String, Object> m = new LinkedHashMap<>(file);
        m.put("initial_loss", r.initialLoss());
        m.put("stop", stopName(r));
        if (plot != null) {
            m.put("plots", plots);
        }
        return m;
    }

    /** What fit's --out writes and its --init @FILE reads back. */
    static Map<String, Object> outFile(Map<String, ?> params, FitResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("params", params);
        m.put("loss", r.loss());
        m.put("steps", r.steps());
        return m;
    }

    static String stopName(FitResult r) {
        if (r.stop() instanceof StopReason.Diverged d) {
            return "diverged at step " + d.step();
        }
        return r.stop() instanceof StopReason.Interrupted ? "interrupted" : "completed";
    }

    String optimizerName() {
        return optimizer == null ? "adam" : optimizer.toLowerCase(Locale.ROOT);
    }

    /** --lr, or where it is absent {@code defaultLr} (1, the plain step, for newton). */
    double learningRate(double defaultLr) {
        return lr != null ? lr : optimizerName().equals("newton") ? 1.0 : defaultLr;
    }

    /** The optimiser the options describe; {@code defaultLr} when --lr is absent. */
    Optimizer optimizer(double defaultLr) {
        double a = learningRate(defaultLr);
        double b = beta == null ? 0.9 : beta;
        try {
            return switch (optimizerName()) {
                case "adam" -> Optimizer.adam(a, b, gamma == null ? 0.999 : gamma, epsilon == null ? 1e-8 : epsilon);
                case "sgd", "gd" -> Optimizer.gradientDescent(a);
                case "momentum" -> Optimizer.momentum(a, b);
                case "nesterov" -> Optimizer.nesterov(a, b);
                case "newton" -> Optimizer.newton(a);
                default -> throw new BadInput("--optimizer must be adam, sgd, momentum, nesterov, gd or newton, got '" + optimizer + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }

    /** Says how many Newton steps met a Hessian that was not positive definite and were damped instead. */
    static void noteRefusedNewtonSteps(Optimizer optimizer, int steps, PrintWriter err) {
        if (optimizer instanceof Newton n && n.refusedSteps() > 0) {
            err.println("backprop: note: " + n.refusedSteps() + " of " + steps + " Newton steps found the Hessian not "
                    + "positive definite; each took a damped step, (H + λI)⁻¹·g, instead of the plain Newton step");
        }
    }

    /** The schedule the options describe; {@code defaultSteps} when neither --steps nor --epochs is given. */
    Schedule schedule(int defaultSteps) {
        if (steps != null && epochs != null) {
            throw new BadInput("give --steps or --epochs, not both");
        }
        if ((steps != null && steps < 1) || (epochs != null && epochs < 1)) {
            throw new BadInput("--steps and --epochs must be at least 1");
        }
        String o = optimizerName();
        if (o.equals("gd") && batch != null) {
            throw new BadInput("gd uses every point at each step; use --optimizer sgd for mini-batches");
        }
        if (batch != null && batch < 1) {
            throw new BadInput("--batch must be at least 1, got " + batch);
        }
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new BadInput("--seed must be between 0 and 2^32 - 1, got " + seed);
        }
        int b = batch != null ? batch : o.equals("sgd") ? 32 : 0;
        int s = steps != null ? steps : epochs != null ? 0 : defaultSteps;
        return new Schedule(s, epochs == null ? 0 : epochs, b, seed);
    }

    /**
     * A progress bar with the current loss, redrawn in place at most every 100 ms, drawn only when
     * there is a terminal ({@link System#console()}) and straight to it. Not through stderr: the
     * launcher filters stderr line by line (to drop the JVM's incubator warning), which would hold
     * back a bar that redraws with carriage returns until the run ends. Output redirected to a file
     * never sees it, since a console exists only while standard output is a terminal.
     */
    static final class Bar implements Progress {
        private final PrintWriter tty;
        private long last;
        private boolean drawn;

        Bar() {
            this.tty = terminal() ? System.console().writer() : null;
        }

        /** Whether the console is an interactive terminal (JDK 22+ has a console even when piped; ask it). */
        static boolean terminal() {
            java.io.Console c = System.console();
            if (c == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
            } catch (NoSuchMethodException e) {
                return true; // JDK 17-21: a console exists only for a terminal
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public void report(int step, int total, double loss) {
            report(step, total, loss, Double.NaN);
        }

        /** With a classifier's batch accuracy beside the loss (NaN: none). */
        @Override
        public void report(int step, int total, double loss, double accuracy) {
            if (tty == null) {
                return;
            }
            long now = System.nanoTime();
            if (step != total && drawn && now - last < 100_000_000L) {
                return;
            }
            last = now;
            drawn = true;
            int width = 30;
            int done = (int) ((long) width * step / total);
            tty.print("\r[" + "#".repeat(done) + ".".repeat(width - done) + "] step " + step + "/" + total
                    + "  loss " + Text.num(loss, 6) + (Double.isNaN(accuracy) ? "" : "  accuracy " + Text.num(accuracy, 3)) + "   ");
            tty.flush();
        }

        /** Ends the bar's line so what follows starts on a fresh one. */
        void finish() {
            if (tty != null && drawn) {
                tty.println();
                tty.flush();
            }
        }
    }

    /**
     * Runs {@code fit} with Ctrl-C handling: SIGINT raises the interrupt flag, the run stops after
     * its current step, and the JVM's shutdown waits until {@code afterwards} (printing, writing
     * --out) has run on the result, so the last parameters are kept.
     */
    static <T> int run(Function<AtomicBoolean, T> fit, Function<T, Integer> afterwards) {
        AtomicBoolean interrupt = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupt.set(true);
            try {
                // Bounded, so a step that never ends cannot keep the process alive forever.
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "backprop-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            T result = fit.apply(interrupt);
            return afterwards.apply(result);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is running and the JVM exits with 130 once it returns.
            }
        }
    }

    /**
     * Refuses, before any step, mini-batches over data of more than 2³¹ − 1 rows (a cluster's):
     * they are drawn from a permutation of the row numbers; full batches have no such limit.
     */
    static void requireBatchable(dev.backprop.fit.Schedule schedule, long rows, String origin) {
        if (!schedule.fullBatch(rows) && rows > Integer.MAX_VALUE) {
            throw new BadInput(origin + ": " + Text.count(rows, "row") + "; --batch draws mini-batches from a permutation of "
                    + "the row numbers, at most " + Text.count(Integer.MAX_VALUE, "row") + "; drop --batch for full batches");
        }
    }

    /** Says on stderr why a run stopped early, and gives the exit code. */
    static int report(FitResult r, PrintWriter err) {
        if (r.stop() instanceof StopReason.Diverged && !Double.isFinite(r.initialLoss())) {
            err.println("backprop: the loss is not finite at the starting parameters (" + r.initialLoss()
                    + "); check the data and --init");
            return DIVERGED;
        }
        if (r.stop() instanceof StopReason.Diverged d) {
            err.println("backprop: the loss stopped being finite at step " + d.step()
                    + "; kept the last parameters with a finite loss (try a smaller --lr)");
            return DIVERGED;
        }
        if (r.stop() instanceof StopReason.Interrupted i) {
            err.println("backprop: interrupted after " + Text.count(i.steps(), "step") + "; kept the parameters reached");
            return INTERRUPTED;
        }
        return 0;
    }

    /** The second plot's file: {@code loss.png} → {@code loss-fit.png}. */
    static Path companion(Path plot) {
        String n = plot.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return plot.resolveSibling(n.substring(0, dot) + "-fit" + n.substring(dot));
    }

    /** The loss per step on a log scale, at the true step numbers (a long run's curve is reduced in core). */
    static void lossPlot(Path file, String title, FitResult r) {
        double[] l = r.losses();
        int[] at = r.lossSteps();
        double[] steps = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            steps[i] = at[i];
        }
        List<Plots.Series> s = new ArrayList<>();
        s.add(new Plots.Series("loss", steps, l));
        Plots.write(file, title, "step", "loss (log scale)", true, s);
    }

    /**
     * The most rows of data a chart of the data draws when the data is on Spark: the single
     * machine's chart draws every point, which a cluster's data set would bury (and could not
     * bring to one machine), so Spark brings a seeded random sample of this many.
     */
    static final int CHART_ROWS = 2000;

    /**
     * The line under the title of a chart of {@code sample}: null when it holds every row (the
     * chart is then the single machine's), else how many of how many rows it shows.
     */
    static String sampleNote(SparkBackend.Sample sample, long seed) {
        return !sample.partial() ? null : "a random sample of " + String.format(Locale.ROOT, "%,d", sample.columns().rows())
                + " of " + Text.count(sample.rows(), "row") + " (--seed " + seed + ")";
    }

    /** A grid of {@code n} points spanning the values in {@code x}. */
    static double[] grid(double[] x, int n) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = lo + (hi - lo) * i / (n - 1);
        }
        return g;
    }
}
