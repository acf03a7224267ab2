package dev.backprop.cli;

import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import dev.backprop.io.Limits;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop jacobian}: the derivatives of several statements at once, by forward or reverse mode. */
@Command(name = "jacobian",
        description = {"The Jacobian of several statements, by forward or reverse mode.",
                "The Jacobian of several statements of a program (rows) with respect to its inputs (columns).",
                "Reverse mode takes one sweep per output, forward mode one per input; auto picks the fewer."})
final class JacobianCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    PointArgs args;

    @Option(names = "--outputs", paramLabel = "NAME[,NAME...]", required = true, split = ",",
            description = "Statements of the program to differentiate.")
    List<String> outputs;
    @Option(names = "--mode", paramLabel = "auto|forward|reverse", defaultValue = "auto",
            description = "How to sweep (default: ${DEFAULT-VALUE}).")
    String mode;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(args.formula);
        Evaluation.Mode m = switch (mode.toLowerCase()) {
            case "auto" -> Evaluation.Mode.AUTO;
            case "forward" -> Evaluation.Mode.FORWARD;
            case "reverse" -> Evaluation.Mode.REVERSE;
            default -> throw new BadInput("--mode must be auto, forward or reverse, got " + Limits.quote(mode));
        };
        List<String> names = new ArrayList<>();
        for (String o : outputs) {
            String name = o.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (f.statementNode(name) < 0) {
                throw new BadInput("--outputs names " + Limits.quote(name) + ", which is not a statement of the program");
            }
            if (names.contains(name)) {
                throw new BadInput("--outputs names " + Limits.quote(name) + " twice");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new BadInput("--outputs names no statement");
        }
        int[] nodes = names.stream().mapToInt(f::statementNode).toArray();
        Evaluation e = f.program().evaluate(Inputs.point(f, args.at));
        double[][] j = e.jacobian(nodes, m);
        Text.warnNonFinite(spec.commandLine().getErr(), e.firstNonFinite());
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Map<String, Double>> jac = new LinkedHashMap<>();
        List<String> inputs = f.inputs();
        for (int r = 0; r < nodes.length; r++) {
            values.put(names.get(r), e.value(nodes[r]));
            Map<String, Double> row = new LinkedHashMap<>();
            for (int c = 0; c < inputs.size(); c++) {
                row.put(inputs.get(c), j[r][c]);
            }
            jac.put(names.get(r), row);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (args.json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("values", values);
            o.put("jacobian", jac);
            out.println(Json.of(o));
        } else {
            values.forEach((k, v) -> out.println(k + " = " + v));
            jac.forEach((r, row) -> row.forEach((c, v) -> out.println("∂" + r + "/∂" + c + " = " + v)));
        }
        return 0;
    }
}
