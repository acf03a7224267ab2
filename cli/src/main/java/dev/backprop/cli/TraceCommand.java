package dev.backprop.cli;

import dev.backprop.book.Language;
import dev.backprop.book.Trace;
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

/** {@code backprop trace}: the forward and backward passes of any formula, as the book prints them. */
@Command(name = "trace",
        description = {"A formula's forward and backward passes, step by step.",
                "The forward pass (each step's name, operation and value), the backward pass",
                "(∂output/∂step, in reverse) and the gradient, then the chain rule spelled out:",
                "each adjoint as the sum over the steps that read the value of (their adjoint ×",
                "the local derivative), with the numbers. A statement the output does not use is",
                "marked (unused)."})
final class TraceCommand implements Callable<Integer> {
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
    @Option(names = "--digits", defaultValue = "3", converter = Digits.class,
            description = "Decimals in tables (0 to 17; default: ${DEFAULT-VALUE}).")
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
        GraphCommand.checkedFormat("--graph", graph);
        Formula f = Inputs.formula(formula);
        Trace t = Trace.of(f, Inputs.point(f, at));
        if (graph != null) {
            GraphCommand.drawTo(graph, f, Inputs.point(f, at), digits);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.of(json(t, f)));
        } else {
            out.println(t.outputName() + " = " + Text.num(t.value(), digits));
            out.println();
            Text.passes(out, t, digits, f.unused(), lang);
            out.println();
            out.println(lang.text("trace.gradient"));
            Text.gradient(out, t.outputName(), t.gradient(), digits);
            out.println();
            Text.lines(out, lang.text("trace.chainRule"));
            chainRule(t, f, digits, lang).forEach(out::println);
        }
        Text.warnNonFinite(spec.commandLine().getErr(), t.nonFinite());
        return 0;
    }

    /** What --json prints: shared with {@link JsonOutput}, so the explorer answers the same text. */
    static Map<String, Object> json(Trace t, Formula f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", t.value());
        m.put("forward", forward(t));
        m.put("backward", backward(t, f));
        m.put("gradient", t.gradient());
        m.put("unused", f.unused());
        return m;
    }

    static Map<String, Double> values(List<Trace.Row> rows) {
        Map<String, Double> m = new LinkedHashMap<>();
        rows.forEach(r -> m.put(r.name(), r.number()));
        return m;
    }

    /** Longest local-derivative formula shown; a longer one is written ∂step/∂value, its number beside it. */
    static final int MAX_FORMULA = 24;

    private static List<Map<String, Object>> forward(Trace t) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Trace.Row r : t.forward()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("op", r.expression());
            m.put("value", r.number());
            rows.add(m);
        }
        return rows;
    }

    /** Every step but the output, in reverse, then every input: its adjoint and the chain rule's terms. */
    private static List<Map<String, Object>> backward(Trace t, Formula f) {
        LocalFormulas formulas = new LocalFormulas(t, f);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : adjoints(t).entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.getKey());
            m.put("adjoint", e.getValue());
            List<Map<String, Object>> terms = new ArrayList<>();
            for (Trace.Term term : t.terms().getOrDefault(e.getKey(), List.of())) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("from", term.from());
                x.put("local", term.local());
                x.put("upstream", term.upstream());
                String text = formulas.of(term.from(), e.getKey());
                if (text != null) {
                    x.put("local_formula", text);
                }
                terms.add(x);
            }
            m.put("terms", terms);
            rows.add(m);
        }
        return rows;
    }

    /** The adjoints the chain rule is spelled out for: the backward pass's steps, then the inputs. */
    private static Map<String, Double> adjoints(Trace t) {
        Map<String, Double> m = new LinkedHashMap<>();
        t.backward().forEach(r -> m.put(r.name(), r.number()));
        m.putAll(t.gradient());
        return m;
    }

    /** One line per adjoint: {@code ∂l/∂y = ∂l/∂t1·cos(y) + ∂l/∂t2·2*y = 1·0.955 + 1·0.600 = 1.555}. */
    static List<String> chainRule(Trace t, Formula f, int digits, Language lang) {
        LocalFormulas formulas = new LocalFormulas(t, f);
        String o = t.outputName();
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : adjoints(t).entrySet()) {
            String name = e.getKey();
            List<Trace.Term> terms = t.terms().getOrDefault(name, List.of());
            List<String> symbols = new ArrayList<>();
            List<String> numbers = new ArrayList<>();
            for (Trace.Term term : terms) {
                String text = formulas.of(term.from(), name);
                String local = text == null ? "∂" + term.from() + "/∂" + name
                        : text.contains(" ") || text.startsWith("-") ? "(" + text + ")" : text;
                // ∂l/∂l = 1: the output's own factor is left out of the symbols, kept in the numbers
                symbols.add(term.from().equals(o) ? local : "∂" + o + "/∂" + term.from() + "·" + local);
                numbers.add(Text.num(term.upstream(), digits) + "·" + paren(Text.num(term.local(), digits)));
            }
            String value = Text.num(e.getValue(), digits);
            if (terms.isEmpty()) {
                rows.add(new String[] {"∂" + o + "/∂" + name, lang.text("trace.unread", o)});
            } else {
                rows.add(new String[] {"∂" + o + "/∂" + name, "= " + String.join(" + ", symbols)
                        + " = " + String.join(" + ", numbers) + " = " + value});
            }
        }
        int w = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        rows.forEach(r -> lines.add("  " + r[0] + " ".repeat(w - r[0].length()) + " " + r[1]));
        return lines;
    }

    private static String paren(String number) {
        return number.startsWith("-") ? "(" + number + ")" : number;
    }

    /**
     * The local derivatives' formulas, from each step's own expression differentiated with the
     * values it reads as inputs; null where that fails or the text is too long to read at a glance.
     */
    static final class LocalFormulas {
        private final Map<String, String> expressions = new LinkedHashMap<>();
        private final Formula formula;
        private final Map<String, String> cache = new java.util.HashMap<>();

        LocalFormulas(Trace t, Formula formula) {
            this.formula = formula;
            t.forward().forEach(r -> expressions.put(r.name(), r.expression()));
        }

        String of(String step, String value) {
            return cache.computeIfAbsent(step + "\0" + value, k -> compute(step, value));
        }

        private String compute(String step, String value) {
            String expression = expressions.get(step);
            if (expression == null) {
                return null;
            }
            try {
                Formula local = Formula.compile(expression, formula.functions());
                if (!local.inputs().contains(value)) {
                    return null;
                }
                String text = local.derivative(value).text();
                if (text.contains("\n")) {
                    return null;
                }
                String rhs = text.substring(text.indexOf('=') + 1).strip();
                return rhs.length() <= MAX_FORMULA ? rhs : null;
            } catch (RuntimeException e) {
                return null; // the numbers alone still spell the rule out
            }
        }
    }
}
