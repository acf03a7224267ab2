package dev.backprop.cli;

import dev.backprop.book.ToyModel;
import dev.backprop.book.Language;
import dev.backprop.book.Trace;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop toy}: notebook 7.1, end to end. */
@Command(name = "toy", mixinStandardHelpOptions = true,
        description = {"Notebook 7.1: the toy model's derivatives, step by step.",
                "The toy model f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))),",
                "loss ℓ = (f − y)², differentiated by backpropagation step by step, with each parameter's",
                "derivative beside the closed form and the notebook's finite difference (step 1e-5)."})
final class ToyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--x", defaultValue = "2.3", description = "Input x (default: ${DEFAULT-VALUE}).")
    double x;
    @Option(names = "--y", defaultValue = "2.0", description = "Target y (default: ${DEFAULT-VALUE}).")
    double y;
    @Option(names = "--beta0", defaultValue = "1.0", description = "β0 (default: ${DEFAULT-VALUE}).")
    double beta0;
    @Option(names = "--beta1", defaultValue = "2.0", description = "β1 (default: ${DEFAULT-VALUE}).")
    double beta1;
    @Option(names = "--beta2", defaultValue = "-3.0", description = "β2 (default: ${DEFAULT-VALUE}).")
    double beta2;
    @Option(names = "--beta3", defaultValue = "0.4", description = "β3 (default: ${DEFAULT-VALUE}).")
    double beta3;
    @Option(names = "--omega0", defaultValue = "0.1", description = "ω0 (default: ${DEFAULT-VALUE}).")
    double omega0;
    @Option(names = "--omega1", defaultValue = "-0.4", description = "ω1 (default: ${DEFAULT-VALUE}).")
    double omega1;
    @Option(names = "--omega2", defaultValue = "2.0", description = "ω2 (default: ${DEFAULT-VALUE}).")
    double omega2;
    @Option(names = "--omega3", defaultValue = "3.0", description = "ω3 (default: ${DEFAULT-VALUE}).")
    double omega3;
    @Option(names = "--digits", defaultValue = "3", converter = Digits.class,
            description = "Decimals in tables (0 to 17; default: ${DEFAULT-VALUE}, as the book).")
    int digits;
    @Option(names = "--lang", defaultValue = "en", converter = Lang.class, completionCandidates = Lang.Codes.class,
            paramLabel = "LANG", description = "Language of the headings and captions: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE}); numbers and formulas are the same in all. --json is unaffected.")
    Language lang;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;
    @Option(names = "--graph", paramLabel = "FILE.svg|FILE.png|FILE.dot",
            description = "Also draw the computational graph, as 'backprop graph' does.")
    java.nio.file.Path graph;

    @Override
    public Integer call() {
        Map<String, Double> point = new LinkedHashMap<>();
        point.put("x", x);
        point.put("y", y);
        point.put("beta0", beta0);
        point.put("beta1", beta1);
        point.put("beta2", beta2);
        point.put("beta3", beta3);
        point.put("omega0", omega0);
        point.put("omega1", omega1);
        point.put("omega2", omega2);
        point.put("omega3", omega3);
        GraphCommand.checkedFormat("--graph", graph);
        ToyModel.Report report = ToyModel.run(point);
        if (graph != null) {
            GraphCommand.drawTo(graph, ToyModel.formula(), point, digits);
        }
        Trace t = report.trace();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("point", point);
            m.put("loss", t.value());
            m.put("forward", TraceCommand.values(t.forward()));
            m.put("backward", TraceCommand.values(t.backward()));
            m.put("parameters", JsonOutput.toyParameters(report.parameters()));
            out.println(Json.of(m));
        } else {
            out.println(lang.text("toy.title", "f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))), ℓ = (f − y)²"));
            List<String> at = new ArrayList<>();
            point.forEach((k, v) -> at.add(k + " = " + v));
            out.println(lang.text("toy.at", String.join(", ", at)));
            out.println();
            out.println(lang.text("toy.loss", Text.num(t.value(), digits)));
            out.println();
            Text.passes(out, t, digits, lang);
            out.println();
            out.println(lang.text("toy.step3", "∂l/∂βk = ∂l/∂fk, ∂l/∂ωk = hk·∂l/∂fk; h0 = x"));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"", lang.text("toy.column.backprop"), lang.text("toy.column.closedForm"),
                    lang.text("toy.column.finiteDifference")});
            for (ToyModel.Parameter p : report.parameters()) {
                rows.add(new String[] {"∂l/∂" + p.name(), Text.num(p.backprop(), digits),
                        Text.num(p.closedForm(), digits), Text.num(p.finiteDifference(), digits)});
            }
            Text.table(out, "  ", rows);
            forwardDifferenceNotes(out, point, report, lang);
        }
        Text.warnNonFinite(spec.commandLine().getErr(), t.nonFinite());
        return 0;
    }

    /** Above this relative error the notebook's forward difference is worth a word: its usual error is about 1e-5. */
    static final double NOTE_ABOVE = 1e-3;

    /** Says where the forward difference is visibly off, and why (the table alone would leave it unexplained). */
    private static void forwardDifferenceNotes(PrintWriter out, Map<String, Double> point, ToyModel.Report report,
            Language lang) {
        dev.backprop.graph.Program p = dev.backprop.formula.Formula.compile(dev.backprop.book.ToyModel.PROGRAM).program();
        List<String> inputs = p.inputs();
        double[] x = new double[inputs.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = point.get(inputs.get(k));
        }
        for (ToyModel.Parameter q : report.parameters()) {
            double off = Math.abs(q.finiteDifference() - q.backprop()) / Math.abs(q.backprop());
            if (off > NOTE_ABOVE) {
                dev.backprop.check.Diagnosis d = dev.backprop.check.Diagnosis.of(dev.backprop.check.FiniteDifference.of(p), x,
                        inputs.indexOf(q.name()), q.backprop(), q.closedForm(), q.finiteDifference(),
                        dev.backprop.check.FiniteDifference.NOTEBOOK_STEP, false, new dev.backprop.check.AllClose(1e-5, 1e-8));
                // the diagnosis is the check command's own English sentence; only the frame around it is translated
                out.println("  " + lang.text("toy.forwardDifferenceOff", "∂l/∂" + q.name(), Text.num(100 * off, 1), d.message()));
            }
        }
    }
}
