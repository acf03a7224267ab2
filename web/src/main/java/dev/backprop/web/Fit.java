package dev.backprop.web;

import dev.backprop.book.Demo;
import dev.backprop.fit.FitResult;
import dev.backprop.fit.FormulaFit;
import dev.backprop.fit.Schedule;
import dev.backprop.formula.Formula;
import dev.backprop.io.Columns;
import dev.backprop.io.Csv;
import dev.backprop.io.DataException;
import dev.backprop.io.JsonWriter;
import dev.backprop.optim.Optimizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/fit}: a training run streamed as it goes, one JSON object per line: first the
 * data, then about a hundred progress events (step, loss, parameters, fitted curve), then the end.
 * The run stops when the user stops it (the page closes the connection, and the next write fails),
 * after {@link Bounds#FIT_TIME} or at its last step, whichever comes first.
 */
final class Fit {
    /** Progress events per run: enough for a smooth curve, few enough to draw each one. */
    static final int EVENTS = 100;
    /** Points of the fitted curve. */
    static final int GRID = 120;

    private final FormulaFit fit;
    private final Columns data;
    private final Map<String, Double> init;
    private final Optimizer optimizer;
    private final int steps;
    private final String x;
    private final String target;

    private Fit(FormulaFit fit, Columns data, Map<String, Double> init, Optimizer optimizer, int steps) {
        this.fit = fit;
        this.data = data;
        this.init = init;
        this.optimizer = optimizer;
        this.steps = steps;
        List<String> cols = fit.columns();
        if (cols.size() == 2) {
            this.target = cols.contains("y") ? "y" : cols.get(1);
            this.x = cols.get(0).equals(target) ? cols.get(1) : cols.get(0);
        } else {
            this.x = null;
            this.target = null;
        }
    }

    /** The run a request asks for, checked before anything is streamed (so errors still get a status). */
    static Fit of(Map<String, Object> req) {
        Object d = req.getOrDefault("data", "demo");
        if (!(d instanceof String text)) {
            throw new ApiException(400, "\"data\" must be \"demo\" or the text of a CSV file with a header row");
        }
        Columns data;
        if (text.equals("demo")) {
            data = Demo.data(Api.integer(req, "seed", 0, 0, Integer.MAX_VALUE));
        } else {
            List<String> lines = text.lines().toList();
            if (lines.size() - 1 > Bounds.MAX_ROWS) {
                throw new ApiException(422, "the data has " + (lines.size() - 1) + " rows; the explorer fits at most " + Bounds.MAX_ROWS);
            }
            try {
                data = Csv.parse("the uploaded CSV", new ArrayList<>(lines));
            } catch (DataException | IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage());
            }
        }
        Map<String, Object> withFormula = new LinkedHashMap<>(req);
        withFormula.putIfAbsent("formula", Demo.FORMULA);
        Formula f = Api.formula(withFormula);
        Object i = req.get("init");
        Map<String, Double> init = new LinkedHashMap<>();
        if (i == null) {
            if (!f.source().equals(Demo.FORMULA)) {
                throw new ApiException(400, "\"init\" must name the parameters to fit and their starting values, as {\"a\": 1}");
            }
            init.putAll(Demo.initial());
        } else if (i instanceof Map<?, ?> m && !m.isEmpty()) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getValue() instanceof Double v) || !Double.isFinite(v)) {
                    throw new ApiException(400, "the starting value of '" + e.getKey() + "' must be a finite number");
                }
                init.put((String) e.getKey(), v);
            }
        } else {
            throw new ApiException(400, "\"init\" must name the parameters to fit and their starting values, as {\"a\": 1}");
        }
        FormulaFit fit;
        try {
            fit = FormulaFit.of(f, data, init.keySet());
        } catch (DataException | IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        double lr = Api.number(req, "lr", 0.01);
        if (!(lr > 0)) {
            throw new ApiException(400, "\"lr\" must be a positive number");
        }
        Object o = req.getOrDefault("optimizer", "adam");
        Optimizer opt;
        if ("adam".equals(o)) {
            opt = Optimizer.adam(lr);
        } else if ("gd".equals(o)) {
            opt = Optimizer.gradientDescent(lr);
        } else if ("momentum".equals(o)) {
            opt = Optimizer.momentum(lr, 0.9);
        } else if ("nesterov".equals(o)) {
            opt = Optimizer.nesterov(lr, 0.9);
        } else {
            throw new ApiException(400, "\"optimizer\" must be adam, gd, momentum or nesterov");
        }
        int steps = Api.integer(req, "steps", 2000, 1, Bounds.MAX_FIT_STEPS);
        return new Fit(fit, data, init, opt, steps);
    }

    /**
     * Trains, writing the events to {@code out} as it goes; returns when done, stopped or out of
     * time. A failed write means the page has gone (or pressed stop): the run ends there.
     */
    void stream(OutputStream out, AtomicBoolean stop) throws IOException {
        long deadline = System.nanoTime() + Bounds.FIT_TIME.toNanos();
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("parameters", new ArrayList<>(init.keySet()));
        if (x != null) {
            first.put("x", x);
            first.put("target", target);
            first.put("data_x", data.column(x));
            first.put("data_y", data.column(target));
        }
        Map<String, Double> params = new LinkedHashMap<>(init);
        first.put("loss", fit.loss(params));
        first.put("curve", curve(params));
        write(out, first);
        int chunk = Math.max(1, steps / EVENTS);
        int done = 0;
        String reason = "completed";
        while (done < steps) {
            if (stop.get()) {
                reason = "stopped";
                break;
            }
            if (System.nanoTime() > deadline) {
                reason = "out of time (" + Bounds.FIT_TIME.toSeconds() + " s)";
                break;
            }
            int n = Math.min(chunk, steps - done);
            // One optimiser across the chunks: its state (momentum, Adam's moments) carries over,
            // so the run is the one a single call of `steps` steps would make.
            FitResult r = fit.fit(params, optimizer, Schedule.steps(n), dev.backprop.fit.Progress.NONE, stop);
            params = r.paramMap();
            done += r.steps();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("step", done);
            e.put("loss", r.loss());
            e.put("params", params);
            e.put("curve", curve(params));
            write(out, e);
            if (!r.completed()) {
                reason = r.stop() instanceof dev.backprop.fit.StopReason.Diverged ? "diverged: the loss stopped being finite" : "stopped";
                break;
            }
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("done", true);
        end.put("reason", reason);
        end.put("step", done);
        end.put("params", params);
        write(out, end);
    }

    /** The fitted curve on a grid over the data's x, or null when the formula does not have exactly two columns. */
    private Map<String, Object> curve(Map<String, Double> params) {
        if (x == null) {
            return null;
        }
        double[] xs = data.column(x);
        double lo = Arrays.stream(xs).min().orElse(0);
        double hi = Arrays.stream(xs).max().orElse(1);
        double[] grid = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            grid[i] = lo + (hi - lo) * i / (GRID - 1);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", grid);
        m.put("y", fit.bestTargets(x, target, grid, params));
        return m;
    }

    private static void write(OutputStream out, Map<String, Object> event) throws IOException {
        out.write((JsonWriter.write(event) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
