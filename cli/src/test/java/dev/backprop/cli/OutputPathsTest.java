package dev.backprop.cli;

import static dev.backprop.cli.FitCommandTest.SINE;
import static dev.backprop.cli.FitCommandTest.json;
import static dev.backprop.cli.FitCommandTest.param;
import static dev.backprop.cli.FitCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backprop.cli.FitCommandTest.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** --out and --plot never destroy a file: links, devices, FIFOs, folders, collisions, failures. */
class OutputPathsTest {
    @TempDir
    Path dir;

    Path sineCsv() throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            double x = -3 + 6.0 * i / 39;
            sb.append(x).append(',').append(1.5 * Math.sin(2 * x)).append('\n');
        }
        Path p = dir.resolve("sine.csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    /** Bad input found before the run: exit 2, one line on stderr, nothing on stdout. */
    static void refusedBeforeRunning(Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).as("the run must not have started").isEmpty();
    }

    Result fit(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("fit", SINE, "--data", sineCsv().toString(), "--init", "a=1,b=1.8",
                "--steps", "20"));
        args.addAll(List.of(extra));
        return run(args.toArray(new String[0]));
    }

    List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList();
        }
    }

    @Test
    void aSymlinkIsFollowedAndStaysALink() throws IOException {
        Path real = Files.createDirectory(dir.resolve("store")).resolve("params.json");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), Path.of("store", "params.json"));
        Result r = fit("--out", link.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(param(json(Files.readString(real)), "a")).isFinite();
        // A link to a file that does not exist yet creates the file, not a file in place of the link.
        Path dangling = Files.createSymbolicLink(dir.resolve("new.json"), real.resolveSibling("fresh.json"));
        assertThat(fit("--out", dangling.toString()).code()).isZero();
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(real.resolveSibling("fresh.json")).isRegularFile();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aFifoAFolderOrAMissingFolderIsRefusedBeforeRunning() throws Exception {
        Path fifo = dir.resolve("pipe.json");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        refusedBeforeRunning(fit("--out", fifo.toString()), "is a named pipe (FIFO)");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
        Path folder = Files.createDirectory(dir.resolve("out.json"));
        refusedBeforeRunning(fit("--out", folder.toString()), "is a folder");
        refusedBeforeRunning(fit("--plot", Files.createDirectory(dir.resolve("p.png")).toString()), "is a folder");
        refusedBeforeRunning(run("init", "--plot", folder.resolveSibling("p.png").toString()), "is a folder");
        // A link to a FIFO is judged by what it points to.
        Path toFifo = Files.createSymbolicLink(dir.resolve("l.json"), fifo);
        refusedBeforeRunning(fit("--out", toFifo.toString()), "is a named pipe (FIFO)");
        refusedBeforeRunning(fit("--out", dir.resolve("nowhere/p.json").toString()), "does not exist");
        assertThat(folder).isDirectory();
    }

    /** A copy of /dev/full (every write fails with ENOSPC) made with mknod, or the system's. */
    Path fullDevice() throws Exception {
        Path dev = dir.resolve("full");
        boolean made = new ProcessBuilder("mknod", dev.toString(), "c", "1", "7").redirectErrorStream(true).start().waitFor() == 0;
        return made ? dev : Path.of("/dev/full");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aCharacterDeviceIsWrittenThroughNotReplaced() throws Exception {
        Path nul = dir.resolve("null");
        boolean made = new ProcessBuilder("mknod", "-m", "666", nul.toString(), "c", "1", "3").start().waitFor() == 0;
        if (!made) {
            nul = Path.of("/dev/null"); // not root: the system's /dev cannot be replaced anyway
        }
        Result r = fit("--out", nul.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.isRegularFile(nul, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.size(nul)).isZero();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aWriteThatFailsAtTheEndStillPrintsTheResults() throws Exception {
        Path full = fullDevice();
        Result r = fit("--out", full.toString());
        assertThat(r.out()).contains("fitted", "20 steps");
        assertThat(r.err()).contains("cannot write " + full, "No space left on device");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.code()).isEqualTo(2);
        Result j = fit("--out", full.toString(), "--json");
        assertThat(param(json(j.out()), "a")).isFinite();
        assertThat(j.code()).isEqualTo(2);
        assertThat(Files.isRegularFile(full, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void standardOutputAsAFileIsRefused() throws IOException {
        int mode = (Integer) Files.getAttribute(Path.of("/dev/stdout"), "unix:mode");
        org.junit.jupiter.api.Assumptions.assumeFalse((mode & 0170000) == 0020000, "stdout is a terminal");
        // Renaming over stdout's file would unlink the file the results are printed to.
        refusedBeforeRunning(fit("--out", "/dev/stdout"), "is an open file descriptor");
    }

    @Test
    void anOutputNamingAnInputIsRefusedByRealPath() throws IOException {
        Path data = sineCsv();
        String before = Files.readString(data);
        String dotted = dir.resolve(".").resolve("sine.csv").toString();
        refusedBeforeRunning(fit("--out", dotted), "is the --data file");
        Path link = Files.createSymbolicLink(dir.resolve("alias.csv"), data);
        refusedBeforeRunning(fit("--out", link.toString()), "is the --data file");
        Path hard = Files.createLink(dir.resolve("hard.json"), data);
        refusedBeforeRunning(fit("--out", hard.toString()), "is the --data file");
        refusedBeforeRunning(run("train", "--data", "x=" + data + ",y=" + data, "--inputs", "x", "--targets", "y",
                "--out", data.toString()), "is the --data file");
        assertThat(Files.readString(data)).isEqualTo(before);

        Path params = dir.resolve("p.json");
        Files.writeString(params, "{\"a\": 1, \"b\": 1.8}");
        refusedBeforeRunning(run("fit", SINE, "--data", data.toString(), "--init", "@" + params, "--out", params.toString()),
                "is the --init file");
        Path formula = dir.resolve("f.txt");
        Files.writeString(formula, SINE);
        refusedBeforeRunning(run("fit", "@" + formula, "--data", data.toString(), "--init", "a=1,b=1.8",
                "--out", formula.toString()), "is the FORMULA file");
        Path png = dir.resolve("d.png");
        Files.writeString(png, "x,y\n1,2\n");
        refusedBeforeRunning(run("fit", SINE, "--data", png.toString(), "--init", "a=1,b=1.8", "--plot", png.toString()),
                "is the --data file");
    }

    @Test
    void outputsNamingEachOtherAreRefused() throws IOException {
        Path x = dir.resolve("x.png");
        Files.createDirectory(dir.resolve("sub"));
        refusedBeforeRunning(fit("--plot", x.toString(), "--out", dir.resolve("sub/../x.png").toString()), "are the same file");
        refusedBeforeRunning(fit("--plot", x.toString(), "--out", dir.resolve("./x.png").toString()), "are the same file");
        refusedBeforeRunning(fit("--plot", x.toString(), "--out", dir.resolve("x-fit.png").toString()), "are the same file");
        assertThat(x).doesNotExist();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anUnwritableFolderIsFoundBeforeRunning() throws IOException {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        locked.toFile().setWritable(false, false);
        // Root may write anywhere its permission bits say not; /proc's folders refuse even root.
        Path folder = Files.isWritable(locked) ? Path.of("/proc/1") : locked;
        try {
            refusedBeforeRunning(fit("--out", folder.resolve("p.json").toString()), "cannot create a file in");
            refusedBeforeRunning(fit("--plot", folder.resolve("loss.svg").toString()), "cannot create a file in");
            refusedBeforeRunning(run("init", "--plot", folder.resolve("init.png").toString()), "cannot create a file in");
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path chart = dir.resolve("loss.svg");
        Files.writeString(chart, "<svg>the old chart</svg>");
        assertThatThrownBy(() -> OutputPaths.write(chart, out -> {
            out.write("<svg>half of a new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        })).isInstanceOf(BadInput.class).hasMessage("cannot write " + chart + ": No space left on device");
        assertThat(Files.readString(chart)).isEqualTo("<svg>the old chart</svg>");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void plotsAreWrittenWhole() throws IOException {
        Path png = dir.resolve("loss.png");
        Path svg = dir.resolve("loss.svg");
        assertThat(fit("--plot", png.toString()).code()).isZero();
        assertThat(fit("--plot", svg.toString()).code()).isZero();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).endsWith("IEND\u00aeB`\u0082");
        assertThat(Files.readString(svg).strip()).endsWith("</svg>");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void temporaryFilesAreVisibleAndStaleOnesRemoved() throws IOException {
        Path out = dir.resolve("p.json");
        assertThat(OutputPaths.temporary(out).getFileName().toString())
                .isEqualTo("p.json.tmp-" + ProcessHandle.current().pid());
        Path stale = Files.writeString(dir.resolve("p.json.tmp-999999999"), "left by kill -9");
        Path live = Files.writeString(dir.resolve("p.json.tmp-1"), "pid 1 is running");
        Path other = Files.writeString(dir.resolve("q.json.tmp-999999999"), "not ours");
        Result r = fit("--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();
    }

    @Test
    void permissionsOfTheReplacedFileAreKept() throws IOException {
        Path out = dir.resolve("secret.json");
        Files.writeString(out, "{}");
        try {
            Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        assertThat(fit("--out", out.toString()).code()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo("rw-------");
        Map<String, Object> m = json(Files.readString(out));
        assertThat((Double) m.get("steps")).isEqualTo(20.0);
    }
}
