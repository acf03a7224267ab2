package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.io.JsonReader;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop request (SIGTERM, what Ctrl-C's SIGINT also triggers) during {@code fit --spark}, in a
 * process of its own: Spark's own shutdown hooks stop the context and the executors, yet the fit
 * must end as it does on one machine, keeping the parameters reached, writing --out, and
 * reporting the whole data's loss at those parameters (checked here by summing it in plain Java).
 */
class SparkStopTest {
    @TempDir
    Path dir;

    @Test
    void aStoppedFitKeepsItsParameters() throws Exception {
        Path csv = dir.resolve("line.csv");
        int n = 20_000;
        double[] x = new double[n];
        double[] y = new double[n];
        StringBuilder sb = new StringBuilder("x,y\n");
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < n; i++) {
            x[i] = 2 * r.nextDouble() - 1;
            y[i] = 2 * x[i] + 1 + 0.1 * r.nextGaussian();
            sb.append(x[i]).append(',').append(y[i]).append('\n');
        }
        Files.writeString(csv, sb);
        Path out = dir.resolve("fit.json");

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.backprop.cli.Main",
                "fit", "(a*x+b-y)^2", "--data", csv.toString(), "--init", "a=0,b=0", "--optimizer", "gd",
                "--lr", "1e-6", "--steps", "100000000", "--spark", "local[1]", "--out", out.toString()));
        File err = dir.resolve("err.txt").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(err).start();
        try {
            waitUntilFitting(p);
            // Some steps on Spark, and one in flight when the request comes (on a loaded machine
            // maybe none done yet: then the starting parameters are the ones kept).
            Thread.sleep(3000);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the process ends").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String stderr = Files.readString(err.toPath());
        assertThat(p.exitValue()).as(stderr).isEqualTo(143);
        assertThat(stderr).contains("backprop: interrupted after ").contains("; kept the parameters reached")
                .doesNotContain("Exception").doesNotContain("\tat ");

        @SuppressWarnings("unchecked")
        Map<String, Object> saved = (Map<String, Object>) JsonReader.parse(Files.readString(out), out.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) saved.get("params");
        double a = ((Number) params.get("a")).doubleValue();
        double b = ((Number) params.get("b")).doubleValue();
        assertThat(((Number) saved.get("steps")).intValue()).isNotNegative();
        assertThat(a).isBetween(0.0, 3.0);
        double loss = 0;
        double abs = 0;
        for (int i = 0; i < n; i++) {
            double d = a * x[i] + b - y[i];
            loss += d * d;
            abs += Math.abs(d * d);
        }
        assertThat(((Number) saved.get("loss")).doubleValue()).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-12 * abs));
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("(interrupted)");
    }

    /** Until the process's main thread is inside the training loop (Spark has started and read the data). */
    private static void waitUntilFitting(Process p) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("the fit is still running").isTrue();
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String threads = new String(dump.getInputStream().readAllBytes());
            dump.waitFor();
            if (threads.contains("dev.backprop.fit.Loop.run")) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the fit did not start within 120 s");
    }
}
