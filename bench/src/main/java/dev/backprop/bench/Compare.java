package dev.backprop.bench;

import dev.backprop.book.ToyTiming;
import dev.backprop.batch.BatchResult;
import dev.backprop.io.Columns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code bench/compare}: runs our Java benchmarks and the PyTorch reference scripts side by side
 * and prints one table: each workload, our time, the peer's time, and the ratio ours/peer (below 1
 * means we are faster). Peers: PyTorch ({@code bench/torch_*.py}), the fused {@code DoubleVector}
 * loop ({@link FusedToyLoop}), and our own loss alone (for what the gradient costs on top).
 *
 * <p>Workloads run one after another, each Java figure next to its PyTorch figure, so both see the
 * same machine state; the load average is printed because the machine may be shared. When PyTorch
 * cannot be imported the Java side still runs and the table says how to install it.
 *
 * <pre>
 * bench/compare [--quick] [--only toy,modes,tape,mlp,train] [--python PYTHON] [--scripts DIR]
 * </pre>
 */
public final class Compare {
    private static final String INSTALL_TORCH = "apt-get install python3-torch";
    private static final List<String> WORKLOADS = List.of("toy", "modes", "tape", "mlp", "train");

    private final boolean quick;
    private final List<String> only;
    private final Path scripts;
    private final Optional<String> python;
    private final Path logs;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String torchVersion = "";

    /** One line of the table; empty strings where a column does not apply. */
    record Row(String workload, String ours, String peerName, String peer, String ratio, String target, String verdict) {
    }

    private Compare(boolean quick, List<String> only, Path scripts, Optional<String> python, Path logs) {
        this.quick = quick;
        this.only = only;
        this.scripts = scripts;
        this.python = python;
        this.logs = logs;
    }

