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

/** {@code backprop jvp}: the directional derivative by forward mode, one sweep with a tangent beside every value. */
@Command(name = "jvp",
        description = {"A formula's derivative along a direction, by forward mode.",
                "The derivative of a formula along a direction (a Jacobian-vector product), by forward mode:",
                "one sweep from the inputs to the output, carrying a tangent beside every value."})
final class JvpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    PointArgs args;

    @Option(names = "--dir", paramLabel = "NAME=VALUE[,NAME=VALUE...]", required = true,
            description = "The direction: a tangent per input; inputs not named have tangent 0.")
    List<String> dir;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(args.formula);
        Map<String, Double> point = Inputs.point(f, args.at);
        double[] direction = direction(f, dir);
        Evaluation e = f.program().evaluate(point);
        double d = e.jvp(direction);
        Text.warnNonFinite(spec.commandLine().getErr(), e.firstNonFinite());
        PrintWriter out = spec.commandLine().getOut();
        if (args.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", e.value());
            m.put("jvp", d);
            out.println(Json.of(m));
        } else {
            out.println(f.outputName() + " = " + e.value());
            out.println("d" + f.outputName() + " along the direction = " + d);
        }
        return 0;
    }

    /** {@code --dir} as one number per input, in input order; names must be inputs. */
    static double[] direction(Formula f, List<String> dir) {
        Map<String, Double> given = new LinkedHashMap<>();
        for (String group : dir) {
            Inputs.putOnce(given, Inputs.assignments("--dir", "NAME=VALUE", group), "--dir");
        }
        Inputs.requireInputs(f, given.keySet(), "--dir");
        List<String> inputs = f.inputs();
        double[] v = new double[inputs.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = given.getOrDefault(inputs.get(k), 0.0);
        }
        return v;
    }
}
