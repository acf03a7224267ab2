package dev.backprop.cli;

import dev.backprop.book.ComputationGraph;
import dev.backprop.formula.Formula;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop graph}: the computational graph at a point, drawn as SVG, PNG or DOT. */
@Command(name = "graph",
        description = {"A formula's computational graph as a picture (SVG, PNG or DOT).",
                "Every input, constant and operation is a box with its name, operation, value and",
                "adjoint ∂output/∂node; every edge carries its local derivative. Where a value has",
                "several uses, its box shows each use's contribution and their sum: the chain rule.",
                "Laid out left to right by the Eclipse Layout Kernel; DOT is laid out by Graphviz."})
final class GraphCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    /** Only --help: picocli would take a formula starting with -h or -V for those options (-h1*w). */
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;

    @Parameters(paramLabel = "FORMULA", description = "The formula, @FILE to read it from a file, or - for standard input; "
            + "it may start with -o (\"-omega*x\"), since -o's value is never glued to it.")
    String formula;
    @Option(names = "--at", paramLabel = "NAME=VALUE[,NAME=VALUE...]", required = true,
            description = "Values of the inputs; may repeat.")
    List<String> at;
    @Option(names = "--wrt", paramLabel = "NAME[,NAME...]",
            description = "Highlight the paths from these inputs to the output (default: draw everything alike).")
    List<String> wrt;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE.svg|FILE.png|FILE.dot",
            description = "The picture to write; its extension chooses the format.")
    Path output;
    @Option(names = "--digits", defaultValue = "3", converter = Digits.class,
            description = "Decimals in the picture (0 to 17; default: ${DEFAULT-VALUE}).")
    int digits;
    @Option(names = "--json", description = "Print the nodes (name, op, value, adjoint), edges (local derivative) "
            + "and layout coordinates; doubles round-trip exactly.")
    boolean json;

    @Override
    public Integer call() {
        if (output == null && !json) {
            throw new BadInput("say where to draw the graph: -o FILE.svg, FILE.png or FILE.dot (or --json for its numbers)");
        }
        GraphFiles.Format format = checkedFormat("-o", output);
        Formula f = Inputs.formula(formula);
        Map<String, Double> point = Inputs.point(f, at);
        List<Integer> ids = null;
        if (wrt != null && !wrt.isEmpty()) {
            ids = new ArrayList<>();
            for (String name : Inputs.wrt(f, wrt)) {
                ids.add(f.program().inputNode(name));
            }
        }
        ComputationGraph g = ComputationGraph.of(f, point);
        draw(spec.commandLine().getOut(), g, ids, output, format, digits, json);
        return 0;
    }

    /**
     * Writes {@code g} to {@code output} (null: no file) in {@code format} and, if {@code json},
     * prints its numbers and layout; else one line saying what was written. Shared with the
     * commands' {@code --graph} options.
     */
    static void draw(PrintWriter out, ComputationGraph g, List<Integer> wrt, Path output, GraphFiles.Format format,
                     int digits, boolean json) {
        GraphPicture pic = null;
        if (json || format != GraphFiles.Format.DOT) {
            pic = GraphPicture.of(g, wrt, digits);
        }
        if (output != null) {
            write(g, pic, wrt, output, format, digits);
        }
        if (json) {
            out.println(Json.of(GraphFiles.json(pic)));
        } else {
            out.println("wrote " + output + ": " + Text.count(g.nodes().size(), "node") + ", "
                    + Text.count(g.edges().size(), "edge") + "; " + g.outputName() + " = " + Text.num(g.nodes().get(g.output()).value(), digits));
        }
    }

    /** Writes the picture of {@code g} (laid out already as {@code pic}, unless DOT) to {@code output}. */
    private static void write(ComputationGraph g, GraphPicture pic, List<Integer> wrt, Path output,
                              GraphFiles.Format format, int digits) {
        if (format == GraphFiles.Format.DOT) {
            OutputPaths.write(output, GraphFiles.dot(GraphPicture.diagram(g, wrt, digits)));
        } else if (format == GraphFiles.Format.SVG) {
            OutputPaths.write(output, GraphFiles.svg(pic));
        } else {
            byte[] png = GraphFiles.png(pic);
            OutputPaths.write(output, o -> o.write(png));
        }
    }

    /**
     * What {@code --graph FILE} of toy and trace does: the picture of {@code formula} at
     * {@code point} written to {@code file} (checked beforehand by {@link #checkedFormat}), nothing
     * printed, so the command's own output stays as it was.
     */
    static void drawTo(Path file, Formula formula, Map<String, Double> point, int digits) {
        GraphFiles.Format format = GraphFiles.format(file.toString());
        ComputationGraph g = ComputationGraph.of(formula, point);
        write(g, format == GraphFiles.Format.DOT ? null : GraphPicture.of(g, null, digits), null, file, format, digits);
    }

    /** The graph's format from an option's file, checked before any work. */
    static GraphFiles.Format checkedFormat(String option, Path file) {
        if (file == null) {
            return null;
        }
        GraphFiles.Format f;
        try {
            f = GraphFiles.format(file.toString());
        } catch (BadInput e) {
            throw new BadInput(option + " " + file + ": the picture's format comes from its extension: .svg, .png or .dot");
        }
        new OutputPaths().output(option, file).check();
        return f;
    }
}
