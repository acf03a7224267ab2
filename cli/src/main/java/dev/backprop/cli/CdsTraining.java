package dev.backprop.cli;

import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * The workload the {@code ./backprop} launcher runs once, under
 * {@code -XX:ArchiveClassesAtExit}, to record a class-data-sharing archive for later starts: the
 * classes a one-shot command loads (ours, and the JDK's for reflection, lambdas and string
 * concatenation) are then mapped from the archive, already parsed and verified, instead of being
 * loaded from the jar. Picocli's classes cannot be archived (Java 5 class files), so the archive
 * holds the rest. Output is discarded.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /** Runs the common one-shot commands once each, and every command's help. */
    public static void main(String[] args) {
        PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
        String[][] commands = {
                {"--help"},
                {"grad", "x*sin(y)", "--at", "x=1,y=2"},
                {"grad", "x*sin(y)", "--at", "x=1,y=2", "--json"},
                {"trace", "l = (sin(x)*w - y)^2", "--at", "x=1,w=2,y=0.5"},
                {"check", "x*sin(y)", "--at", "x=1,y=2"},
                {"diff", "x*sin(y)", "--wrt", "y"},
                {"toy"},
                {"help", "formulas"},
                {"grad", "x +", "--at", "x=1"},
        };
        for (String[] c : commands) {
            Main.run(c, none, none);
        }
    }
}
