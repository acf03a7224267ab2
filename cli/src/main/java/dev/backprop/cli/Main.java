package dev.backprop.cli;

import dev.backprop.formula.FormulaException;
import dev.backprop.io.DataException;
import dev.backprop.io.Limits;
import dev.backprop.io.Numbers;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code backprop} command. Exit codes: 0 success, 1 a check failed, 2 bad input, 3 an
 * internal error (a bug: please report it with the output of {@code --debug}).
 *
 * <p>Picocli builds a command's model by reflection, and building all eleven took about half
 * of a one-shot {@code grad}'s run; so a command line that starts with a command gets that
 * command's model alone, and only help, a mistyped command or none at all get the whole tree.
 */
@Command(name = "backprop", mixinStandardHelpOptions = true, version = "backprop 0.1.0",
        description = "Backpropagation (reverse-mode automatic differentiation), step by step.",
        footer = {"", "Run 'backprop help formulas' for the formula language and its functions.",
                "Add --debug to any command to see a stack trace on errors.",
                "Exit codes: 0 success, 1 a check failed, 2 bad input."})
public final class Main implements Runnable {
    static final int CHECK_FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int INTERNAL = 3;

    /** The commands, in the order help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("toy", ToyCommand::new);
        COMMANDS.put("grad", GradCommand::new);
        COMMANDS.put("trace", TraceCommand::new);
        COMMANDS.put("graph", GraphCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("diff", DiffCommand::new);
        COMMANDS.put("deep", DeepCommand::new);
        COMMANDS.put("init", InitCommand::new);
        COMMANDS.put("bench", BenchCommand::new);
        COMMANDS.put("fit", FitCommand::new);
        COMMANDS.put("train", TrainCommand::new);
        COMMANDS.put("predict", PredictCommand::new);
        COMMANDS.put("hessian", HessianCommand::new);
        COMMANDS.put("jvp", JvpCommand::new);
        COMMANDS.put("hvp", HvpCommand::new);
        COMMANDS.put("jacobian", JacobianCommand::new);
        COMMANDS.put("serve", ServeCommand::new);
        COMMANDS.put("help", HelpCommand::new);
    }

    /** The label of the positional parameter that takes a formula. */
    static final String FORMULA = "FORMULA";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (one of: "
                + String.join(", ", COMMANDS.keySet()) + ")");
    }

    public static void main(String[] args) {
        // Explicit UTF-8: names like ∂ℓ/∂ω0 must not turn into '?' under a C or POSIX locale.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        System.exit(run(Arguments.utf8(args), out, err));
    }

    /** Runs the command line and returns the exit code; output goes to {@code out} and {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        List<String> rest = new ArrayList<>();
        boolean debug = false;
        for (String a : args) {
            if (a.equals("--debug")) {
                debug = true;
            } else {
                rest.add(a);
            }
        }
        boolean showTrace = debug;
        String named = commandName(rest);
        if (rest.size() == 2 && rest.get(1).equals("-h") && named != null && rest.get(0).equals(named)) {
            // A formula command has no -h ("-h" may be a formula: GradCommand.help); alone, it asks for help.
            rest.set(1, "--help");
        }
        CommandLine cl;
        if (named != null && !named.equals("help") && rest.get(0).equals(named)) {
            // The command alone, named as picocli would name it under backprop: its model is all
            // that is built.
            cl = command(named);
            cl.setCommandName("backprop " + named);
            rest.remove(0);
            rest = formulaBehindDashes(cl, rest);
        } else {
            cl = new CommandLine(new Main());
            for (String name : COMMANDS.keySet()) {
                cl.addSubcommand(name, command(name));
            }
        }
        cl.setExpandAtFiles(false); // FORMULA may be @path: ours to read, not picocli's argument file
        // Every number option (--x, --lr, --rtol, …) in the one syntax of --at: a CSV cell's
        // (nan and inf are numbers, 0x1p3, 1.5f and 1e400 are not), and pi and e.
        CommandLine.ITypeConverter<Double> number = text -> {
            try {
                return Numbers.parseArgument(text);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' " + e.getMessage());
            }
        };
        cl.registerConverter(Double.class, number);
        cl.registerConverter(double.class, number);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            err.println("backprop: " + message(ex, a) + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            if (showTrace) {
                ex.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionStrategy(parsed -> {
            CommandLine.ParseResult last = parsed;
            while (last.hasSubcommand()) {
                last = last.subcommand();
            }
            String formula = formulaArgument(last.commandSpec().commandLine());
            if (formula != null && looksLikeOption(formula)) {
                throw new CommandLine.ParameterException(last.commandSpec().commandLine(),
                        unknownOption(last.commandSpec().commandLine(), formula));
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            int code = report(ex, err);
            if (showTrace || code == INTERNAL) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        int code;
        try {
            code = cl.execute(rest.toArray(new String[0]));
        } catch (OutOfMemoryError e) {
            // What could not be refused by its size beforehand (a network too wide, data too many).
            cl = null;
            err.println("backprop: out of memory: the work needs more than the Java heap's "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB; make it smaller, or "
                    + Limits.moreMemory(2 * Runtime.getRuntime().maxMemory()));
            if (showTrace) {
                e.printStackTrace(err);
            }
            code = BAD_INPUT;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The command called {@code name}, set up for the arguments users give it. */
    private static CommandLine command(String name) {
        CommandLine c = new CommandLine(COMMANDS.get(name).get());
        // A formula may start with '-' ("-log(p)"): an argument picocli does not know as an
        // option is then the formula. A mistyped option that lands there is caught in run.
        if (isFormulaCommand(c)) {
            c.setUnmatchedOptionsArePositionalParams(true);
            // Else "-h1*w" would be -h (help) clustered with "1*w".
            c.setPosixClusteredShortOptionsAllowed(false);
        }
        return c;
    }

    /**
     * The command the arguments name: the first that is not an option of {@code backprop} itself,
     * if it is a command; else null (help, a typo, or no command: every command is needed).
     */
    private static String commandName(List<String> args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return COMMANDS.containsKey(a) ? a : null;
            }
            if (a.equals("--")) {
                return null;
            }
        }
        return null;
    }

    /**
     * {@code args} with a formula that starts like a short option and its attached value
     * ({@code -omega*x}, after graph's {@code -o}) moved behind {@code --}, where picocli reads it as
     * the formula. It cannot be the option: attached values are off ({@link #command}), so
     * {@code -ofile.svg} is never {@code -o file.svg} (only {@code -o=file.svg} is, as the usage
     * line shows); left in place, picocli would refuse it as an
     * option without its value. Only for a command whose one positional parameter is the formula,
     * when no {@code --} is given already, and not where the token is an option's value.
     */
    static List<String> formulaBehindDashes(CommandLine c, List<String> args) {
        CommandLine.Model.CommandSpec spec = c.getCommandSpec();
        if (!isFormulaCommand(c) || spec.positionalParameters().size() != 1 || args.contains("--")) {
            return args;
        }
        int found = -1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean optionWithValue = a.indexOf('=') > 0 && spec.findOption(a.substring(0, a.indexOf('='))) != null;
            if (a.length() > 2 && a.startsWith("-") && !a.startsWith("--") && spec.findOption(a) == null && !optionWithValue
                    && spec.optionsMap().containsKey(a.substring(0, 2))) {
                CommandLine.Model.OptionSpec before = i == 0 ? null : spec.findOption(args.get(i - 1));
                if (before != null && before.arity().max() > 0) {
                    continue;
                }
                if (found >= 0) {
                    return args;
                }
                found = i;
            }
        }
        if (found < 0) {
            return args;
        }
        List<String> moved = new ArrayList<>(args);
        String formula = moved.remove(found);
        moved.add("--");
        moved.add(formula);
        return moved;
    }

    /** The value given to a command's FORMULA parameter, or null. */
    private static String formulaArgument(CommandLine c) {
        for (CommandLine.Model.PositionalParamSpec p : c.getCommandSpec().positionalParameters()) {
            if (p.paramLabel().equals(FORMULA) && p.getValue() instanceof String s) {
                return s;
            }
        }
        return null;
    }

    /**
     * {@code --name} or {@code --name=value}: what a mistyped option looks like. A formula never
     * starts with two minus signs and a letter; one minus ({@code -x}, {@code -log(p)}) is a formula.
     */
    static boolean looksLikeOption(String arg) {
        return arg.matches("--\\p{L}[\\p{L}\\p{N}_-]*(=.*)?");
    }

    /** A parse error in words: a mistyped command or option is named, with the nearest real one. */
    private static String message(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        // A mistyped option is the mistake to name, whatever picocli tripped over first (a
        // required --at "missing" because it was typed --att).
        List<String> names = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
            names.addAll(List.of(o.names()));
        }
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (looksLikeOption(a) && !names.contains(a.contains("=") ? a.substring(0, a.indexOf('=')) : a)) {
                return unknownOption(c, a);
            }
        }
        if (ex instanceof CommandLine.MissingParameterException && ex.getMessage().contains("(" + FORMULA + ") but found")) {
            // picocli took an argument starting with '-' for an option: say how to make it the formula.
            String found = ex.getMessage().substring(ex.getMessage().indexOf("but found") + "but found ".length());
            return "FORMULA " + found + " starts like an option; put it last, after '--' (… -- \"-omega*x\"), or in parentheses";
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            // A mistyped option before the formula takes the formula's place, and the formula is
            // left over: the option is the mistake to name.
            String formula = formulaArgument(c);
            if (formula != null && looksLikeOption(formula)) {
                return unknownOption(c, formula);
            }
            List<String> unmatched = u.getUnmatched();
            for (String a : unmatched) {
                if (a.startsWith("-") && a.length() > 1 && (looksLikeOption(a) || !isFormulaCommand(c))) {
                    return unknownOption(c, a);
                }
            }
            if (formula != null && !unmatched.isEmpty() && unmatched.get(0).length() > 2
                    && c.getCommandSpec().optionsMap().containsKey(unmatched.get(0).substring(0, 2))) {
                String o = unmatched.get(0).substring(0, 2);
                return "FORMULA is " + Limits.quote(formula) + ", and " + Limits.quote(unmatched.get(0)) + " is not " + o
                        + " with a value: write " + o + " and its value apart (" + o + " " + unmatched.get(0).substring(2) + ")";
            }
            if (formula != null && !unmatched.isEmpty()) {
                return "FORMULA is one argument, " + Limits.quote(formula) + ", and " + Limits.quote(unmatched.get(0))
                        + " is another; quote a formula that has spaces, as in \"x - y\"";
            }
            if (c.getCommandSpec().userObject() instanceof Main && !unmatched.isEmpty()) {
                String typed = unmatched.get(0);
                return "unknown command " + Limits.quote(typed)
                        + Suggest.nearest(typed, COMMANDS.keySet()).map(s -> "; did you mean '" + s + "'?").orElse("");
            }
        }
        return ex.getMessage();
    }

    private static boolean isFormulaCommand(CommandLine c) {
        return c.getCommandSpec().positionalParameters().stream().anyMatch(p -> p.paramLabel().equals(FORMULA));
    }

    private static String unknownOption(CommandLine c, String arg) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        List<String> options = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
            options.addAll(List.of(o.names()));
        }
        if (options.contains(name)) {
            return "option " + Limits.quote(name) + " comes after '--', which ends the options; put the options before '--'";
        }
        return "unknown option " + Limits.quote(name)
                + Suggest.nearest(name, options).map(s -> "; did you mean " + s + "?").orElse("");
    }

    private static int report(Exception ex, PrintWriter err) {
        if (ex instanceof FormulaException fe) {
            err.println("backprop: " + Inputs.origin() + fe.getMessage());
            err.println("  " + fe.sourceLine());
            err.println("  " + fe.caret());
            return BAD_INPUT;
        }
        if (ex instanceof BadInput || ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException
                || ex instanceof DataException) {
            err.println("backprop: " + ex.getMessage());
            return BAD_INPUT;
        }
        err.println("backprop: internal error: " + ex);
        return INTERNAL;
    }
}
