/**
 * The {@code backprop} command line: a thin picocli shell that parses arguments, calls the public
 * core API and formats what it returns. No computation lives here.
 */
package dev.backprop.cli;
