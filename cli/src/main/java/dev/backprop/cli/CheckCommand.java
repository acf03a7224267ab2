package dev.backprop.cli;

import dev.backprop.check.AllClose;
import dev.backprop.check.Diagnosis;
import dev.backprop.check.FiniteDifference;
import dev.backprop.check.GradientCheck;
import dev.backprop.check.HessianCheck;
import dev.backprop.formula.Formula;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop check}: backprop against central differences and the closed form. */
@Command(name = "check",
        description = {"Check backprop against finite differences and the closed form.",
                "Check backpropagation against central finite differences and against the",
                "closed-form derivative, with numpy's allclose rule |a − b| ≤ atol + rtol·|b|.",
                "Where they disagree it names the odd one out, the likely cause (a non-finite value,",
                "a jump or kink within the step, a step too large for the curvature or too small for",
                "the rounding) and a step that agrees. --order 2 checks the Hessian too.",
                "Exit code 1 when any derivative disagrees."})
final class CheckCommand implements Callable<Integer> {
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
    @Option(names = "--wrt", paramLabel = "NAME[,NAME...]", description = "Check these inputs (default: all).")
    List<String> wrt;
    @Option(names = "--rtol", defaultValue = "1e-5", description = "Relative tolerance (default: ${DEFAULT-VALUE}).")
    double rtol;
    @Option(names = "--atol", defaultValue = "1e-8", description = "Absolute tolerance (default: ${DEFAULT-VALUE}).")
    double atol;
    @Option(names = "--step", description = "Finite-difference step (default: about 6e-6·max(1, |value|) per input).")
    Double step;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;
    @Option(names = "--order", defaultValue = "1", paramLabel = "1|2",
            description = "1: the gradient (default); 2: also the Hessian, against central differences of the gradient.")
    int order;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(formula);
        Map<String, Double> point = Inputs.point(f, at);
        List<String> names = Inputs.wrt(f, wrt);
        if (step != null && !(step > 0 && Double.isFinite(step))) {
            throw new BadInput("--step must be a positive number, got " + step);
        }
        if (order != 1 && order != 2) {
            throw new BadInput("--order must be 1 or 2, got " + order);
        }
        GradientCheck check = GradientCheck.run(f, point, names, new AllClose(rtol, atol),
                step == null ? Double.NaN : step);
        HessianCheck second = order == 2
                ? HessianCheck.run(f.program(), point, names, new AllClose(rtol, atol), step == null ? Double.NaN : step)
                : null;
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Diagnosis> diagnoses = diagnoses(f, point, check, new AllClose(rtol, atol));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("passed", check.passed());
            Map<String, Object> entries = new LinkedHashMap<>();
            for (GradientCheck.Entry e : check.entries()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("backprop", e.backprop());
                x.put("finite_difference", e.finiteDifference());
                x.put("closed_form", e.closedForm());
                x.put("step", e.step());
                x.put("finite_difference_error", e.finiteDifferenceError());
                x.put("agrees", e.agrees());
                if (!e.reason().isEmpty()) {
                    x.put("reason", e.reason());
                }
                Diagnosis d = diagnoses.get(e.input());
                if (d != null) {
                    x.put("diagnosis", d.message());
                    x.put("odd_one_out", d.oddOneOut());
                    if (!Double.isNaN(d.suggestedStep())) {
                        x.put("suggested_step", d.suggestedStep());
                    }
                }
                entries.put(e.input(), x);
            }
            m.put("inputs", entries);
            if (second != null) {
                m.put("passed", check.passed() && second.passed());
                Map<String, Object> rows = new LinkedHashMap<>();
                for (HessianCheck.Entry e : second.entries()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> row = (Map<String, Object>) rows.computeIfAbsent(e.row(), k -> new LinkedHashMap<String, Object>());
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("backprop", e.backprop());
                    x.put("finite_difference", e.finiteDifference());
                    x.put("agrees", e.agrees());
                    row.put(e.col(), x);
                }
                m.put("hessian", rows);
            }
            out.println(Json.of(m));
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"", "backprop", "central difference", "closed form", ""});
            String o = f.outputName();
            for (GradientCheck.Entry e : check.entries()) {
                rows.add(new String[] {"∂" + o + "/∂" + e.input(), Double.toString(e.backprop()),
                        Double.toString(e.finiteDifference()), Double.toString(e.closedForm()),
                        e.agrees() ? (e.reason().isEmpty() ? "ok" : "ok (" + e.reason() + ")") : "DISAGREE (" + e.reason() + ")"});
            }
            Text.table(out, "", rows);
            diagnoses.forEach((name, d) -> out.println("∂" + o + "/∂" + name + ": " + d.message() + "."));
            if (second != null) {
                List<String[]> h = new ArrayList<>();
                h.add(new String[] {"", "backprop", "central difference of the gradient", ""});
                for (HessianCheck.Entry e : second.entries()) {
                    h.add(new String[] {"∂²" + o + "/∂" + e.row() + "∂" + e.col(), Double.toString(e.backprop()),
                            Double.toString(e.finiteDifference()), e.agrees() ? "ok" : "DISAGREE"});
                }
                out.println();
                Text.table(out, "", h);
            }
            out.println((check.passed() && (second == null || second.passed()) ? "All derivatives agree" : "Some derivatives disagree")
                    + " (rtol " + Text.shortest(rtol) + ", atol " + Text.shortest(atol) + ").");
        }
        if (second != null && !second.passed()) {
            spec.commandLine().getErr().println("backprop: check failed: second derivatives disagree with differences of the gradient for "
                    + String.join(", ", second.entries().stream().filter(e -> !e.agrees())
                            .map(e -> e.row() + "," + e.col()).toList()));
            return Main.CHECK_FAILED;
        }
        if (!check.passed()) {
            spec.commandLine().getErr().println("backprop: check failed: backprop disagrees with "
                    + "finite differences or the closed form for "
                    + String.join(", ", check.entries().stream().filter(e -> !e.agrees())
                            .map(e -> e.input() + " (" + e.reason() + ")").toList()));
            return Main.CHECK_FAILED;
        }
        return 0;
    }

    /** For every input that disagrees: which method is the odd one out, why, and a step that works. */
    private static Map<String, Diagnosis> diagnoses(Formula f, Map<String, Double> point, GradientCheck check, AllClose rule) {
        Map<String, Diagnosis> m = new LinkedHashMap<>();
        List<String> inputs = f.program().inputs();
        double[] x = new double[inputs.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = point.get(inputs.get(k));
        }
        for (GradientCheck.Entry e : check.entries()) {
            if (!e.agrees()) {
                m.put(e.input(), Diagnosis.of(FiniteDifference.of(f.program()), x, inputs.indexOf(e.input()), e.backprop(),
                        e.closedForm(), e.finiteDifference(), e.step(), true, rule));
            }
        }
        return m;
    }
}
