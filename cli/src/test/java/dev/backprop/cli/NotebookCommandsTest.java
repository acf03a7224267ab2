package dev.backprop.cli;

import static dev.backprop.cli.CliTest.assertBad;
import static dev.backprop.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.cli.CliTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deep} and {@code init} print the numbers notebooks 7.2 and 7.3 print. */
class NotebookCommandsTest {

    @Test
    void deepPrintsNotebook72() {
        Result r = run("deep");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Output f_K = 1.907").contains("Loss ℓ = (f_K − y)² = 327.371");
        assertThat(r.out()).contains("bias layer 0: Success!").contains("weight layer 5: Success!");
        assertThat(r.out()).doesNotContain("Failure");
    }

    @Test
    void deepJsonHasTheIssuesKeys() {
        Result r = run("deep", "--json");
        assertThat(r.code()).isZero();
        assertThat(number(r.out(), "output")).isCloseTo(1.907, within(5e-4));
        assertThat(number(r.out(), "loss")).isCloseTo(327.371, within(5e-4));
        assertThat(r.out()).startsWith("{\"output\": ").contains("\"f\": [[").contains("\"h\": [[1.2]").contains("\"dl_dbias\": [[")
                .contains("\"dl_dweight\": [[[").contains("\"dl_dinput\": ")
                .contains("\"finite_difference_check\": {\"bias\": [true, true, true, true, true, true]");
    }

    /** The number after {@code "key": } in JSON text. */
    static double number(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\": (-?[0-9.eE+-]+)").matcher(json);
        assertThat(m.find()).as("key %s", key).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void initPrintsNotebook73() {
        Result r = run("init");
        assertThat(r.code()).as(r.err()).isZero();
        for (String v : new String[] {"0.811", "1.472", "4.547", "8.896", "10.106", "56.472", "109.132", "340.657", "446.654"}) {
            assertThat(r.out()).contains(v);
        }
    }

    @Test
    void initJson() {
        Result r = run("init", "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("{\"forward_std\": [0.8108").contains("\"backward_std\": {\"1\": 446.654")
                .contains("\"4\": 56.47");
        assertThat(number(r.out(), "1")).isCloseTo(446.654, within(5e-4));
        assertThat(number(r.out(), "4")).isCloseTo(56.472, within(5e-4));
    }

    @Test
    void initDeepAndWideStaysFinite() {
        Result r = run("init", "--layers", "50", "--width", "80", "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).doesNotContain("null").contains("E77");
    }

    @Test
    void initPlotsPngAndSvg(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("init.png");
        Result r = run("init", "--plot", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        byte[] head = Files.readAllBytes(png);
        assertThat(head[1]).isEqualTo((byte) 'P');
        assertThat(head.length).isGreaterThan(10_000);
        Path svg = dir.resolve("init.svg");
        assertThat(run("init", "--plot", svg.toString()).code()).isZero();
        assertThat(Files.readString(svg)).contains("<svg");
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("init.png", "init.svg");
    }

    @Test
    void badOptions() {
        assertBad(run("init", "--plot", "out.gif"), "must end in .png or .svg");
        assertBad(run("init", "--layers", "0"), "at least 1");
        assertBad(run("deep", "--width", "x"), "'x' is not an int");
        assertBad(run("deep", "--seed", "-1"), "--seed must be between 0");
    }
}
