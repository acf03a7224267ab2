package dev.backprop.formula;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's custom-function example is a complete program: it compiles against core, runs, and
 * prints PyTorch's numbers ({@code custom/make_reference.py}), and the numbers and the derivative
 * its comments show are the ones it prints.
 */
class ReadmeCustomFunctionsTest {
    private static final String CLASS = "CustomFunctionsExample";

    /** The java block of the README that declares {@link #CLASS}. */
    private static String block() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (m.find()) {
            if (m.group(1).contains("public class " + CLASS + " {")) {
                return m.group(1);
            }
        }
        throw new AssertionError("no java block declaring " + CLASS + " in README.md");
    }

    private static Path classes() throws Exception {
        return Path.of(Formula.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theExampleCompilesRunsAndPrintsPyTorchsNumbers(@TempDir Path dir) throws Exception {
        String source = block();
        Files.writeString(dir.resolve(CLASS + ".java"), source);
        Path out = dir.resolve("out");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", out.toString(), "-cp", classes().toString(),
                dir.resolve(CLASS + ".java").toString())).isZero();

        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", classes() + File.pathSeparator + out, CLASS)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(printed).isZero();
        List<String> lines = printed.lines().toList();

        TorchReference f = TorchReference.named("readme").get(0);
        TorchReference square = TorchReference.named("readme_square").get(0);
        close(Double.parseDouble(lines.get(0)), f.value());
        String gradient = lines.get(1);
        for (Map.Entry<String, Double> d : f.gradient().entrySet()) {
            Matcher m = Pattern.compile("\\b" + d.getKey() + "=([^,}]+)").matcher(gradient);
            assertThat(m.find()).as(gradient).isTrue();
            close(Double.parseDouble(m.group(1)), d.getValue());
        }
        String derivative = String.join("\n", lines.subList(2, lines.size() - 1));
        assertThat(derivative).contains("dswish_dz(a*x + b)");
        String[] rows = lines.get(lines.size() - 1).replaceAll("[\\[\\]]", "").split(", ");
        for (int k = 0; k < 4; k++) {
            close(Double.parseDouble(rows[k]), square.hessian()[k / 2][k % 2]);
        }

        // The comments show what it prints.
        assertThat(source).contains("// " + derivative);
        Matcher shown = Pattern.compile("(-?\\d+\\.\\d+)…").matcher(source);
        List<String> numbers = new ArrayList<>();
        while (shown.find()) {
            numbers.add(shown.group(1));
        }
        assertThat(numbers).hasSize(9).allSatisfy(n -> assertThat(printed).contains(n));
    }

    private static void close(double actual, double expected) {
        assertThat(Math.abs(actual - expected)).as(actual + " vs PyTorch's " + expected)
                .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(expected)));
    }
}
