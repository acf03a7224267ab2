package dev.backprop.cli;

import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
    @Mixin
    PointArgs args;

    @Option(names = "--dir", paramLabel = "NAME=VALUE[,NAME=VALUE...]", required = true,
            description = "The vector: a number per input; inputs not named have 0.")
    List<String> dir;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(args.formula);
        Map<String, Double> point = Inputs.point(f, args.at);
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
        if (args.json) {
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
