package dev.backprop.cli;

import dev.backprop.book.ToyTiming;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop bench}: the toy-model batch benchmark, so a user can check speed on their machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Speed on this machine: the toy loss and gradient over N points.",
                "Times the toy model's loss (β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))) − y)² summed over "
                + "N points (x, y uniform in [−2, 2]), alone and with its gradient with respect to the eight "
                + "parameters, after a warm-up; prints nanoseconds per point (median of repeats)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000000", description = "Points (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--threads", paramLabel = "T", description = "Threads (default: all processors).")
    Integer threads;
    @Option(names = "--plain", description = "Use the plain-Java kernel instead of SIMD.")
    boolean plain;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;

    @Override
    public Integer call() {
        if (n < 1) {
            throw new BadInput("--n must be at least 1, got " + n);
        }
        if (threads != null && threads < 1) {
            throw new BadInput("--threads must be at least 1, got " + threads);
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ToyTiming.Result r = ToyTiming.run(n, t, !plain);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", r.n());
            m.put("loss_ns_per_point", r.lossNsPerPoint());
            m.put("gradient_ns_per_point", r.gradientNsPerPoint());
            m.put("threads", r.threads());
            m.put("simd", r.simd());
            out.println(Json.of(m));
        } else {
            out.println("toy-model loss over " + Text.count(r.n(), "point") + ", " + Text.count(r.threads(), "thread")
                    + ", SIMD " + (r.simd() ? "on" : plain ? "off" : "off (start java with --add-modules jdk.incubator.vector)"));
            out.printf(java.util.Locale.ROOT, "loss alone:       %8.2f ns/point%n", r.lossNsPerPoint());
            out.printf(java.util.Locale.ROOT, "loss + gradient:  %8.2f ns/point  (%.2f× the loss)%n", r.gradientNsPerPoint(),
                    r.gradientNsPerPoint() / r.lossNsPerPoint());
        }
        return 0;
    }
}
