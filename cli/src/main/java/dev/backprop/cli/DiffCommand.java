package dev.backprop.cli;

import dev.backprop.formula.Derivative;
import dev.backprop.formula.Formula;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop diff}: the closed-form derivative, as a formula you can evaluate. */
@Command(name = "diff",
        description = {"The closed-form derivative of a formula, as a formula.",
                "Print the closed-form derivative of a formula with respect to one input. The",
                "result is itself a formula (the steps it needs, then the derivative), so it can be",
                "fed back to grad, trace or check."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    /** Only --help: picocli would take a formula starting with -h or -V for those options (-h1*w). */
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;

    @Parameters(paramLabel = "FORMULA", description = "The formula, @FILE to read it from a file, or - for standard input.")
    String formula;
    @Option(names = "--wrt", paramLabel = "NAME", required = true, description = "The input to differentiate with respect to.")
    String wrt;
    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(formula);
        if (!f.inputs().contains(wrt)) {
            throw new BadInput("--wrt names '" + wrt + "', which is not an input of the formula (inputs: "
                    + String.join(", ", f.inputs()) + ")");
        }
        Derivative d = f.derivative(wrt);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wrt", wrt);
            m.put("name", d.name());
            m.put("formula", d.text());
            out.println(Json.of(m));
        } else {
            out.println(d.text());
        }
        return 0;
    }
}
