package dev.backprop.cli;

import picocli.CommandLine.Option;

/**
 * {@code --help} for the commands that take a FORMULA, in place of picocli's standard -h, --help,
 * -V and --version: picocli takes an argument that starts with a short option's letter for that
 * option, and a formula may start with one ({@code -h1*w}). {@code -h} alone still shows the help
 * ({@link Main}).
 */
final class HelpOption {
    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (so does -h alone).")
    boolean help;
}
