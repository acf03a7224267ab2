package dev.backprop.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code backprop help [COMMAND | formulas]}: picocli's help command plus one topic that is not a
 * command, the formula language.
 */
@Command(name = "help", helpCommand = true,
        description = {"Help on a command, or 'help formulas' for the formula language.",
                "With no TOPIC, the list of commands."})
final class HelpCommand implements Callable<Integer> {
    static final String FORMULAS = "formulas";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "TOPIC", description = "A command, or 'formulas'.")
    String topic;
    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public Integer call() {
        CommandLine parent = spec.parent().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        if (topic == null) {
            parent.usage(out);
        } else if (topic.equals(FORMULAS)) {
            out.print(FormulaHelp.text());
        } else if (parent.getSubcommands().containsKey(topic)) {
            parent.getSubcommands().get(topic).usage(out);
        } else {
            List<String> topics = new ArrayList<>(parent.getSubcommands().keySet());
            topics.add(FORMULAS);
            throw new BadInput("no help on " + dev.backprop.io.Limits.quote(topic)
                    + Suggest.nearest(topic, topics).map(s -> "; did you mean '" + s + "'?").orElse("")
                    + " (topics: " + String.join(", ", topics) + ")");
        }
        out.flush();
        return 0;
    }
}
