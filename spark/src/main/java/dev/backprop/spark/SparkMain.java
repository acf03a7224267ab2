package dev.backprop.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The main class of {@code backprop-spark.jar} for {@code spark-submit}: the backprop command line,
 * with {@code --spark} defaulting to the master spark-submit was given, so the same commands and
 * options run on a cluster ({@code spark-submit --class dev.backprop.spark.SparkMain
 * backprop-spark.jar fit FORMULA --data hdfs://… --init …}).
 */
public final class SparkMain {
    private SparkMain() {
    }

    /** Runs the command line; exits with its status. */
    public static void main(String[] args) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        String master = System.getProperty("spark.master");
        boolean given = a.stream().anyMatch(s -> s.equals("--spark") || s.startsWith("--spark="));
        boolean sparkCommand = !a.isEmpty() && List.of("grad", "fit", "train").contains(a.get(0));
        if (sparkCommand && !given && master != null && a.stream().anyMatch(s -> s.equals("--data") || s.startsWith("--data="))) {
            a.add(1, "--spark=" + master);
        }
        dev.backprop.cli.Main.main(a.toArray(new String[0]));
    }
}
