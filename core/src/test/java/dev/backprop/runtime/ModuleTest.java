package dev.backprop.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core as a named module ({@code dev.backprop.core}): a modular application that requires it
 * compiles against its exports and runs, with the SIMD code when the application adds
 * {@code jdk.incubator.vector} and the plain code when it does not.
 */
class ModuleTest {

    /** core's compiled main classes (an exploded module: module-info.class is at its root). */
    private static Path classes() throws URISyntaxException {
        return Path.of(Simd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void everyPackageButRuntimeIsExported() throws Exception {
        Path root = classes();
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        Set<String> packages;
        try (Stream<Path> files = Files.walk(root)) {
            packages = files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class"))
                    .map(f -> root.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), "."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        // A package added without an export would be invisible to module-path users.
        Set<String> expected = new TreeSet<>(packages);
        expected.remove("dev.backprop.runtime");
        assertThat(d.name()).isEqualTo("dev.backprop.core");
        assertThat(exported).isEqualTo(expected);
        assertThat(d.requires()).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("jdk.incubator.vector");
            assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC);
        });
    }

    @Test
    void aModularApplicationRunsWithAndWithoutTheVectorModule(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/app");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module app { requires dev.backprop.core; }\n");
        Files.writeString(src.resolve("app/Main.java"), """
                package app;

                import dev.backprop.batch.BatchProgram;
                import dev.backprop.formula.Formula;
                import dev.backprop.graph.Tape;
                import dev.backprop.graph.Var;
                import dev.backprop.io.Columns;
                import dev.backprop.tensor.Gemm;
                import java.util.List;
                import java.util.Map;

                public class Main {
                    public static void main(String[] args) {
                        Tape tape = new Tape();
                        Var x = tape.input("x", 2.0);
                        double d = tape.gradient(x.sin().mul(x)).of(x);
                        BatchProgram p = BatchProgram.compile(Formula.compile("a*x").program(), List.of("x")).withSimd(true);
                        double s = p.gradient(new Columns(Map.of("x", new double[] {1, 2, 3})), Map.of("a", 1.0)).gradient().get("a");
                        System.out.println(d + " " + s + " " + p.simd() + " " + Gemm.kernel());
                    }
                }
                """);
        Path out = dir.resolve("out");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path", classes().toString()));
        args.add(src.resolve("module-info.java").toString());
        args.add(src.resolve("app/Main.java").toString());
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();

        String expected = (Math.sin(2) + 2 * Math.cos(2)) + " 6.0 ";
        assertThat(run(out, false)).isEqualTo(expected + "false plain");
        assertThat(run(out, true)).startsWith(expected + "true vector(");
    }

    private static String run(Path app, boolean vector) throws IOException, InterruptedException, URISyntaxException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        if (vector) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("--module-path", classes() + File.pathSeparator + app, "-m", "app/app.Main"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
