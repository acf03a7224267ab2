package dev.backprop.cli;

import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
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

/** {@code backprop hvp}: the Hessian times a vector, without forming the Hessian. */
@Command(name = "hvp",
        description = {"A formula's Hessian times a vector, with its value and gradient.",
                "The Hessian of a formula times a direction (a Hessian-vector product), with the value and",
                "gradient: the reverse sweep recorded as a program, then swept once more."})
final class HvpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    /** Only --help: picocli would take a formula starting with -h or -V for those options (-h1*w). */
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;

    @Parameters(paramLabel = "FORMULA", description = "The formula, @FILE to read it from a file, or - for standard input.")
    String formula;
    @Option(names = "--at", paramLabel = "NAME=VALUE[,NAME=VALUE...]", description = "Values of the inputs; may repeat.")
    List<String> at;
    @Option(names = "--dir", paramLabel = "NAME=VALUE[,NAME=VALUE...]", required = true,
            description = "The vector: a number per input; inputs not named have 0.")
    List<String> dir;
    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(formula);
        Map<String, Double> point = Inputs.point(f, at);
        double[] v = JvpCommand.direction(f, dir);
        Evaluation e = f.program().evaluate(point);
        double[] hv = e.hvp(v);
        Map<String, Double> byName = new LinkedHashMap<>();
        List<String> inputs = f.inputs();
        for (int k = 0; k < hv.length; k++) {
            byName.put(inputs.get(k), hv[k]);
        }
        Text.warnNonFinite(spec.commandLine().getErr(), e.firstNonFinite());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", e.value());
            m.put("gradient", e.gradient().inputs());
            m.put("hvp", byName);
            out.println(Json.of(m));
        } else {
            String o = f.outputName();
            out.println(o + " = " + e.value());
            e.gradient().inputs().forEach((k, g) -> out.println("∂" + o + "/∂" + k + " = " + g));
            byName.forEach((k, h) -> out.println("(H·v)_" + k + " = " + h));
        }
        return 0;
    }
}
