package dev.backprop.cli;

import static dev.backprop.cli.FitCommandTest.SINE;
import static dev.backprop.cli.FitCommandTest.json;
import static dev.backprop.cli.FitCommandTest.param;
import static dev.backprop.cli.FitCommandTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./backprop} launcher script as a supervisor meets it: a signal sent to the script's
 * pid must reach java, whose shutdown saves --out; the script exits as java does, and leaves no
 * process behind. The script runs from a copy of the project's layout whose
 * {@code cli/target/backprop.jar} is a manifest-only jar over the test's class path, so the test
 * needs no packaged jar and triggers no build.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherTest {
    @TempDir
    Path dir;

    /** The launcher beside a jar whose Class-Path is this test's class path. */
    Path launcher() throws IOException {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("backprop");
        assertThat(script).as("the launcher script, beside cli/").isRegularFile();
        Path copy = dir.resolve("project/backprop");
        Files.createDirectories(copy.getParent().resolve("cli/target"));
        Files.copy(script, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, List.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .stream().map(p -> Path.of(p).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(copy.resolveSibling("cli/target/backprop.jar")), m)) {
            out.flush();
        }
        return copy;
    }

    Process start(Path launcher, Path csv, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "fit", SINE, "--data", csv.toString(),
                "--init", "a=1,b=1.8", "--steps", "2000000000", "--out", dir.resolve(name + ".json").toString(),
                "--plot", dir.resolve(name + ".png").toString())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile());
        Map<String, String> env = pb.environment();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + env.get("PATH"));
        env.remove("BACKPROP_JAVA_OPTS");
        // No class-data archive: recording one first (it fails on this jar's directory class path,
        // once) would delay java's start past the signal on a busy machine. cdsArchive tests it.
        env.put("BACKPROP_CDS", "0");
        return pb.start();
    }

    /** Whether this JVM was started with SIGINT ignored, which its children then inherit (a background build). */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: assume a terminal's default
        }
        return false;
    }

    @Test
    void sigtermAndSigintToTheLauncherSaveTheParametersAndLeaveNoJava() throws Exception {
        Path launcher = launcher();
        Path csv = dir.resolve("sine.csv");
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 60; i++) {
            double x = -3 + 6.0 * i / 59;
            sb.append(x).append(',').append(1.5 * Math.sin(2 * x)).append('\n');
        }
        Files.writeString(csv, sb.toString());
        boolean testInt = !sigintIgnored();
        Process term = start(launcher, csv, "term");
        Process intr = testInt ? start(launcher, csv, "int") : null;
        List<ProcessHandle> all = new java.util.ArrayList<>();
        try {
            // Long enough for the JVM to start and register its hook, even on a busy machine.
            Thread.sleep(8000);
            assertThat(term.isAlive()).as(() -> read(dir.resolve("term.err"))).isTrue();
            List<ProcessHandle> left = term.descendants().toList();
            all.addAll(left);
            assertThat(left).as("java runs under the launcher").isNotEmpty();
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(term.pid())).start().waitFor()).isZero();
            List<ProcessHandle> leftInt = List.of();
            if (intr != null) {
                leftInt = intr.descendants().toList();
                all.addAll(leftInt);
                assertThat(new ProcessBuilder("kill", "-INT", Long.toString(intr.pid())).start().waitFor()).isZero();
            }
            assertThat(term.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(term.exitValue()).as(() -> read(dir.resolve("term.err"))).isEqualTo(143);
            check("term");
            for (ProcessHandle h : left) {
                assertThat(h.isAlive()).as("process " + h.pid() + " " + h.info().command().orElse("") + " left behind").isFalse();
            }
            if (intr != null) {
                assertThat(intr.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(intr.exitValue()).as(() -> read(dir.resolve("int.err"))).isEqualTo(130);
                check("int");
                for (ProcessHandle h : leftInt) {
                    assertThat(h.isAlive()).as("process " + h.pid() + " left behind").isFalse();
                }
            }
        } finally {
            all.forEach(ProcessHandle::destroyForcibly); // orphans, if the launcher failed to stop them
            for (Process p : new Process[] {term, intr}) {
                if (p != null) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void underTheCLocaleNonAsciiFileNamesAndInputsWork() throws Exception {
        Path launcher = launcher();
        Path csv = dir.resolve("ω.csv");
        Files.writeString(csv, "ω,y\n1,2\n3,4\n");
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "grad", "β*ω - y", "--data", csv.toString(),
                "--at", "β=2", "--json").redirectErrorStream(true);
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + pb.environment().get("PATH"));
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("BACKPROP_JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("\"value\": 2.0").contains("\"β\": 4.0");
    }

    /**
     * The launcher beside a self-contained jar (our classes, core's and picocli's), as a build
     * makes it: class-data sharing needs jars, not the directories of the test's class path.
     */
    Path launcherWithJar() throws IOException {
        Path script = Path.of("").toAbsolutePath().getParent().resolve("backprop");
        Path copy = dir.resolve("cds/backprop");
        Files.createDirectories(copy.getParent().resolve("cli/target"));
        Files.copy(script, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        java.util.Set<String> seen = new java.util.HashSet<>(List.of("META-INF/", "META-INF/MANIFEST.MF"));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(copy.resolveSibling("cli/target/backprop.jar")), m)) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && !name.equals("test-classes")) {
                    try (var files = Files.walk(p)) {
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            add(out, seen, p.relativize(f).toString().replace(File.separatorChar, '/'), Files.readAllBytes(f));
                        }
                    }
                } else if (name.startsWith("picocli") || name.startsWith("backprop-core")) {
                    try (var jar = new java.util.jar.JarFile(p.toFile())) {
                        for (var e : java.util.Collections.list(jar.entries())) {
                            if (!e.isDirectory()) {
                                add(out, seen, e.getName(), jar.getInputStream(e).readAllBytes());
                            }
                        }
                    }
                }
            }
        }
        return copy;
    }

    private static void add(JarOutputStream out, java.util.Set<String> seen, String name, byte[] bytes) throws IOException {
        if (name.endsWith("module-info.class") || name.startsWith("META-INF/versions/") || !seen.add(name)) {
            return;
        }
        out.putNextEntry(new java.util.jar.JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    /** Runs the launcher to completion; output and error together. */
    static String[] runLauncher(Path launcher, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(launcher.getParent().toFile());
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + pb.environment().get("PATH"));
        pb.environment().remove("BACKPROP_JAVA_OPTS");
        pb.environment().remove("BACKPROP_CDS");
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    /**
     * The class-data archive: recorded on the first run, then used (our classes and picocli's come
     * from it); a missing, truncated, foreign or stale archive never breaks a run, and is recorded
     * again where that helps.
     */
    @Test
    void cdsArchiveIsRecordedUsedAndNeverBreaksARun() throws Exception {
        Path launcher = launcherWithJar();
        Path target = launcher.resolveSibling("cli/target");
        Path jsa = target.resolve("backprop.jsa");
        Path size = target.resolve("backprop.jsa.size");
        String want = "{\"value\": 1.0, \"gradient\": {\"x\": 1.0}}";

        String[] first = runLauncher(launcher, Map.of(), "grad", "x", "--at", "x=1", "--json");
        assertThat(first[0]).as(first[1]).isEqualTo("0");
        assertThat(first[1].strip()).isEqualTo(want);
        assertThat(jsa).isRegularFile();
        assertThat(Files.readString(size).strip()).isEqualTo(Long.toString(Files.size(jsa)));

        Path log = dir.resolve("classes.log");
        String[] used = runLauncher(launcher, Map.of("BACKPROP_JAVA_OPTS", "-Xlog:class+load,module+load:file=" + log),
                "grad", "x", "--at", "x=1", "--json");
        assertThat(used[1].strip()).isEqualTo(want);
        assertThat(Files.readString(log)).containsPattern("dev\\.backprop\\.cli\\.Main source: shared objects file")
                .containsPattern("picocli\\.CommandLine source: shared objects file")
                // A one-shot command loads nothing it does not need: no charts, no AWT, no Vector API.
                .doesNotContain("org.knowm.xchart").doesNotContain("java.awt.").doesNotContain("jdk.incubator.vector");
        // A long-running command keeps the Vector API (and the same option does log its module).
        String[] fit = runLauncher(launcher, Map.of("BACKPROP_JAVA_OPTS", "-Xlog:module+load:file=" + log),
                "fit", "--demo", "--steps", "1", "--json");
        assertThat(fit[0]).as(fit[1]).isEqualTo("0");
        assertThat(Files.readString(log)).contains("[module,load] jdk.incubator.vector");

        // Truncated: java would ignore it (and start slowly until the next build); the launcher sees
        // the size and records it again.
        byte[] whole = Files.readAllBytes(jsa);
        jsa.toFile().setWritable(true);
        Files.write(jsa, java.util.Arrays.copyOf(whole, whole.length / 3));
        String[] truncated = runLauncher(launcher, Map.of(), "grad", "x", "--at", "x=1", "--json");
        assertThat(truncated[0]).as(truncated[1]).isEqualTo("0");
        assertThat(truncated[1].strip()).isEqualTo(want);
        assertThat(Files.size(jsa)).isEqualTo(Long.parseLong(Files.readString(size).strip()));

        // Not an archive at all, of the recorded size: java ignores it, silently.
        jsa.toFile().setWritable(true);
        byte[] junk = new byte[whole.length];
        new java.util.Random(1).nextBytes(junk);
        Files.write(jsa, junk);
        Files.writeString(size, junk.length + "\n");
        String[] garbage = runLauncher(launcher, Map.of(), "grad", "x", "--at", "x=1", "--json");
        assertThat(garbage[0]).as(garbage[1]).isEqualTo("0");
        assertThat(garbage[1].strip()).isEqualTo(want);

        // Missing, and older than the jar: recorded again.
        Files.delete(jsa);
        String[] missing = runLauncher(launcher, Map.of(), "trace", "x*y", "--at", "x=2,y=3");
        assertThat(missing[0]).as(missing[1]).isEqualTo("0");
        assertThat(missing[1]).contains("∂value/∂x  3.000");
        assertThat(jsa).isRegularFile();
        // Older than the jar (as after a build): recorded again.
        Path jar = target.resolve("backprop.jar");
        Files.setLastModifiedTime(jsa, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 10_000));
        String[] stale = runLauncher(launcher, Map.of(), "grad", "x", "--at", "x=1", "--json");
        assertThat(stale[1].strip()).isEqualTo(want);
        assertThat(Files.getLastModifiedTime(jsa)).isGreaterThan(Files.getLastModifiedTime(jar));

        try (var files = Files.list(launcher.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
        }
        try (var files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
    }

    @Test
    void withoutCdsNoArchiveIsRecorded() throws Exception {
        Path launcher = launcherWithJar();
        String[] r = runLauncher(launcher, Map.of("BACKPROP_CDS", "0"), "grad", "-log(p)", "--at", "p=0.5", "--json");
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        assertThat(r[1]).startsWith("{\"value\": " + Math.log(2));
        assertThat(launcher.resolveSibling("cli/target/backprop.jsa")).doesNotExist();
    }

    /** The run printed its results, said why it stopped (without the JVM's warning) and saved --out. */
    private void check(String name) throws IOException {
        assertThat(Files.readString(dir.resolve(name + ".out"))).contains("(interrupted)");
        String err = Files.readString(dir.resolve(name + ".err"));
        assertThat(err).contains("interrupted after").doesNotContain("incubator").doesNotContain("internal error");
        // The PNG too: ImageIO's cache once tried to add a shutdown hook while the JVM shut down.
        byte[] png = Files.readAllBytes(dir.resolve(name + ".png"));
        assertThat(png.length).isGreaterThan(1000);
        assertThat(png[1]).isEqualTo((byte) 'P');
        Map<String, Object> m = json(Files.readString(dir.resolve(name + ".json")));
        assertThat(param(m, "a")).isCloseTo(1.5, within(0.01));
        assertThat((Double) m.get("steps")).isPositive();
    }
}
