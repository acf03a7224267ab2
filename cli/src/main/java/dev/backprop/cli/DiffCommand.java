package dev.backprop.cli;

import dev.backprop.formula.Derivative;
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

/** {@code backprop diff}: the closed-form derivative, as a formula you can evaluate. */
@Command(name = "diff",
        description = {"The closed-form derivative of a formula, as a formula.",
                "Print the closed-form derivative of a formula with respect to one input (--wrt x), or a",
                "second derivative (--wrt x,x or the mixed --wrt x,y). The result is itself a formula (the",
                "steps it needs, then the derivative), so it can be fed back to grad, trace or check."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    /** Only --help: picocli would take a formula starting with -h or -V for those options (-h1*w). */
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;

    @Parameters(paramLabel = "FORMULA", description = "The formula, @FILE to read it from a file, or - for standard input.")
    String formula;
    @Option(names = "--wrt", paramLabel = "NAME[,NAME]", required = true, split = ",",
            description = "The input to differentiate with respect to; two names for a second derivative.")
    List<String> wrt;
    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Override
    public Integer call() {
        Formula f = Inputs.formula(formula);
        List<String> names = wrt.stream().map(String::trim).filter(n -> !n.isEmpty()).toList();
        if (names.isEmpty() || names.size() > 2) {
            throw new BadInput("--wrt takes one input (first derivative) or two (second derivative), got " + names.size());
        }
        for (String n : names) {
            if (!f.inputs().contains(n)) {
                throw new BadInput("--wrt names '" + n + "', which is not an input of the formula (inputs: "
                        + String.join(", ", f.inputs()) + ")");
            }
        }
        Derivative d = f.derivative(names.get(0));
        String name = d.name();
        String text = d.text();
        if (names.size() == 2) {
            // The first derivative is a formula; the second is its derivative, by the same rules.
            Formula first = Formula.compile(d.text());
            if (first.inputs().contains(names.get(1))) {
                Derivative d2 = first.derivative(names.get(1));
                name = d2.name();
                text = d2.text();
            } else {
                name = "d" + d.name() + "_d" + names.get(1);
                text = name + " = 0";
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wrt", names.size() == 1 ? names.get(0) : names);
            m.put("name", name);
            m.put("formula", text);
            out.println(Json.of(m));
        } else {
            out.println(text);
        }
        return 0;
    }
}
