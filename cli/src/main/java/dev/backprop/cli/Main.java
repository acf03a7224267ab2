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
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code backprop} command. Exit codes: 0 success, 1 a check failed, 2 bad input, 3 an
 * internal error (a bug: please report it with the output of {@code --debug}).
 */
@Command(name = "backprop", mixinStandardHelpOptions = true, version = "backprop 0.1.0",
        description = "Backpropagation (reverse-mode automatic differentiation), step by step.",
        subcommands = {ToyCommand.class, GradCommand.class, TraceCommand.class, CheckCommand.class,
                DiffCommand.class, DeepCommand.class, InitCommand.class, BenchCommand.class, FitCommand.class,
                TrainCommand.class, PredictCommand.class, HessianCommand.class, JvpCommand.class, HvpCommand.class,
                JacobianCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Add --debug to any command to see a stack trace on errors.",
                "Exit codes: 0 success, 1 a check failed, 2 bad input."})
public final class Main implements Runnable {
    static final int CHECK_FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
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
        CommandLine cl = new CommandLine(new Main());
        cl.setExpandAtFiles(false); // FORMULA may be @path: ours to read, not picocli's argument file
        // Every number option (--x, --lr, --rtol, …) in the one syntax of CSV cells and --at:
        // nan and inf are numbers, 0x1p3, 1.5f and 1e400 are not.
        CommandLine.ITypeConverter<Double> number = text -> {
            try {
                return Numbers.parse(text);
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
            err.println("backprop: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            if (showTrace) {
                ex.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
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
