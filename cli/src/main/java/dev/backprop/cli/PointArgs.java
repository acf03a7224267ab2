package dev.backprop.cli;

import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What the commands that differentiate a formula at a point share (hessian, jvp, hvp, jacobian):
 * the formula, its point, --json, and only --help (picocli would take a formula starting with -h or
 * -V for those options: -h1*w).
 */
final class PointArgs {
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;
    @Parameters(paramLabel = "FORMULA", description = "The formula, @FILE to read it from a file, or - for standard input.")
    String formula;
    @Option(names = "--at", paramLabel = "NAME=VALUE[,NAME=VALUE...]", description = "Values of the inputs; may repeat.")
    List<String> at;
    @Option(names = "--json", description = "Machine-readable output; doubles round-trip exactly.")
    boolean json;
}
