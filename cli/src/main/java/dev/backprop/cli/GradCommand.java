package dev.backprop.cli;

import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Gradient;
import dev.backprop.graph.NonFinite;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop grad}: a formula's value and partial derivatives at a point. */
@Command(name = "grad", mixinStandardHelpOptions = true,
        description = "The value of a formula and its partial derivatives at a point, by backpropagation.")
final class GradCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FORMULA", description = "The formula, @FILE to read it from a file, or - for standard input.")
    String formula;
    @Option(names = "--at", paramLabel = "NAME=VALUE[,NAME=VALUE...]", required = true,
            description = "Values of the inputs; may repeat.")
    List<String> at;
    @Option(names = "--wrt", paramLabel = "NAME[,NAME...]", description = "Differentiate with respect to these inputs (default: all).")
    List<String> wrt;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(formula);
        Map<String, Double> point = Inputs.point(f, at);
        List<String> names = Inputs.wrt(f, wrt);
        Evaluation e = f.program().evaluate(point);
        Gradient g = e.gradient();
        Map<String, Double> grad = new LinkedHashMap<>();
        names.forEach(n -> grad.put(n, g.of(n)));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", e.value());
            m.put("gradient", grad);
            out.println(Json.of(m));
        } else {
            String o = f.outputName();
            out.println(o + " = " + e.value());
            grad.forEach((k, v) -> out.println("∂" + o + "/∂" + k + " = " + v));
        }
        Optional<NonFinite> bad = e.firstNonFinite();
        Text.warnNonFinite(spec.commandLine().getErr(), bad.isPresent() ? bad : g.firstNonFinite());
        return 0;
    }
}
