package dev.backprop.cli;

import static dev.backprop.cli.CliTest.assertBad;
import static dev.backprop.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.cli.CliTest.Result;
import dev.backprop.io.Npy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input of every kind: one line on stderr naming the file, exit code 2, in bounded time. */
class BadInputCliTest {

    static Result quickly(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(args));
    }

    @Test
    void malformedNpyNamesTheFile(@TempDir Path dir) throws IOException {
        byte[] b = Npy.encode(new double[] {1, 2, 3});
        String text = new String(b, StandardCharsets.ISO_8859_1).replace("'shape': (3,)", "'shape': (-3,)");
        Path neg = dir.resolve("neg.npy");
        Files.write(neg, text.getBytes(StandardCharsets.ISO_8859_1));
        assertBad(run("grad", "x*a", "--data", "x=" + neg, "--at", "a=1"), neg + ": shape (-3,) is not a list of sizes");
        Path old = dir.resolve("old.npy");
        Files.write(old, new String(b, StandardCharsets.ISO_8859_1).replace("'shape': (3,), ", "'shape': (3L,),")
                .getBytes(StandardCharsets.ISO_8859_1));
        Result r = run("grad", "x*a", "--data", "x=" + old, "--at", "a=1", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"value\": 6.0");
    }

    @Test
    void deeplyNestedInitFileIsOneLine(@TempDir Path dir) throws IOException {
        Path deep = dir.resolve("deep.json");
        Files.writeString(deep, "[".repeat(1_000_000));
        assertBad(quickly("fit", "(a*x - y)^2", "--data", sine(dir).toString(), "--init", "@" + deep),
                "--init @" + deep + ": not valid JSON at character 1000001: unexpected end");
        Files.writeString(deep, "[".repeat(1_000_000) + "]".repeat(1_000_000));
        assertBad(quickly("fit", "(a*x - y)^2", "--data", sine(dir).toString(), "--init", "@" + deep),
                deep + ": expected a JSON object of parameter values");
    }

    static Path sine(Path dir) throws IOException {
        Path p = dir.resolve("sine.csv");
        Files.writeString(p, "x,y\n0,0\n1,0.84\n2,0.91\n");
        return p;
    }

    @Test
    void devZeroIsRefusedAtOnce(@TempDir Path dir) throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertBad(quickly("grad", "x*a", "--data", "/dev/zero", "--at", "a=1"), "/dev/zero:1: not a text file");
        assertBad(quickly("grad", "@/dev/zero", "--at", "a=1"), "cannot read the formula: /dev/zero: not a text file");
        assertBad(quickly("fit", "(a*x - y)^2", "--data", sine(dir).toString(), "--init", "@/dev/zero"),
                "--init @/dev/zero: not a text file");
        assertBad(quickly("grad", "x*a", "--data", "x=/dev/zero", "--at", "a=1"), "/dev/zero: not a NumPy .npy file");
    }

    /** deep --width 30000 --no-check filled the heap for ~27 s before failing; init the same. Refused up front. */
    @Test
    void deepAndInitRefuseANetworkTooLargeForTheHeap() {
        int width = (int) Math.sqrt(Runtime.getRuntime().maxMemory() / 8.0) + 1000;
        for (String[] args : List.of(new String[] {"deep", "--width", Integer.toString(width), "--no-check"},
                new String[] {"deep", "--width", Integer.toString(width)},
                new String[] {"init", "--width", Integer.toString(width)})) {
            Result r = quickly(args);
            assertBad(r, "--layers 5 --width " + width + ": a network of");
            assertThat(r.err()).as(String.join(" ", args)).contains("more than the Java heap's")
                    .contains("BACKPROP_JAVA_OPTS=-Xmx").hasLineCount(1);
        }
        // An --n too large for the heap is refused the same way, and sizes that fit still run.
        Result n = quickly("init", "--n", "2000000000");
        assertBad(n, "--layers 5 --width 8: a network of");
        assertThat(n.err()).contains("with 2,000,000,000 inputs");
        assertThat(quickly("deep", "--width", "40", "--no-check", "--json").code()).isZero();
        assertThat(quickly("init", "--width", "40", "--json").code()).isZero();
    }

    /** 30000 units a layer: 9·10⁸ parameters; allocating them ran out of memory after a minute. */
    @Test
    void aNetworkTooLargeForTheHeapIsRefusedBeforeTraining(@TempDir Path dir) throws IOException {
        int width = (int) Math.sqrt(Runtime.getRuntime().maxMemory() / 8.0) + 1000;
        Result r = quickly("train", "--data", sine(dir).toString(), "--inputs", "x", "--targets", "y",
                "--width", Integer.toString(width));
        assertBad(r, "--layers 2 --width " + width + ": a network of");
        assertThat(r.err()).contains("more than the Java heap's").contains("BACKPROP_JAVA_OPTS=-Xmx").hasLineCount(1);
    }

    /** 10⁵ --at names took 37 s (a list searched once per name); now linear. */
    @Test
    void manyAtNamesAreLinear() {
        int n = 100_000;
        StringBuilder formula = new StringBuilder();
        List<String> args = new ArrayList<>(List.of("grad", "", "--json"));
        StringBuilder group = new StringBuilder();
        for (int i = 0; i < n; i++) {
            formula.append(i == 0 ? "" : " + ").append('x').append(i);
            group.append(group.length() == 0 ? "" : ",").append('x').append(i).append('=').append(i);
            if (group.length() > 50_000 || i == n - 1) {
                args.add("--at");
                args.add(group.toString());
                group.setLength(0);
            }
        }
        args.set(1, formula.toString());
        Result r = quickly(args.toArray(new String[0]));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\"value\": " + (double) n * (n - 1) / 2);
        // A wrong name among them: the message lists a few inputs, not all 10⁵.
        args.set(args.size() - 1, args.get(args.size() - 1) + ",nope=1");
        Result bad = quickly(args.toArray(new String[0]));
        assertBad(bad, "--at names 'nope', which is not an input of the formula (inputs: x0, x1,");
        assertThat(bad.err()).contains("(100000 in all)").hasSizeLessThan(300);
    }

    /** A 50 MB formula with an error wrote 100 MB to stderr; now a window around the error. */
    @Test
    void aHugeFormulaErrorIsShort() {
        String f = "x + ".repeat(2_000_000) + "$";
        Result r = quickly("grad", f, "--at", "x=1");
        assertBad(r, "1:8000001: unexpected character '$'");
        assertThat(r.err()).hasSizeLessThan(300).hasLineCount(3);
    }

    @Test
    void numbersOnTheCommandLineFollowTheCsvSyntax(@TempDir Path dir) throws IOException {
        for (String bad : List.of("1.5f", "0x1p3", "1_0", "2d")) {
            assertBad(run("grad", "x*y", "--at", "x=1,y=" + bad), "--at 'y': '" + bad + "' is not a number (numbers are written as in a CSV cell");
        }
        assertBad(run("grad", "x*y", "--at", "x=1,y=1e400"), "--at 'y': '1e400' is too large for a double");
        Result r = run("grad", "x*y", "--at", "x=2,y=nan");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("value = NaN");
        r = run("grad", "x*y", "--at", "x=2,y=-inf");
        assertThat(r.out()).startsWith("value = -Infinity");
        assertBad(run("fit", "(a*x - y)^2", "--data", sine(dir).toString(), "--init", "a=0x1p3"), "--init 'a': '0x1p3' is not a number");
        assertBad(run("fit", "(a*x - y)^2", "--data", sine(dir).toString(), "--init", "a=inf"), "the starting value must be finite");
    }

    @Test
    void emptyDataAndEmptyNames(@TempDir Path dir) throws IOException {
        Path header = dir.resolve("header.csv");
        Files.writeString(header, "x,y\n");
        assertBad(run("grad", "x*a", "--data", header.toString(), "--at", "a=1", "--json"), header + ": no rows of data (only a header)");
        assertBad(run("grad", "x*a", "--data", "", "--at", "a=1"), "--data names no file");
        assertBad(run("grad", "@", "--at", "a=1"), "FORMULA '@' names no file; write @FILE");
        assertBad(run("fit", "(a*x - y)^2", "--data", sine(dir).toString(), "--init", "@"), "--init '@' names no file");
        assertBad(run("grad", "x*y", "--at", "x=1,y=2", "--wrt", ""), "--wrt names no input");
        assertBad(run("grad", "x*y", "--at", "x=1,y=2", "--wrt", " , "), "--wrt names no input");
        assertBad(run("grad", "x", "--at", "x=1", "--data", dir.toString()),
                dir + " is a folder; folders of CSV or Parquet files are read with --spark (e.g. --spark 'local[2]')");
    }

    /**
     * Parquet (named so, or starting with Parquet's magic bytes "PAR1") and folders are what
     * --spark reads; without it the CSV reader called them text that is not UTF-8 and a folder that
     * is not a file. Commands without --spark say which commands read them.
     */
    @Test
    void parquetAndFoldersPointToSpark(@TempDir Path dir) throws IOException {
        Path parquet = dir.resolve("x.parquet");
        Files.write(parquet, "PAR1\u0015\u0004\u0000\u0000\u0000\u0000\u0000\u0008PAR1".getBytes(StandardCharsets.ISO_8859_1));
        Path unnamed = dir.resolve("rows.bin");
        Files.copy(parquet, unnamed);
        String spark = ": Parquet files are read with --spark (e.g. --spark 'local[2]')";
        for (Path p : List.of(parquet, unnamed)) {
            Result grad = run("grad", "a*x", "--data", p.toString(), "--at", "a=1");
            assertBad(grad, p + spark);
            assertThat(grad.err()).hasLineCount(1);
            assertBad(run("fit", "(a*x - y)^2", "--data", p.toString(), "--init", "a=1"), p + spark);
            assertBad(run("train", "--data", p.toString(), "--inputs", "x", "--targets", "y"), p + spark);
        }
        assertBad(run("train", "--data", dir.toString(), "--inputs", "x", "--targets", "y"),
                dir + " is a folder; folders of CSV or Parquet files are read with --spark");
        assertBad(run("hessian", "a*x", "--data", parquet.toString(), "--at", "a=1"),
                parquet + ": Parquet files are read by grad, fit and train with --spark (e.g. --spark 'local[2]'), not here");
        Path absent = dir.resolve("absent.parquet");
        assertBad(run("grad", "a*x", "--data", absent.toString(), "--at", "a=1"), absent + ": no such file");
        Path csv = dir.resolve("PAR1.csv");
        Files.writeString(csv, "PAR1,y\n1,2\n");
        Result header = run("grad", "a*PAR1", "--data", csv.toString(), "--at", "a=1", "--json");
        assertThat(header.code()).as(header.err()).isZero();
    }

    @Test
    void plotNeedsANameBeforeItsExtension(@TempDir Path dir) throws IOException {
        String plot = dir.resolve(".png").toString();
        assertBad(run("fit", "(a*x - y)^2", "--data", sine(dir).toString(), "--init", "a=1", "--plot", plot),
                "--plot " + plot + ": the file needs a name before .png");
        assertThat(dir.resolve(".png.png")).doesNotExist();
    }

    @Test
    void trainRefusesAColumnNamedTwice(@TempDir Path dir) throws IOException {
        assertBad(run("train", "--data", sine(dir).toString(), "--inputs", "x,x", "--targets", "y"), "--inputs names column 'x' twice");
        assertBad(run("train", "--data", sine(dir).toString(), "--inputs", "x", "--targets", "y,y"), "--targets names column 'y' twice");
    }

    /** With a column e, "(a*x - e)^2" fitted against 2.718… and said nothing. */
    @Test
    void aColumnShadowedByAConstantIsAnError(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("e.csv");
        Files.writeString(data, "x,e\n1,2\n2,4\n");
        String msg = "column 'e' has the name of the constant e (2.718281828459045), which the formula uses; "
                + "the formula cannot read that column: rename it (e.g. e_)";
        assertBad(run("grad", "(a*x - e)^2", "--data", data.toString(), "--at", "a=1"), data + ": " + msg);
        assertBad(run("fit", "(a*x - e)^2", "--data", data.toString(), "--init", "a=1"), msg);
    }

    /** |f| ≈ 1e12: the central difference's rounding error exceeded the tolerances on a correct gradient. */
    @Test
    void checkPassesCorrectGradientsOfLargeValues() {
        Result r = run("check", "x^2 + 1e12", "--at", "x=1.5", "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\"passed\": true").contains("\"finite_difference_error\": ");
    }

    @Test
    void invisibleCharactersAreShownByCodePoint(@TempDir Path dir) throws IOException {
        assertBad(run("grad", "x\u200B + 1", "--at", "x=1"), "1:2: unexpected character U+200B (ZERO WIDTH SPACE)");
        // A byte-order mark at the start of a file is an editor's doing: dropped, as for CSV.
        Path f = dir.resolve("bom.txt");
        Files.writeString(f, "\uFEFFx*2");
        Result r = run("grad", "@" + f, "--at", "x=1", "--json");
        assertThat(r.code()).as(r.err()).isZero();
    }

    /** Under LC_ALL=C the JVM decoded β0 as '??0'; the arguments are decoded again as UTF-8. */
    @Test
    void nonAsciiArgumentsSurviveACLocale() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/cmdline")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.backprop.cli.Main", "grad", "β0*2", "--at", "β0=1.5", "--json");
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LANG");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("\"β0\": 2.0");
    }

    /** Rows from a pipe that never ends: the columns grow only while they fit, then one line, exit 2. */
    @Test
    void endlessRowsFromAPipeStop() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/stdin")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "dev.backprop.cli.Main", "grad", "x*a", "--data", "/dev/stdin", "--at", "a=1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Thread feed = new Thread(() -> {
            byte[] rows = "1\n".repeat(1 << 15).getBytes(StandardCharsets.US_ASCII);
            try (var in = p.getOutputStream()) {
                in.write("x\n".getBytes(StandardCharsets.US_ASCII));
                while (true) {
                    in.write(rows);
                }
            } catch (IOException e) {
                // the reader stopped: what this test waits for
            }
        });
        feed.setDaemon(true);
        feed.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("finished").isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).startsWith("backprop: /dev/stdin: ").contains("Java heap").hasLineCount(1);
    }

    @Test
    void argumentsFromCmdlineOnlyWhenTheyMatch() {
        byte[] cmd = "java\0-jar\0b.jar\0grad\0\u03b20\0".getBytes(StandardCharsets.UTF_8);
        String[] garbled = {"grad", "\uFFFD\uFFFD0"};
        assertThat(Arguments.fromCmdline(cmd, garbled, StandardCharsets.US_ASCII)).containsExactly("grad", "β0");
        String[] other = {"trace", "\uFFFD\uFFFD0"};
        assertThat(Arguments.fromCmdline(cmd, other, StandardCharsets.US_ASCII)).isSameAs(other);
    }
}
