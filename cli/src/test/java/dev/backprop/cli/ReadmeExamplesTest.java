package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.graph.Tape;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of the README is a complete program that a user can copy: it compiles
 * with javac against the core jar alone (warnings are errors) and its {@code main} runs to the end
 * from the repository root, once on the plain kernels and once with the Vector API module.
 */
class ReadmeExamplesTest {

    /** A fenced {@code java} block: its text and the README line its first line of code is on. */
    record Block(int line, String code) {
    }

    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public\\s+(?:final\\s+)?class\\s+(\\w+)");

    /** The repository root: where the README is, one level above this module. */
    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("core")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    /** The {@code java} blocks of a Markdown text, in order. */
    static List<Block> javaBlocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("```java")) {
                StringBuilder code = new StringBuilder();
                int j = i + 1;
                for (; j < lines.length && !lines[j].strip().equals("```"); j++) {
                    code.append(lines[j]).append('\n');
                }
                assertThat(j).as("the java block at README line %d is never closed", i + 1).isLessThan(lines.length);
                blocks.add(new Block(i + 2, code.toString()));
                i = j;
            }
        }
        return blocks;
    }

    /** The core jar (or classes folder) this module is tested against: what a user puts on the class path. */
    private static String core() {
        try {
            return Path.of(Tape.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles one program into {@code out}; returns javac's diagnostics, empty when it compiled cleanly. */
    static String compile(String code, Path out) {
        Matcher m = PUBLIC_CLASS.matcher(code);
        if (!m.find()) {
            return "not a complete program: no public class (a README example must compile as it is)";
        }
        try {
            Path src = out.resolve("src").resolve(m.group(1) + ".java");
            Files.createDirectories(src.getParent());
            Files.writeString(src, code, StandardCharsets.UTF_8);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter diagnostics = new StringWriter();
            // Warnings are errors: a deprecated or unchecked call in an example is worth fixing there.
            boolean ok = javac.getTask(diagnostics, null, null,
                    List.of("--release", "17", "-Xlint:all", "-Werror", "-encoding", "UTF-8",
                            "-classpath", core(), "-d", out.toString()),
                    null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src)).call();
            return ok ? "" : diagnostics.toString().isEmpty() ? "javac failed" : diagnostics.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the compiled program's main class in a new JVM from the repository root; returns its exit code and output. */
    static Result run(String code, Path out, boolean vector) throws IOException, InterruptedException {
        Matcher m = PUBLIC_CLASS.matcher(code);
        assertThat(m.find()).isTrue();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (vector) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", core() + File.pathSeparator + out, m.group(1)));
        Path log = Files.createTempFile(out, "run", ".txt");
        Process p = new ProcessBuilder(cmd).directory(root().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Result(-1, "timed out after 180 s\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    record Result(int exit, String output) {
    }

    @Test
    void theReadmeHasJavaExamples() throws IOException {
        List<Block> blocks = javaBlocks(Files.readString(root().resolve("README.md")));
        // Fewer would mean the blocks are no longer found (a changed fence), not that they pass.
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
        assertThat(blocks).allSatisfy(b -> assertThat(b.code()).containsPattern(PUBLIC_CLASS));
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesAndRuns(@TempDir Path tmp) throws IOException {
        return javaBlocks(Files.readString(root().resolve("README.md"))).stream().map(b ->
                DynamicTest.dynamicTest("README line " + b.line(), () -> {
                    Path out = Files.createDirectories(tmp.resolve("line" + b.line()));
                    assertThat(compile(b.code(), out)).as("the java block at README line %d does not compile", b.line()).isEmpty();
                    for (boolean vector : new boolean[] {false, true}) {
                        Result r = run(b.code(), out, vector);
                        assertThat(r.exit()).as("the java block at README line %d (%s the Vector API) failed:%n%s", b.line(),
                                vector ? "with" : "without", r.output()).isZero();
                        assertThat(r.output()).as("README line %d", b.line()).doesNotContain("Exception");
                    }
                }));
    }

    @Test
    void theCheckFailsForABlockThatDoesNotCompileOrThrows(@TempDir Path tmp) throws Exception {
        assertThat(compile("import dev.backprop.graph.Tape;\nTape t = new Tape();\n", tmp.resolve("a")))
                .contains("no public class");
        assertThat(compile("public class Typo {\n  public static void main(String[] a) {\n"
                + "    new dev.backprop.graph.Tape().inptu(\"x\", 1.0);\n  }\n}\n", tmp.resolve("b"))).contains("inptu");
        String throwing = "public class Throws {\n  public static void main(String[] a) {\n"
                + "    dev.backprop.graph.Tape t = new dev.backprop.graph.Tape();\n"
                + "    t.input(\"x\", 1.0);\n    t.input(\"x\", 2.0);\n  }\n}\n";
        Path c = tmp.resolve("c");
        assertThat(compile(throwing, c)).isEmpty();
        Result r = run(throwing, c, false);
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("IllegalArgumentException", "already has an input called 'x'");
    }

    @Test
    void blocksAreFoundWithTheirLineNumbers() {
        List<Block> blocks = javaBlocks("text\n```java\npublic class A {}\n```\n```sh\nls\n```\n```java\nclass B {}\n```\n");
        assertThat(blocks).containsExactly(new Block(3, "public class A {}\n"), new Block(9, "class B {}\n"));
    }
}
