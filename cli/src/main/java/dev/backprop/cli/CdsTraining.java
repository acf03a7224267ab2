package dev.backprop.cli;

import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * The workload the {@code ./backprop} launcher runs once per build, under
 * {@code -XX:DumpLoadedClassList}, to list the classes a command loads; a class-data-sharing
 * archive of them ({@code -Xshare:dump}) is then mapped at every start, the classes already
 * parsed and verified, instead of being loaded from the jar and the JDK's modules one by one.
 * It is a static archive because JDK 17 stores picocli's Java 5 class files only in those.
 * Output is discarded.
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
                {"grad", "x", "--at", "x=1", "--dgits", "3"},
                {"deep", "--no-check"},
                {"init", "--n", "10"},
                {"fit", "--demo", "--steps", "2"},
        };
        for (String[] c : commands) {
            Main.run(c, none, none);
        }
    }
}
