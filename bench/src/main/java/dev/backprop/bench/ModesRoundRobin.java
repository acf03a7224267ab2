package dev.backprop.bench;

import dev.backprop.io.Columns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The cross-check of the modes rows that a shared machine cannot skew: every mode and its
 * yardsticks (our loss and gradient) in this JVM and, when a Python with PyTorch is given, the
 * same workloads in two {@code bench/torch_modes.py --serve} processes (OpenMP's default wait
 * policy and {@code OMP_WAIT_POLICY=PASSIVE}), one call each in turn, in an order that rotates
 * every round. JMH and the peer's own timing run one after another, so a neighbour that starts in
 * between moves a ratio; here every contender sees the same load, and the ratios reported are the
 * medians of the per-round ratios. Prints one JSON line.
 *
 * <pre>
 * ModesRoundRobin ROUNDS [PYTHON SCRIPT]
 * </pre>
 */
public final class ModesRoundRobin {
    private static final List<String> TORCH = List.of("loss", "gradient", "hvp", "jvp_forward_ad", "hessian");
    private static final List<String> POLICIES = List.of("default", "passive");

    private ModesRoundRobin() {
    }

    /** Prints {@code {"rounds": …, "<contender>": ns/point, …, "<ratio>": …, "<ratio>_q1": …, "<ratio>_q3": …}}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Columns data = ToyData.generate(ToyData.N).columns();
        Map<String, Double> p = ToyData.parameterMap();
        ToyModes modes = new ToyModes(true, Runtime.getRuntime().availableProcessors());
        Map<String, DoubleSupplier> contenders = new LinkedHashMap<>();
        contenders.put("loss", timed(() -> modes.loss().value(data, p).sum()));
        contenders.put("gradient", timed(() -> modes.loss().gradient(data, p).sum()));
        contenders.put("hvp", timed(() -> modes.hvp(data, p)[0]));
        contenders.put("jvp", timed(() -> modes.jvp(data, p)));
        contenders.put("hessianByDirections", timed(() -> modes.hessianByDirections(data, p)[0][0]));
        contenders.put("hessianByDerivatives", timed(() -> modes.hessianByDerivatives(data, p)[0][0]));
        List<Process> peers = new ArrayList<>();
        try {
            if (args.length >= 3) {
                for (String policy : POLICIES) {
                    Peer peer = Peer.start(args[1], args[2], policy);
                    peers.add(peer.process);
                    for (String w : TORCH) {
                        contenders.put("torch_" + policy + "_" + w, () -> peer.call(w));
                    }
                }
            }
            List<String> names = new ArrayList<>(contenders.keySet());
            double[][] ns = new double[names.size()][rounds];
            int warmup = Math.max(3, rounds / 4);
            for (int round = -warmup; round < rounds; round++) {
                for (int c = 0; c < names.size(); c++) {
                    int k = Math.floorMod(c + round, names.size());
                    double t = contenders.get(names.get(k)).getAsDouble();
                    if (round >= 0) {
                        ns[k][round] = t;
                    }
                }
            }
            Map<String, double[]> byName = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                byName.put(names.get(k), ns[k]);
            }
            StringBuilder out = new StringBuilder("{\"rounds\": " + rounds);
            byName.forEach((name, v) -> out.append(String.format(Locale.ROOT, ", \"%s\": %.3f", name, quantile(v, 0.5))));
            out.append(ratio("hvp_per_gradient", byName.get("hvp"), byName.get("gradient")));
            out.append(ratio("jvp_per_loss", byName.get("jvp"), byName.get("loss")));
            out.append(ratio("gradient_per_loss", byName.get("gradient"), byName.get("loss")));
            out.append(ratio("hessian_directions_per_derivatives", byName.get("hessianByDirections"),
                    byName.get("hessianByDerivatives")));
            double[] hessian = quantile(byName.get("hessianByDirections"), 0.5) <= quantile(byName.get("hessianByDerivatives"), 0.5)
                    ? byName.get("hessianByDirections") : byName.get("hessianByDerivatives");
            for (String policy : peers.isEmpty() ? List.<String>of() : POLICIES) {
                String t = "torch_" + policy + "_";
                out.append(ratio("hvp_per_" + t + "hvp", byName.get("hvp"), byName.get(t + "hvp")));
                out.append(ratio("hessian_per_" + t + "hessian", hessian, byName.get(t + "hessian")));
                out.append(ratio("jvp_per_" + t + "jvp_forward_ad", byName.get("jvp"), byName.get(t + "jvp_forward_ad")));
                out.append(ratio("gradient_per_" + t + "gradient", byName.get("gradient"), byName.get(t + "gradient")));
                out.append(ratio("loss_per_" + t + "loss", byName.get("loss"), byName.get(t + "loss")));
            }
            System.out.println(out.append("}"));
        } finally {
            for (Process peer : peers) {
                peer.getOutputStream().close();
                if (!peer.waitFor(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    peer.destroy();
                }
            }
        }
    }

    /** One call of ours, in ns per point; its result goes to a sink so the JIT keeps the work. */
    private static DoubleSupplier timed(DoubleSupplier call) {
        return () -> {
            long t0 = System.nanoTime();
            double r = call.getAsDouble();
            long t = System.nanoTime() - t0;
            Sink.value += r;
            return t / (double) ToyData.N;
        };
    }

    /** Where results go so that no call is dead code. */
    private static final class Sink {
        static volatile double value;
    }

    /** A {@code torch_modes.py --serve} process: one timed call per request. */
    private record Peer(Process process, BufferedReader from, PrintStream to) {
        static Peer start(String python, String script, String policy) throws IOException {
            ProcessBuilder b = new ProcessBuilder(python, script, "--serve", "--n", String.valueOf(ToyData.N),
                    "--threads", String.valueOf(Runtime.getRuntime().availableProcessors()), "--warmup", "2")
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            // OpenBLAS and OpenMP choose their own settings, as in Compare.runJson.
            b.environment().remove("OPENBLAS_CORETYPE");
            b.environment().remove("OPENBLAS_L2_SIZE");
            b.environment().remove("OMP_WAIT_POLICY");
            if (policy.equals("passive")) {
                b.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            }
            Process p = b.start();
            Peer peer = new Peer(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                    new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8));
            if (peer.from.readLine() == null) {
                throw new IOException("torch_modes.py --serve (" + policy + ") ended before it was ready");
            }
            return peer;
        }

        double call(String workload) {
            to.println(workload);
            try {
                String line = from.readLine();
                if (line == null) {
                    throw new IOException("torch_modes.py --serve ended early");
                }
                Object v = FlatJson.parse(line).get("ns_per_point");
                if (!(v instanceof Number n)) {
                    throw new IOException("torch_modes.py --serve answered " + line);
                }
                return n.doubleValue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The median of the per-round ratios a/b, and its quartiles. */
    private static String ratio(String name, double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] / b[i];
        }
        return String.format(Locale.ROOT, ", \"%s\": %.4f, \"%s_q1\": %.4f, \"%s_q3\": %.4f", name, quantile(r, 0.5),
                name, quantile(r, 0.25), name, quantile(r, 0.75));
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }
}