    /** Entry point of {@code bench/compare}; exit code 2 on bad arguments. */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        List<String> only = WORKLOADS;
        Path scripts = Paths.get("bench");
        String pythonArg = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = List.of(value(args, ++i).split(","));
                case "--scripts" -> scripts = Paths.get(value(args, ++i));
                case "--python" -> pythonArg = value(args, ++i);
                case "-h", "--help" -> {
                    System.out.println("usage: bench/compare [--quick] [--only toy,modes,tape,mlp,train] [--python PYTHON] [--scripts DIR]");
                    System.out.println("  Runs the Java benchmarks (JMH) and the PyTorch scripts side by side; prints one table.");
                    System.out.println("  --quick  short runs (a smoke test: noisier figures)");
                    return;
                }
                default -> bad("unknown option '" + args[i] + "' (try --help)");
            }
        }
        for (String w : only) {
            if (!WORKLOADS.contains(w)) {
                bad("unknown workload '" + w + "' in --only (" + String.join(", ", WORKLOADS) + ")");
            }
        }
        Path log = scripts.resolve("target").resolve("compare");
        Files.createDirectories(log);
        Compare c = new Compare(quick, only, scripts, findTorch(pythonArg), log);
        c.run();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            bad(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void bad(String message) {
        System.err.println("compare: " + message);
        System.exit(2);
    }

    private void run() throws IOException, InterruptedException, RunnerException {
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String loadBefore = loadAverage();
        if (python.isEmpty()) {
            notes.add("PyTorch not found (`python3 -c 'import torch'` failed): install it with `" + INSTALL_TORCH
                    + "` (Debian's build, run by /usr/bin/python3); PyTorch columns are empty.");
            progress("PyTorch is not installed: " + INSTALL_TORCH + "; running the Java side only");
        }
        if (python.isPresent()) {
            torchVersion = torchVersion(python.get());
        }
        progress("JMH logs in " + logs);
        if (only.contains("toy")) {
            toyRows();
        }
        if (only.contains("modes")) {
            modesRows();
        }
        if (only.contains("tape")) {
            tapeRows();
        }
        if (only.contains("mlp")) {
            mlpRows();
        }
        if (only.contains("train")) {
            trainRows();
        }
        printHeader(started, loadBefore, loadAverage());
        printTable();
    }

    // ---------------------------------------------------------------- toy model

    private void toyRows() throws IOException, InterruptedException, RunnerException {
        int threads = Runtime.getRuntime().availableProcessors();
        Optional<Map<String, Object>> torch = Optional.empty();
        if (python.isPresent()) {
            progress("PyTorch: toy loss, N = 1,000,000, " + threads + " threads");
            List<String> cmd = List.of(python.get(), scripts.resolve("torch_toy.py").toString(),
                    "--n", String.valueOf(ToyData.N), "--threads", String.valueOf(threads),
                    "--warmup", quick ? "2" : "3", "--reps", quick ? "5" : "15");
            torch = runJson(cmd);
        }
        progress("JMH: toy loss (ours and the fused loop)");
        Map<String, Result<?>> java = jmh(ToyBenchmark.class, false, true);
        OptionalDouble ourLoss = ns(java, "batchLoss");
        OptionalDouble ourGrad = ns(java, "batchGradient");
        OptionalDouble torchLoss = number(torch, "loss_ns_per_point");
        OptionalDouble torchGrad = number(torch, "gradient_ns_per_point");
        String torchName = "PyTorch " + torch.map(t -> t.get("torch") + ", ").orElse("") + threads + " thr";

        rows.add(row("toy loss+gradient, ns/point", ourGrad, err(java, "batchGradient"),
                torchName + ", backward()", torchGrad, 1.0 / 3, "≤ 0.33 (3× faster)"));
        rows.add(row("toy loss+gradient, ns/point", ourGrad, err(java, "batchGradient"),
                torchName + ", fastest run", number(torch, "gradient_best_ns_per_point"), 1.0 / 3,
                "≤ 0.33 (stricter)"));
        rows.add(row("toy loss alone, ns/point", ourLoss, err(java, "batchLoss"),
                torchName + ", no_grad", torchLoss, Double.NaN, ""));
        rows.add(row("toy loss+gradient, ns/point", ourGrad, err(java, "batchGradient"),
                "fused DoubleVector loop, " + threads + " thr", ns(java, "fusedGradient"), 1.5, "≤ 1.5"));
        rows.add(row("toy loss alone, ns/point", ourLoss, err(java, "batchLoss"),
                "fused DoubleVector loop, " + threads + " thr", ns(java, "fusedLoss"), Double.NaN, ""));
        rows.add(row("toy gradient cost (grad / loss)", ourGrad, err(java, "batchGradient"),
                "our loss alone", ourLoss, 3.0, "≤ 3"));
        if (torchGrad.isPresent() && torchLoss.isPresent()) {
            rows.add(new Row("  PyTorch's grad / loss, for reference", "", "", "", fmt(torchGrad.getAsDouble() / torchLoss.getAsDouble()), "", ""));
        }
        // A vector kernel that C2 fails to compile whole falls back to Java and allocates tens of
        // bytes a point while still giving right answers: only this row catches it.
        rows.add(row("toy loss+gradient, bytes allocated/point", ns(java, "batchGradient:alloc"), "",
                "target (no peer)", OptionalDouble.of(1), 1.0, "≤ 1 (1 B/point)"));
        rows.add(row("fused loop loss+gradient, ns/point", ns(java, "fusedGradient"), err(java, "fusedGradient"),
                "the same loop on 1 thread", ns(java, "fusedGradient1Thread"), Double.NaN, "(core scaling)"));
        torch.ifPresent(this::checkAgreement);

        progress("round-robin cross-check of the Java ratios (own JVM)");
        Optional<Map<String, Object>> rr = runJson(List.of(javaExe(), "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), ToyRoundRobin.class.getName(), quick ? "10" : "30"));
        if (rr.isPresent()) {
            OptionalDouble bl = number(rr, "batchLoss");
            OptionalDouble bg = number(rr, "batchGradient");
            OptionalDouble fl = number(rr, "fusedLoss");
            OptionalDouble fg = number(rr, "fusedGradient");
            OptionalDouble f1 = number(rr, "fusedGradient1Thread");
            notes.add(String.format(Locale.ROOT, "Round-robin cross-check (one JVM, each contender once per round, %s rounds, medians): "
                    + "ours/fused loss+gradient = %s, ours/fused loss = %s, our grad/loss = %s, fused 2 thr / 1 thr = %s "
                    + "(ns/point: ours %s / %s, fused %s / %s).",
                    String.valueOf((int) number(rr, "rounds").orElse(0)), fmt(bg.orElse(Double.NaN) / fg.orElse(Double.NaN)),
                    fmt(bl.orElse(Double.NaN) / fl.orElse(Double.NaN)), fmt(bg.orElse(Double.NaN) / bl.orElse(Double.NaN)),
                    fmt(fg.orElse(Double.NaN) / f1.orElse(Double.NaN)),
                    fmt(bl.orElse(Double.NaN)), fmt(bg.orElse(Double.NaN)), fmt(fl.orElse(Double.NaN)), fmt(fg.orElse(Double.NaN))));
        }
    }

    private static String javaExe() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Both sides sum the same points: their loss and gradient must agree, or the race is unfair. */
    private void checkAgreement(Map<String, Object> torch) {
        BatchResult ours = ToyTiming.program().gradient(ToyData.generate(ToyData.N).columns(), ToyData.parameterMap());
        double worst = rel(ours.sum(), ((Number) torch.get("loss")).doubleValue());
        String worstName = "loss";
        @SuppressWarnings("unchecked")
        Map<String, Object> g = (Map<String, Object>) torch.get("gradient");
        for (String name : ToyData.PARAMETERS) {
            double r = rel(ours.gradient().get(name), ((Number) g.get(name)).doubleValue());
            if (r > worst) {
                worst = r;
                worstName = "∂/∂" + name;
            }
        }
        notes.add(String.format(Locale.ROOT,
                "Check: our toy loss and 8 gradients equal PyTorch's on the same points to %.1e relative (worst: %s).",
                worst, worstName));
    }

    private static double rel(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(b), Double.MIN_NORMAL);
    }

    // ---------------------------------------------------------------- modes of differentiation

    /**
     * THE MODES ROWS: {@link ModesBenchmark} (Hessian times v, the full Hessian two ways, the JVP,
     * and our loss and gradient as yardsticks) against {@code bench/torch_modes.py}. The peer runs
     * before and after our JMH run and the rows show the mean of the two medians, so both sides see
     * the same stretch of machine time; {@link ModesRoundRobin} then gives the ratios to our own
     * loss and gradient with every contender under the same load.
     */
    private void modesRows() throws IOException, InterruptedException, RunnerException {
        int threads = Runtime.getRuntime().availableProcessors();
        Path script = scripts.resolve("torch_modes.py");
        boolean peer = python.isPresent() && Files.exists(script);
        List<String> cmd = peer ? List.of(python.get(), script.toString(), "--n", String.valueOf(ToyData.N),
                "--threads", String.valueOf(threads), "--warmup", quick ? "1" : "3", "--reps", quick ? "5" : "15",
                "--hessian-reps", quick ? "3" : "7") : List.of();
        List<Optional<Map<String, Object>>> torch = new ArrayList<>();
        if (peer) {
            progress("PyTorch: toy loss in every mode (HVP, Hessian, JVP), before ours");
            torch.add(runJson(cmd));
        }
        progress("JMH: toy loss in every mode (HVP, Hessian two ways, JVP; loss and gradient as yardsticks)");
        Map<String, Result<?>> java = jmh(ModesBenchmark.class, false, true);
        if (peer) {
            progress("PyTorch: toy loss in every mode, after ours");
            torch.add(runJson(cmd));
        }
        Optional<Map<String, Object>> t0 = torch.isEmpty() ? Optional.empty() : torch.get(0);
        Optional<Map<String, Object>> t1 = torch.size() < 2 ? Optional.empty() : torch.get(1);
        String torchName = "PyTorch " + t0.or(() -> t1).map(t -> t.get("torch") + ", ").orElse("") + threads + " thr";
        if (!peer) {
            torchName = python.isPresent() ? "PyTorch (no bench/torch_modes.py)" : "PyTorch";
        }

        OptionalDouble loss = ns(java, "loss");
        OptionalDouble grad = ns(java, "gradient");
        OptionalDouble hvp = ns(java, "hvp");
        OptionalDouble byDir = ns(java, "hessianByDirections");
        OptionalDouble byDer = ns(java, "hessianByDerivatives");
        boolean directionsFaster = byDir.isPresent() && (byDer.isEmpty() || byDir.getAsDouble() <= byDer.getAsDouble());
        String hessName = directionsFaster ? "hessianByDirections" : "hessianByDerivatives";
        OptionalDouble hess = directionsFaster ? byDir : byDer;
        OptionalDouble jvp = ns(java, "jvp");
        OptionalDouble torchHess = mean(number(t0, "hessian_ns_per_point"), number(t1, "hessian_ns_per_point"));
        OptionalDouble torchHessV = mean(number(t0, "hessian_vectorized_ns_per_point"),
                number(t1, "hessian_vectorized_ns_per_point"));
        boolean vectorizedFaster = torchHessV.isPresent() && (torchHess.isEmpty() || torchHessV.getAsDouble() < torchHess.getAsDouble());

        rows.add(row("HVP (H·v, 8 params), ns/point", hvp, err(java, "hvp"),
                torchName + ", double backward", mean(number(t0, "hvp_ns_per_point"), number(t1, "hvp_ns_per_point")),
                1.0, "≤ 1 (faster)"));
        rows.add(row("HVP (H·v, 8 params), ns/point", hvp, err(java, "hvp"), torchName + ", fastest run",
                min(number(t0, "hvp_best_ns_per_point"), number(t1, "hvp_best_ns_per_point")), 1.0, "≤ 1 (stricter)"));
        rows.add(row("HVP cost (HVP / our gradient)", hvp, err(java, "hvp"), "our loss+gradient", grad, 4.0, "≤ 4"));
        rows.add(row("Hessian 8×8, ns/point (" + (directionsFaster ? "8 directional" : "8 derivative") + " programs)",
                hess, err(java, hessName),
                torchName + ", functional.hessian" + (vectorizedFaster ? " vectorize" : ""),
                vectorizedFaster ? torchHessV : torchHess, 1.0, "≤ 1 (faster)"));
        rows.add(row("Hessian 8×8, ns/point, the other way (" + (directionsFaster ? "8 derivative" : "8 directional") + ")",
                directionsFaster ? byDer : byDir, err(java, directionsFaster ? "hessianByDerivatives" : "hessianByDirections"),
                "the faster way", hess, Double.NaN, ""));
        rows.add(row("Hessian cost (Hessian / our gradient)", hess, err(java, hessName), "our loss+gradient", grad,
                Double.NaN, ""));
        rows.add(row("JVP (forward mode along v), ns/point", jvp, err(java, "jvp"), "our loss alone", loss, 2.0, "≤ 2"));
        rows.add(row("JVP (forward mode along v), ns/point", jvp, err(java, "jvp"), torchName + ", forward_ad",
                mean(number(t0, "jvp_forward_ad_ns_per_point"), number(t1, "jvp_forward_ad_ns_per_point")), Double.NaN, ""));
        rows.add(row("JVP (forward mode along v), ns/point", jvp, err(java, "jvp"), torchName + ", functional.jvp",
                mean(number(t0, "jvp_functional_ns_per_point"), number(t1, "jvp_functional_ns_per_point")), Double.NaN, ""));
        rows.add(row("toy loss+gradient (this run), ns/point", grad, err(java, "gradient"), torchName + ", backward()",
                mean(number(t0, "gradient_ns_per_point"), number(t1, "gradient_ns_per_point")), Double.NaN, ""));
        rows.add(row("toy loss alone (this run), ns/point", loss, err(java, "loss"), torchName + ", no_grad",
                mean(number(t0, "loss_ns_per_point"), number(t1, "loss_ns_per_point")), Double.NaN, ""));
        // As for the toy gradient: a kernel C2 failed to compile whole allocates tens of bytes a
        // point. What is left is each call's block buffers, so the Hessian (8 calls) gets 8 B.
        for (String m : List.of("hvp", "jvp", hessName)) {
            int calls = m.startsWith("hessian") ? 8 : 1;
            rows.add(row(m + ", bytes allocated/point", ns(java, m + ":alloc"), "", "target (no peer)",
                    OptionalDouble.of(calls), 1.0, "≤ 1 (" + calls + " B/point)"));
        }
        Optional<Map<String, Object>> t = t0.or(() -> t1);
        if (t.isPresent()) {
            double tg = number(t, "gradient_ns_per_point").orElse(Double.NaN);
            double tl = number(t, "loss_ns_per_point").orElse(Double.NaN);
            notes.add(String.format(Locale.ROOT, "modes: PyTorch's own ratios in its first run: HVP / gradient %s, "
                    + "Hessian / gradient %s (vectorize=True: %s), forward_ad JVP / loss %s, functional.jvp / loss %s.",
                    fmt(number(t, "hvp_ns_per_point").orElse(Double.NaN) / tg),
                    fmt(number(t, "hessian_ns_per_point").orElse(Double.NaN) / tg),
                    fmt(number(t, "hessian_vectorized_ns_per_point").orElse(Double.NaN) / tg),
                    fmt(number(t, "jvp_forward_ad_ns_per_point").orElse(Double.NaN) / tl),
                    fmt(number(t, "jvp_functional_ns_per_point").orElse(Double.NaN) / tl)));
            if (torch.size() == 2 && t1.isPresent()) {
                notes.add(String.format(Locale.ROOT, "modes: PyTorch medians before / after ours, ns/point: HVP %s / %s, "
                        + "Hessian %s / %s, JVP forward_ad %s / %s.",
                        fmt(number(t0, "hvp_ns_per_point").orElse(Double.NaN)), fmt(number(t1, "hvp_ns_per_point").orElse(Double.NaN)),
                        fmt(number(t0, "hessian_ns_per_point").orElse(Double.NaN)), fmt(number(t1, "hessian_ns_per_point").orElse(Double.NaN)),
                        fmt(number(t0, "jvp_forward_ad_ns_per_point").orElse(Double.NaN)),
                        fmt(number(t1, "jvp_forward_ad_ns_per_point").orElse(Double.NaN))));
            }
            checkModesAgreement(t.get());
        }

        progress("round-robin cross-check: every mode, ours and PyTorch (both OpenMP wait policies) in turn (own JVM)");
        List<String> rrCmd = new ArrayList<>(List.of(javaExe(), "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), ModesRoundRobin.class.getName(), quick ? "8" : "20"));
        if (peer) {
            rrCmd.addAll(List.of(python.get(), script.toString()));
        }
        Optional<Map<String, Object>> rr = runJson(rrCmd);
        if (rr.isEmpty()) {
            return;
        }
        int rounds = (int) number(rr, "rounds").orElse(0);
        rows.add(rrRow("HVP / our gradient, round-robin", rr, "hvp", "gradient", "our loss+gradient, in turn",
                "hvp_per_gradient", 4.0, "≤ 4"));
        rows.add(rrRow("JVP / our loss, round-robin", rr, "jvp", "loss", "our loss alone, in turn",
                "jvp_per_loss", 2.0, "≤ 2"));
        boolean directions = number(rr, "hessianByDirections").orElse(Double.NaN)
                <= number(rr, "hessianByDerivatives").orElse(Double.NaN);
        String ourHessian = directions ? "hessianByDirections" : "hessianByDerivatives";
        if (peer) {
            // Against whichever OpenMP policy made PyTorch faster in this run (the larger ratio):
            // the stronger peer.
            for (String[] w : new String[][] {{"hvp", "hvp", "HVP", "double backward", "1"},
                    {ourHessian, "hessian", "Hessian 8×8", "functional.hessian", "1"},
                    {"jvp", "jvp_forward_ad", "JVP", "forward_ad", ""}}) {
                String best = null;
                for (String policy : List.of("default", "passive")) {
                    OptionalDouble r = number(rr, ratioKey(w[0], policy, w[1]));
                    if (r.isPresent() && (best == null || r.getAsDouble() > number(rr, ratioKey(w[0], best, w[1])).getAsDouble())) {
                        best = policy;
                    }
                }
                if (best != null) {
                    String torchKey = "torch_" + best + "_" + w[1];
                    rows.add(rrRow(w[2] + ", round-robin, ns/point", rr, w[0], torchKey,
                            "PyTorch " + w[3] + ", OMP " + best + ", in turn", ratioKey(w[0], best, w[1]),
                            w[4].isEmpty() ? Double.NaN : 1.0, w[4].isEmpty() ? "" : "≤ 1 (faster)"));
                }
            }
        }
        StringBuilder note = new StringBuilder(String.format(Locale.ROOT, "modes round-robin (%d rounds, one call of "
                + "each contender per round; medians of the per-round ratios, quartiles in brackets): HVP / gradient %s, "
                + "JVP / loss %s, gradient / loss %s, Hessian by directions / by derivatives %s; ours, ns/point: loss %s, "
                + "gradient %s, HVP %s, JVP %s, Hessian %s by directions and %s by derivatives.",
                rounds, quartiles(rr, "hvp_per_gradient"), quartiles(rr, "jvp_per_loss"), quartiles(rr, "gradient_per_loss"),
                quartiles(rr, "hessian_directions_per_derivatives"),
                fmt(number(rr, "loss").orElse(Double.NaN)), fmt(number(rr, "gradient").orElse(Double.NaN)),
                fmt(number(rr, "hvp").orElse(Double.NaN)), fmt(number(rr, "jvp").orElse(Double.NaN)),
                fmt(number(rr, "hessianByDirections").orElse(Double.NaN)),
                fmt(number(rr, "hessianByDerivatives").orElse(Double.NaN))));
        if (peer) {
            for (String policy : List.of("default", "passive")) {
                String tk = "torch_" + policy + "_";
                note.append(String.format(Locale.ROOT, " Against PyTorch, OMP %s: HVP %s, Hessian %s, JVP %s, gradient %s, "
                        + "loss %s (PyTorch, ns/point: HVP %s, Hessian %s, JVP %s, gradient %s, loss %s).", policy,
                        quartiles(rr, ratioKey("hvp", policy, "hvp")), quartiles(rr, ratioKey(ourHessian, policy, "hessian")),
                        quartiles(rr, ratioKey("jvp", policy, "jvp_forward_ad")),
                        quartiles(rr, ratioKey("gradient", policy, "gradient")), quartiles(rr, ratioKey("loss", policy, "loss")),
                        fmt(number(rr, tk + "hvp").orElse(Double.NaN)), fmt(number(rr, tk + "hessian").orElse(Double.NaN)),
                        fmt(number(rr, tk + "jvp_forward_ad").orElse(Double.NaN)),
                        fmt(number(rr, tk + "gradient").orElse(Double.NaN)), fmt(number(rr, tk + "loss").orElse(Double.NaN))));
            }
        }
        notes.add(note.toString());
    }

    /** ModesRoundRobin's key for the ratio of ours to one PyTorch workload. */
    private static String ratioKey(String ours, String policy, String theirs) {
        String mine = ours.startsWith("hessian") ? "hessian" : ours;
        return mine + "_per_torch_" + policy + "_" + theirs;
    }

    /** A row from the round-robin: the two medians, and the median of the per-round ratios. */
    private static Row rrRow(String workload, Optional<Map<String, Object>> rr, String ours, String peerKey, String peerName,
                             String ratioKey, double target, String targetText) {
        OptionalDouble r = number(rr, ratioKey);
        return new Row(workload, fmt(number(rr, ours).orElse(Double.NaN)), peerName,
                fmt(number(rr, peerKey).orElse(Double.NaN)), fmt(r.orElse(Double.NaN)), targetText,
                Double.isNaN(target) ? "" : verdict(r, target));
    }

    private static String quartiles(Optional<Map<String, Object>> rr, String key) {
        return fmt(number(rr, key).orElse(Double.NaN)) + " (" + fmt(number(rr, key + "_q1").orElse(Double.NaN)) + "–"
                + fmt(number(rr, key + "_q3").orElse(Double.NaN)) + ")";
    }

    private static String verdict(OptionalDouble ratio, double target) {
        return ratio.isEmpty() ? "" : ratio.getAsDouble() <= target ? "met" : "MISSED";
    }

    private static OptionalDouble min(OptionalDouble a, OptionalDouble b) {
        if (a.isPresent() && b.isPresent()) {
            return OptionalDouble.of(Math.min(a.getAsDouble(), b.getAsDouble()));
        }
        return a.isPresent() ? a : b;
    }

    /**
     * Both sides differentiate the same sum: our H·v, both Hessians and the JVP (plain kernel, so
     * reproducible) against PyTorch's, or the race is unfair.
     */
    private void checkModesAgreement(Map<String, Object> torch) {
        ToyModes ours = new ToyModes(false, Runtime.getRuntime().availableProcessors());
        Columns data = ToyData.generate(ToyData.N).columns();
        Map<String, Double> p = ToyData.parameterMap();
        double[] worst = {0};
        String[] where = {"-"};
        java.util.function.BiConsumer<String, double[]> against = (key, mine) -> {
            if (!(torch.get(key) instanceof List<?> theirs) || theirs.size() != mine.length) {
                notes.add("modes: the peer reported no " + key + " to check.");
                return;
            }
            for (int i = 0; i < mine.length; i++) {
                double r = rel(mine[i], ((Number) theirs.get(i)).doubleValue());
                if (r > worst[0] || Double.isNaN(r)) {
                    worst[0] = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
                    where[0] = key + "[" + i + "]";
                }
            }
        };
        against.accept("hvp", ours.hvp(data, p));
        against.accept("hessian", flatten(ours.hessianByDirections(data, p)));
        double[] byDer = flatten(ours.hessianByDerivatives(data, p));
        against.accept("hessian", byDer);
        double jvp = ours.jvp(data, p);
        for (String key : List.of("jvp_forward_ad", "jvp_functional")) {
            if (torch.get(key) instanceof Number n) {
                double r = rel(jvp, n.doubleValue());
                if (r > worst[0] || Double.isNaN(r)) {
                    worst[0] = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
                    where[0] = key;
                }
            }
        }
        notes.add(String.format(Locale.ROOT, "Check: our H·v, both 8×8 Hessians and the JVP equal PyTorch's on the same "
                + "points to %.1e relative (worst: %s).", worst[0], where[0]));
    }

    private static double[] flatten(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    // ---------------------------------------------------------------- scalar tape

    private void tapeRows() throws IOException, InterruptedException, RunnerException {
        progress("JMH: 10M-operation scalar graph");
        Map<String, Result<?>> java = jmh(TapeBenchmark.class, true, false);
        rows.add(row("tape: record+differentiate 10M ops, ns/op", ns(java, "recordAndDifferentiate"),
                err(java, "recordAndDifferentiate"), "target (no peer)", OptionalDouble.of(100), 1.0, "≤ 1 (100 ns/op)"));
        progress("bytes per operation (TapeMemory, own JVM)");
        Optional<Map<String, Object>> mem = runJson(List.of(javaExe(), "-Xms2g", "-Xmx2g", "-cp",
                System.getProperty("java.class.path"), TapeMemory.class.getName()));
        rows.add(row("tape: bytes allocated per op", number(mem, "allocated_bytes_per_op"), "",
                "target (no peer)", OptionalDouble.of(64), 1.0, "≤ 1 (64 B/op)"));
        rows.add(row("tape: bytes retained per op (+gradient)", number(mem, "retained_with_gradient_bytes_per_op"), "",
                "target (no peer)", OptionalDouble.of(64), 1.0, "≤ 1 (64 B/op)"));
    }

    // ---------------------------------------------------------------- MLP training step

    /**
     * THE MLP ROWS: our {@code MlpStepBenchmark} (JMH, branch {@code mlp}) against
     * {@code bench/torch_mlp.py}, one SGD step of a 784-1024-1024-10 ReLU network, batch 256,
     * float64. Whichever side is missing leaves its column empty.
     */
    private void mlpRows() throws IOException, InterruptedException, RunnerException {
        Path script = scripts.resolve("torch_mlp.py");
        Optional<Class<?>> bench = optionalClass("dev.backprop.bench.MlpStepBenchmark");
        Map<String, Result<?>> java = Map.of();
        if (bench.isPresent()) {
            progress("JMH: MLP training step (both losses)");
            java = jmh(bench.get(), false, false);
        } else {
            notes.add("MLP step: dev.backprop.bench.MlpStepBenchmark is not in this build; only PyTorch's side is shown.");
        }
        for (String loss : List.of("xent", "squared")) {
            Optional<Map<String, Object>> torch = Optional.empty();
            if (python.isPresent() && Files.exists(script)) {
                progress("PyTorch: MLP training step, loss " + loss);
                torch = runJson(List.of(python.get(), script.toString(), "--loss", loss,
                        "--threads", String.valueOf(Runtime.getRuntime().availableProcessors()),
                        "--warmup", quick ? "2" : "5", "--reps", quick ? "5" : "20"));
            }
            OptionalDouble ours = OptionalDouble.empty();
            String error = "";
            Result<?> r = java.get("step[loss=" + loss + "]");
            if (r != null) {
                ours = OptionalDouble.of(toMillis(r.getScore(), r.getScoreUnit()));
                error = fmt(toMillis(r.getScoreError(), r.getScoreUnit()));
            }
            rows.add(row("MLP 784-1024-1024-10 SGD step, " + (loss.equals("xent") ? "softmax x-ent" : "squared") + ", ms",
                    ours, error,
                    torch.isPresent() ? "PyTorch " + torch.get().get("torch") + ", " + torch.get().get("threads").toString().replace(".0", "") + " thr"
                            : Files.exists(script) ? "PyTorch" : "PyTorch (no bench/torch_mlp.py)",
                    number(torch, "ms_per_step"), 1.0, "≤ 1"));
        }
        blasNote();
    }

    // ---------------------------------------------------------------- backprop train

    /**
     * THE TRAIN ROWS: {@link TrainStepBenchmark} ({@code NetworkFit.fit}, what {@code backprop
     * train} runs: Adam, summed squared error, batches of 256 from 2,048 examples) against
     * {@code bench/torch_train.py}, the same run in PyTorch. First row: one steady-state step;
     * second: a whole 16-step run per step, its start and end included.
     *
     * <p>The peer runs before and after our JMH run (the row shows the mean, so both sides see the
     * same stretch of machine time), each time twice: with OpenMP's default wait policy and with
     * {@code OMP_WAIT_POLICY=PASSIVE}. On a shared machine the default (threads spin at every
     * barrier) makes each of Adam's dozens of small parallel regions wait for a descheduled thread,
     * and PyTorch's step takes 2–3× longer; passive threads sleep instead. The row's peer is
     * whichever of the two was faster in this run, the stronger comparison either way.
     */
    private void trainRows() throws IOException, InterruptedException, RunnerException {
        Path script = scripts.resolve("torch_train.py");
        boolean peer = python.isPresent() && Files.exists(script);
        List<String> cmd = peer ? List.of(python.get(), script.toString(),
                "--threads", String.valueOf(Runtime.getRuntime().availableProcessors()),
                "--steps", String.valueOf(TrainStepBenchmark.RUN), "--warmup", quick ? "2" : "5",
                "--reps", quick ? "2" : "4", "--check", String.valueOf(CHECKED_STEPS)) : List.of();
        List<String> policies = List.of("default", "PASSIVE");
        Map<String, List<Optional<Map<String, Object>>>> torch = new LinkedHashMap<>();
        for (String policy : policies) {
            torch.put(policy, new ArrayList<>());
        }
        Map<String, Result<?>> java = Map.of();
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                progress("JMH: train's run (one step of a run in progress; a whole 16-step run)");
                java = jmh(TrainStepBenchmark.class, false, false);
            }
            for (String policy : policies) {
                if (peer) {
                    progress("PyTorch: train's run (Adam, summed squared error, batch 256 of 2048), OpenMP wait policy "
                            + policy + (round == 0 ? ", before ours" : ", after ours"));
                    torch.get(policy).add(runJson(cmd, policy.equals("default") ? Map.of() : Map.of("OMP_WAIT_POLICY", policy)));
                }
            }
        }
        String best = null;
        OptionalDouble bestStep = OptionalDouble.empty();
        List<String> seen = new ArrayList<>();
        for (String policy : policies) {
            List<Optional<Map<String, Object>>> runs = torch.get(policy);
            OptionalDouble step = runs.size() < 2 ? OptionalDouble.empty()
                    : mean(number(runs.get(0), "ms_per_step"), number(runs.get(1), "ms_per_step"));
            if (step.isPresent() && (bestStep.isEmpty() || step.getAsDouble() < bestStep.getAsDouble())) {
                best = policy;
                bestStep = step;
            }
            if (runs.size() == 2) {
                seen.add(String.format(Locale.ROOT, "%s %s before and %s after (fastest %s, %s)", policy,
                        fmt(number(runs.get(0), "ms_per_step").orElse(Double.NaN)),
                        fmt(number(runs.get(1), "ms_per_step").orElse(Double.NaN)),
                        fmt(number(runs.get(0), "ms_min").orElse(Double.NaN)),
                        fmt(number(runs.get(1), "ms_min").orElse(Double.NaN))));
            }
        }
        Optional<Map<String, Object>> first = best == null ? Optional.empty() : torch.get(best).get(0);
        Optional<Map<String, Object>> second = best == null ? Optional.empty() : torch.get(best).get(1);
        String chosen = best;
        String peerName = first.or(() -> second).map(t -> "PyTorch " + t.get("torch") + ", "
                + t.get("threads").toString().replace(".0", "") + " thr, Adam, OMP " + chosen.toLowerCase(Locale.ROOT))
                .orElse(Files.exists(script) ? "PyTorch" : "PyTorch (no bench/torch_train.py)");
        rows.add(row("train 784-1024-1024-10 Adam step, Σ sq. err, ms", millis(java, "step"), millisErr(java, "step"),
                peerName, bestStep, 1.0, "≤ 1"));
        rows.add(row("train whole 16-step run, per step, ms", millis(java, "run"), millisErr(java, "run"),
                peerName, mean(number(first, "ms_per_step_whole_run"), number(second, "ms_per_step_whole_run")),
                Double.NaN, "(start, end)"));
        if (!seen.isEmpty()) {
            notes.add("train: PyTorch's steady-state step in ms by OpenMP wait policy, " + String.join("; ", seen)
                    + "; the rows show the mean of the faster policy.");
        }
        first.or(() -> second).ifPresent(this::checkTrainAgreement);
        if (peer) {
            trainRoundRobin(cmd);
        }
    }

    /**
     * The cross-check of the train rows, robust to a machine whose load changes by the minute: our
     * run (in this JVM, {@link TrainStepBenchmark.Running}) and two PyTorch runs (bench/torch_train.py
     * --serve, default and passive OpenMP waiting) take {@value #RR_STEPS} steps each in turn, in a
     * rotating order, round after round; the medians of the per-round times and ratios are reported.
     */
    private void trainRoundRobin(List<String> peerCmd) throws IOException, InterruptedException {
        int rounds = quick ? 6 : 20;
        progress("round-robin: train's step, ours and PyTorch (both wait policies) in turn, " + rounds + " rounds");
        List<String> cmd = new ArrayList<>(peerCmd.subList(0, 2));
        cmd.addAll(List.of("--serve", "--threads", String.valueOf(Runtime.getRuntime().availableProcessors()), "--warmup", "3"));
        String[] names = {"ours", "PyTorch default", "PyTorch passive"};
        List<Process> procs = new ArrayList<>();
        List<java.io.BufferedReader> from = new ArrayList<>();
        List<java.io.PrintStream> to = new ArrayList<>();
        TrainStepBenchmark.Running ours = new TrainStepBenchmark.Running();
        double[][] ms = new double[3][rounds];
        try {
            for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("OMP_WAIT_POLICY", "PASSIVE"))) {
                ProcessBuilder b = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
                b.environment().remove("OPENBLAS_CORETYPE");
                b.environment().remove("OPENBLAS_L2_SIZE");
                b.environment().remove("OMP_WAIT_POLICY");
                b.environment().putAll(env);
                Process p = b.start();
                procs.add(p);
                from.add(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                to.add(new java.io.PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8));
            }
            for (java.io.BufferedReader r : from) {
                if (r.readLine() == null) {
                    throw new IOException("the peer ended before it was ready");
                }
            }
            ours.setUp();
            for (int i = 0; i < 3 * RR_STEPS; i++) {
                ours.step(); // JIT warm-up
            }
            for (int round = -2; round < rounds; round++) { // two rounds of warm-up for all
                for (int c = 0; c < 3; c++) {
                    int who = Math.floorMod(c + round, 3);
                    double t;
                    if (who == 0) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < RR_STEPS; i++) {
                            ours.step();
                        }
                        t = (System.nanoTime() - t0) / 1e6 / RR_STEPS;
                    } else {
                        to.get(who - 1).println(RR_STEPS);
                        String line = from.get(who - 1).readLine();
                        if (line == null) {
                            throw new IOException(names[who] + " ended early");
                        }
                        t = ((Number) FlatJson.parse(line).get("ms_per_step")).doubleValue();
                    }
                    if (round >= 0) {
                        ms[who][round] = t;
                    }
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            notes.add("FAILED: train round-robin: " + e.getMessage());
            return;
        } finally {
            to.forEach(java.io.PrintStream::close);
            for (Process p : procs) {
                if (!p.waitFor(1, TimeUnit.MINUTES)) {
                    p.destroy();
                }
            }
            ours.tearDown();
        }
        double[] vsDefault = new double[rounds];
        double[] vsPassive = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            vsDefault[r] = ms[0][r] / ms[1][r];
            vsPassive[r] = ms[0][r] / ms[2][r];
        }
        rows.add(row("train step, round-robin, median of " + rounds + " rounds, ms", OptionalDouble.of(median(ms[0])), "",
                "PyTorch, OMP passive, in turn", OptionalDouble.of(median(ms[2])), 1.0, "≤ 1"));
        rows.add(row("train step, round-robin, median of " + rounds + " rounds, ms", OptionalDouble.of(median(ms[0])), "",
                "PyTorch, OMP default, in turn", OptionalDouble.of(median(ms[1])), 1.0, "≤ 1"));
        notes.add(String.format(Locale.ROOT, "train round-robin (%d rounds of %d steps each, one run per contender): "
                + "median of the per-round ratios ours/PyTorch %s against passive OpenMP waiting (quartiles %s–%s), %s "
                + "against the default (quartiles %s–%s); fastest rounds, ms/step: ours %s, passive %s, default %s.",
                rounds, RR_STEPS, fmt(median(vsPassive)), fmt(quantile(vsPassive, 0.25)), fmt(quantile(vsPassive, 0.75)),
                fmt(median(vsDefault)), fmt(quantile(vsDefault, 0.25)), fmt(quantile(vsDefault, 0.75)),
                fmt(quantile(ms[0], 0)), fmt(quantile(ms[2], 0)), fmt(quantile(ms[1], 0))));
    }

    /** Steps each contender takes per round of the train round-robin. */
    private static final int RR_STEPS = 4;

    private static double median(double[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }

    /** Steps of the run that both sides must agree on, loss by loss. */
    private static final int CHECKED_STEPS = 4;

    /** Both sides train the same network on the same batches: their losses must agree, or the race is unfair. */
    private void checkTrainAgreement(Map<String, Object> torch) {
        if (!(torch.get("losses") instanceof List<?> theirs) || theirs.size() != CHECKED_STEPS) {
            notes.add("train: the peer reported no losses to check.");
            return;
        }
        double[] ours = TrainStepBenchmark.losses(CHECKED_STEPS);
        double worst = 0;
        for (int i = 0; i < CHECKED_STEPS; i++) {
            worst = Math.max(worst, rel(ours[i], ((Number) theirs.get(i)).doubleValue()));
        }
        notes.add(String.format(Locale.ROOT, "Check: train's first %d batch losses equal PyTorch's on the same "
                + "network, data and batches to %.1e relative (ours: %s).", CHECKED_STEPS, worst,
                java.util.Arrays.toString(ours)));
    }

    private static OptionalDouble millis(Map<String, Result<?>> java, String name) {
        Result<?> r = java.get(name);
        return r == null ? OptionalDouble.empty() : OptionalDouble.of(toMillis(r.getScore(), r.getScoreUnit()));
    }

    private static String millisErr(Map<String, Result<?>> java, String name) {
        Result<?> r = java.get(name);
        return r == null || Double.isNaN(r.getScoreError()) ? "" : fmt(toMillis(r.getScoreError(), r.getScoreUnit()));
    }

    private static OptionalDouble mean(OptionalDouble a, OptionalDouble b) {
        if (a.isPresent() && b.isPresent()) {
            return OptionalDouble.of((a.getAsDouble() + b.getAsDouble()) / 2);
        }
        return a.isPresent() ? a : b;
    }

    /** PyTorch's matmul is only a fair peer with Debian's threaded OpenBLAS behind libblas.so.3. */
    private void blasNote() {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib")) {
            Path lib = Paths.get(dir, "libblas.so.3");
            if (Files.exists(lib)) {
                try {
                    Path real = lib.toRealPath();
                    if (real.toString().contains("openblas-pthread")) {
                        notes.add("PyTorch's BLAS: " + real + " (threaded OpenBLAS: a fair peer).");
                    } else {
                        notes.add("PyTorch's BLAS: " + real + " is not threaded OpenBLAS; libopenblas0-pthread is missing, "
                                + "so PyTorch's matmul is slower than it should be: apt-get install libopenblas0-pthread.");
                    }
                } catch (IOException e) {
                    notes.add("PyTorch's BLAS: cannot resolve " + lib + ": " + e.getMessage());
                }
                return;
            }
        }
        notes.add("No libblas.so.3 found: PyTorch's matmul may not use OpenBLAS; apt-get install libopenblas0-pthread.");
    }

    private static double toMillis(double v, String unit) {
        String u = unit.replace("/op", "");
        return switch (u) {
            case "ns" -> v / 1e6;
            case "us" -> v / 1e3;
            case "ms" -> v;
            case "s" -> v * 1e3;
            default -> Double.NaN;
        };
    }

    private static Optional<Class<?>> optionalClass(String name) {
        try {
            return Optional.of(Class.forName(name));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- running things

    /** Runs every benchmark of {@code type}; results by method name. --quick shortens the runs. */
    /**
     * Runs one JMH class; results by method name. With {@code allocation}, JMH's GC profiler runs
     * too and each method's bytes allocated per operation are under "name:alloc".
     */
    private Map<String, Result<?>> jmh(Class<?> type, boolean singleShot, boolean allocation) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(Pattern.quote(type.getName()) + "\\..*")
                .output(logs.resolve("jmh-" + type.getSimpleName() + ".log").toString());
        if (allocation) {
            o.addProfiler(GCProfiler.class);
        }
        if (quick) {
            o.warmupIterations(singleShot ? 1 : 2).measurementIterations(3);
            if (!singleShot) {
                o.warmupTime(TimeValue.milliseconds(500)).measurementTime(TimeValue.milliseconds(500));
            }
        }
        Map<String, Result<?>> out = new LinkedHashMap<>();
        for (RunResult r : new Runner(o.build()).run()) {
            String name = r.getParams().getBenchmark();
            StringBuilder key = new StringBuilder(name.substring(name.lastIndexOf('.') + 1));
            List<String> params = new ArrayList<>(r.getParams().getParamsKeys());
            if (!params.isEmpty()) {
                key.append('[');
                for (String p : params) {
                    key.append(key.charAt(key.length() - 1) == '[' ? "" : ",").append(p).append('=').append(r.getParams().getParam(p));
                }
                key.append(']');
            }
            out.put(key.toString(), r.getPrimaryResult());
            Result<?> bytes = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (bytes != null) {
                out.put(key + ":alloc", bytes);
            }
        }
        return out;
    }

    /** Runs a command that prints one JSON object on its last line of stdout; empty on failure. */
    private Optional<Map<String, Object>> runJson(List<String> cmd) throws IOException, InterruptedException {
        return runJson(cmd, Map.of());
    }

    /**
     * The same with {@code env} added to the environment, from which OpenBLAS's and OpenMP's
     * tuning variables are first removed: OpenBLAS chooses its kernels and blocking from the CPU it
     * finds, and an override left in the caller's environment would make PyTorch a different
     * (usually slower) peer.
     */
    private Optional<Map<String, Object>> runJson(List<String> cmd, Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        b.environment().remove("OPENBLAS_CORETYPE");
        b.environment().remove("OPENBLAS_L2_SIZE");
        b.environment().remove("OMP_WAIT_POLICY");
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
            notes.add("FAILED: " + String.join(" ", cmd) + " (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            return Optional.empty();
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        try {
            Map<String, Object> json = FlatJson.parse(last);
            if (json.get("torch") instanceof String v) {
                torchVersion = v;
            }
            return Optional.of(json);
        } catch (IllegalArgumentException e) {
            notes.add("FAILED to read the output of " + String.join(" ", cmd) + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Finds a Python that can import torch: --python, then $PYTHON, then python3 on the PATH, then
     * Debian's /usr/bin/python3 (python3-torch installs there, and a PATH python3 may be another).
     */
    private static Optional<String> findTorch(String explicit) throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        if (explicit != null) {
            candidates.add(explicit);
        } else {
            Optional.ofNullable(System.getenv("PYTHON")).ifPresent(candidates::add);
            candidates.add("python3");
            candidates.add("/usr/bin/python3");
        }
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import torch, numpy")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0) {
                    return Optional.of(c);
                }
            } catch (IOException e) {
                // not installed under that name: try the next
            }
        }
        return Optional.empty();
    }

    private static String torchVersion(String python) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0 ? v : "?";
    }

    // ---------------------------------------------------------------- the table

    private static Row row(String workload, OptionalDouble ours, String ourError, String peerName, OptionalDouble peer,
                           double target, String targetText) {
        String ratio = "";
        String verdict = "";
        if (ours.isPresent() && peer.isPresent()) {
            double r = ours.getAsDouble() / peer.getAsDouble();
            ratio = fmt(r);
            if (!Double.isNaN(target)) {
                verdict = r <= target ? "met" : "MISSED";
            }
        }
        String o = ours.isPresent() ? fmt(ours.getAsDouble()) + (ourError.isEmpty() ? "" : " ±" + ourError) : "n/a";
        return new Row(workload, o, peerName, peer.isPresent() ? fmt(peer.getAsDouble()) : "n/a", ratio,
                targetText, verdict);
    }

    private static OptionalDouble ns(Map<String, Result<?>> java, String name) {
        Result<?> r = java.get(name);
        return r == null ? OptionalDouble.empty() : OptionalDouble.of(r.getScore());
    }

    private static String err(Map<String, Result<?>> java, String name) {
        Result<?> r = java.get(name);
        return r == null || Double.isNaN(r.getScoreError()) ? "" : fmt(r.getScoreError());
    }

    private static OptionalDouble number(Optional<Map<String, Object>> json, String key) {
        return json.map(m -> m.get(key)).filter(Number.class::isInstance)
                .map(v -> OptionalDouble.of(((Number) v).doubleValue())).orElse(OptionalDouble.empty());
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }

    private void printHeader(String started, String loadBefore, String loadAfter) {
        System.out.println("backprop bench/compare" + (quick ? " --quick (short runs: noisy)" : "") + ", " + started);
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " processors, " + cpuModel()
                + "; load average " + loadBefore + " before, " + loadAfter + " after");
        System.out.println("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + "; PyTorch: " + python.map(p -> torchVersion + " (" + p + ")").orElse("not installed (" + INSTALL_TORCH + ")"));
        System.out.println("ratio = ours / peer: below 1 means ours is faster (or smaller). Java ± is JMH's 99.9% interval.");
        System.out.println();
    }

    private void printTable() {
        String[] head = {"workload", "ours", "peer", "peer's", "ours/peer", "target", ""};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.workload(), r.ours(), r.peerName(), r.peer(), r.ratio(), r.target(), r.verdict()});
        }
        int[] width = new int[head.length];
        for (String[] c : cells) {
            for (int k = 0; k < c.length; k++) {
                width[k] = Math.max(width[k], c[k].length());
            }
        }
        for (String[] c : cells) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < c.length; k++) {
                b.append(k == 1 || k == 3 || k == 4 ? pad(c[k], width[k], true) : pad(c[k], width[k], false));
                b.append(k < c.length - 1 ? "  " : "");
            }
            System.out.println(b.toString().stripTrailing());
        }
        if (!notes.isEmpty()) {
            System.out.println();
            notes.forEach(System.out::println);
        }
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux: the JDK's architecture name is the best we have
        }
        return System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).split(" ");
            return f[0];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void progress(String message) {
        System.err.println("compare: " + message);
    }
}
