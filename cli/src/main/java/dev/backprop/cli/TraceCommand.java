package dev.backprop.cli;

import dev.backprop.book.Trace;
import dev.backprop.formula.Formula;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop trace}: the forward and backward passes of any formula, as the book prints them. */
@Command(name = "trace",
        description = {"A formula's forward and backward passes, step by step.",
                "The forward pass (each step's name, operation and value), the backward pass",
                "(∂output/∂step, in reverse) and the gradient. A statement the output does not",
                "use is marked (unused)."})
final class TraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    /** Only --help: picocli would take a formula starting with -h or -V for those options (-h1*w). */
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;

    @Parameters(paramLabel = "FORMULA", description = "The formula, @FILE to read it from a file, or - for standard input.")
    String formula;
    @Option(names = "--at", paramLabel = "NAME=VALUE[,NAME=VALUE...]", required = true,
            description = "Values of the inputs; may repeat.")
    List<String> at;
    @Option(names = "--digits", defaultValue = "3", converter = Digits.class,
            description = "Decimals in tables (0 to 17; default: ${DEFAULT-VALUE}).")
    int digits;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;
    @Option(names = "--graph", paramLabel = "FILE.svg|FILE.png|FILE.dot",
            description = "Also draw the computational graph, as 'backprop graph' does.")
    java.nio.file.Path graph;

    @Override
    public Integer call() {
        GraphCommand.checkedFormat("--graph", graph);
        Formula f = Inputs.formula(formula);
        Trace t = Trace.of(f, Inputs.point(f, at));
        if (graph != null) {
            GraphCommand.drawTo(graph, f, Inputs.point(f, at), digits);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", t.value());
            m.put("forward", values(t.forward()));
            m.put("backward", values(t.backward()));
            m.put("gradient", t.gradient());
            m.put("unused", f.unused());
            out.println(Json.of(m));
        } else {
            out.println(t.outputName() + " = " + Text.num(t.value(), digits));
            out.println();
            Text.passes(out, t, digits, f.unused());
            out.println();
            out.println("Gradient with respect to the inputs");
            Text.gradient(out, t.outputName(), t.gradient(), digits);
        }
        Text.warnNonFinite(spec.commandLine().getErr(), t.nonFinite());
        return 0;
    }

    static Map<String, Double> values(List<Trace.Row> rows) {
        Map<String, Double> m = new LinkedHashMap<>();
        rows.forEach(r -> m.put(r.name(), r.number()));
        return m;
    }
}
