package dev.backprop.cli;

import dev.backprop.batch.BatchProgram;
import dev.backprop.batch.BatchResult;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Evaluation;
import dev.backprop.graph.Program;
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

/**
 * {@code backprop hessian}: value, gradient and Hessian at a point or, with {@code --data}, of the
 * sum over rows. The Hessian is the reverse sweep recorded as a program and swept again (reverse
 * over reverse); over data each row of it is that recording run by the batch engine.
 */
@Command(name = "hessian",
        description = {"A formula's value, gradient and Hessian, at a point or over data.",
                "The value, gradient and Hessian (all second partial derivatives) of a formula at a point.",
                "With --data: of the sum over the rows of a data set, with respect to the --at inputs."})
final class HessianCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    PointArgs args;

    @Option(names = "--wrt", paramLabel = "NAME[,NAME...]", description = "Second derivatives with respect to these inputs (default: all).")
    List<String> wrt;
    @Option(names = "--data", paramLabel = "FILE.csv|NAME=FILE.npy[,NAME=FILE.npy...]",
            description = "Data, as for grad --data: the Hessian of the sum over rows.")
    String data;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(args.formula);
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Double> gradient = new LinkedHashMap<>();
        Map<String, Map<String, Double>> hessian = new LinkedHashMap<>();
        String prefix = "";
        if (data == null) {
            Map<String, Double> point = Inputs.point(f, args.at);
            List<String> names = Inputs.wrt(f, wrt);
            Evaluation e = f.program().evaluate(point);
            Map<String, Double> g = e.gradient().inputs();
            double[][] h = e.hessian();
            List<String> inputs = f.inputs();
            for (String r : names) {
                gradient.put(r, g.get(r));
                Map<String, Double> row = new LinkedHashMap<>();
                for (String c : names) {
                    row.put(c, h[inputs.indexOf(r)][inputs.indexOf(c)]);
                }
                hessian.put(r, row);
            }
            m.put("value", e.value());
            Text.warnNonFinite(spec.commandLine().getErr(), e.firstNonFinite());
        } else {
            DataSet ds = DataSet.read(data, false);
            GradCommand.Bound bound = GradCommand.bind(f, ds, args.at);
            List<String> names = GradCommand.wrtScalars(f, bound.columns(), wrt);
            BatchResult r = BatchProgram.compile(f.program(), bound.columns()).gradient(ds.columns, bound.given());
            for (String n : names) {
                gradient.put(n, r.gradient().get(n));
                Program row = f.program().derivative(n);
                BatchResult hr = BatchProgram.compile(row, bound.columns()).gradient(ds.columns, bound.given());
                Map<String, Double> cells = new LinkedHashMap<>();
                for (String c : names) {
                    cells.put(c, hr.gradient().get(c));
                }
                hessian.put(n, cells);
            }
            m.put("value", r.sum());
            m.put("n", r.n());
            prefix = "Σ";
        }
        m.put("gradient", gradient);
        m.put("hessian", hessian);
        PrintWriter out = spec.commandLine().getOut();
        if (args.json) {
            out.println(Json.of(m));
            return 0;
        }
        String o = prefix + f.outputName();
        out.println(o + " = " + m.get("value") + (data == null ? "" : "   (sum over " + m.get("n") + " rows)"));
        gradient.forEach((k, v) -> out.println("∂" + o + "/∂" + k + " = " + v));
        hessian.forEach((r, row) -> row.forEach((c, v) ->
                out.println("∂²" + o + "/∂" + r + (r.equals(c) ? "²" : "∂" + c) + " = " + v)));
        return 0;
    }
}
