package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.io.JsonReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backprop fit, fit --demo and train as a user runs them. */
class FitCommandTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static final String SINE = "(a*sin(b*x) - y)^2";

    @TempDir
    Path dir;

    /** y = 1.5·sin(2x) at 60 points, no noise. */
    Path sineCsv() throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 60; i++) {
            double x = -3 + 6.0 * i / 59;
            sb.append(x).append(',').append(1.5 * Math.sin(2 * x)).append('\n');
        }
        Path p = dir.resolve("sine.csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) {
        return (Map<String, Object>) JsonReader.parse(text.strip(), "test");
    }

    @SuppressWarnings("unchecked")
    static double param(Map<String, Object> m, String name) {
        return (Double) ((Map<String, Object>) m.get("params")).get(name);
    }

    static void assertBadInput(Result r, String message) {
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void fitsASine() throws IOException {
        Result r = run("fit", SINE, "--data", sineCsv().toString(), "--init", "a=1,b=1.8", "--steps", "3000", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> m = json(r.out());
        assertThat(param(m, "a")).isCloseTo(1.5, within(1e-3));
        assertThat(param(m, "b")).isCloseTo(2.0, within(1e-3));
        assertThat((Double) m.get("steps")).isEqualTo(3000.0);
        assertThat((Double) m.get("loss")).isLessThan(1e-4);
    }

    @Test
    void textOutputAndBothPlots() throws IOException {
        Path plot = dir.resolve("loss.png");
        Result r = run("fit", SINE, "--data", sineCsv().toString(), "--init", "a=1,b=1.8", "--optimizer", "sgd",
                "--lr", "0.002", "--epochs", "20", "--batch", "8", "--plot", plot.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("parameter", "initial", "fitted", "mini-batches of 8");
        assertThat(r.out()).contains("data and fitted curve: " + dir.resolve("loss-fit.png"));
        assertThat(plot).exists();
        assertThat(dir.resolve("loss-fit.png")).exists();
    }

    @Test
    void initFromFileRoundTrips() throws IOException {
        Path data = sineCsv();
        Path params = dir.resolve("params.json");
        Result first = run("fit", SINE, "--data", data.toString(), "--init", "a=1,b=1.8", "--steps", "50",
                "--out", params.toString(), "--json");
        assertThat(first.code()).isZero();
        assertThat(json(Files.readString(params))).isEqualTo(json(first.out()).entrySet().stream()
                .filter(e -> !e.getKey().equals("initial_loss") && !e.getKey().equals("stop"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        Result second = run("fit", SINE, "--data", data.toString(), "--init", "@" + params, "--steps", "1", "--json");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(json(second.out()).get("initial_loss")).isEqualTo(json(first.out()).get("loss"));
    }

    @Test
    void divergenceStopsKeepsFiniteParametersAndExitsOne() throws IOException {
        Path params = dir.resolve("p.json");
        Result r = run("fit", SINE, "--data", sineCsv().toString(), "--init", "a=1,b=1.8", "--optimizer", "gd",
                "--lr", "10", "--out", params.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).containsPattern("stopped being finite at step \\d+");
        Map<String, Object> m = json(Files.readString(params));
        assertThat(param(m, "a")).isFinite();
        assertThat(param(m, "b")).isFinite();
        assertThat((Double) m.get("loss")).isFinite();
    }

    @Test
    void badCsv() throws IOException {
        Path p = dir.resolve("bad.csv");
        Files.writeString(p, "x,y\n1,2\n3,abc\n");
        assertBadInput(run("fit", SINE, "--data", p.toString(), "--init", "a=1,b=1"), "bad.csv");
        assertBadInput(run("fit", SINE, "--data", dir.resolve("none.csv").toString(), "--init", "a=1,b=1"), "no such file");
    }

    @Test
    void unknownParameterMissingColumnAndBadNumbers() throws IOException {
        String data = sineCsv().toString();
        assertBadInput(run("fit", SINE, "--data", data, "--init", "a=1,b=1,q=2"), "unknown parameter 'q'");
        assertBadInput(run("fit", "(a*sin(b*z) - y)^2", "--data", data, "--init", "a=1,b=1"), "input 'z' is neither a column");
        assertBadInput(run("fit", SINE, "--data", data, "--init", "a=1,b=x1"), "'x1' is not a number");
        assertBadInput(run("fit", SINE, "--data", data, "--init", "a=1,b=1", "--lr", "fast"), "--lr");
        assertBadInput(run("fit", SINE, "--data", data, "--init", "a=1,b=1", "--optimizer", "lbfgs"), "--optimizer");
        assertBadInput(run("fit", SINE, "--data", data, "--init", "@" + dir.resolve("missing.json")), "no such file");
        assertBadInput(run("train", "--data", data, "--inputs", "x", "--targets", "w"), "no column 'w'");
    }

    @Test
    void demoLowersTheLossTenfold() {
        Result r = run("fit", "--demo", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> m = json(r.out());
        assertThat((Double) m.get("loss")).isLessThan((Double) m.get("initial_loss") / 10);
        Result text = run("fit", "--demo");
        assertThat(text.out()).contains("true", "initial", "fitted", "omega3", "not identifiable");
    }

    @Test
    void trainLowersTheLoss() throws IOException {
        Path out = dir.resolve("net.json");
        Result r = run("train", "--data", sineCsv().toString(), "--inputs", "x", "--targets", "y", "--layers", "2",
                "--width", "8", "--steps", "300", "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> m = json(r.out());
        assertThat((Double) m.get("loss")).isLessThan((Double) m.get("initial_loss") / 5);
        assertThat(json(Files.readString(out)).get("params")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKeys("omega0", "beta0", "omega2", "beta2");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void notFiniteAtTheStart() throws IOException {
        Path p = dir.resolve("nan.csv");
        Files.writeString(p, "x,y\n1,2\nnan,3\n");
        Result r = run("fit", "(a*x - y)^2", "--data", p.toString(), "--init", "a=1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("not finite at the starting parameters");
    }

    /**
     * The shutdown hook in a real process: SIGTERM runs the same hooks as Ctrl-C's SIGINT (which a
     * test cannot rely on, since a background build may have inherited SIGINT as ignored), and
     * the run must stop, print, and write --out with the parameters reached.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs({org.junit.jupiter.api.condition.OS.LINUX, org.junit.jupiter.api.condition.OS.MAC})
    void aSignalKeepsTheLastParameters() throws Exception {
        Path params = dir.resolve("sig.json");
        Path stdout = dir.resolve("stdout.txt");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "fit", SINE, "--data", sineCsv().toString(), "--init", "a=1,b=1.8", "--steps", "2000000000",
                "--out", params.toString())
                .redirectOutput(stdout.toFile()).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            // Long enough for the JVM to start and register its hook, even on a busy machine.
            Thread.sleep(8000);
            assertThat(p.isAlive()).as(() -> read(dir.resolve("stderr.txt")) + read(stdout)).isTrue();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).isEqualTo(143);
        assertThat(Files.readString(stdout)).contains("(interrupted)");
        Map<String, Object> m = json(Files.readString(params));
        assertThat(param(m, "a")).isCloseTo(1.5, within(0.01));
        assertThat((Double) m.get("steps")).isPositive();
    }
}
