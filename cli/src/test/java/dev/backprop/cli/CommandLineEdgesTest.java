package dev.backprop.cli;

import static dev.backprop.cli.CliTest.assertBad;
import static dev.backprop.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.cli.CliTest.Result;
import dev.backprop.op.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rough edges of the command line: formulas that look like options, typos, help, --digits,
 * numbers on the command line, unused statements and columns, non-finite JSON, plurals.
 */
class CommandLineEdgesTest {
    @TempDir
    Path dir;

    Path sineCsv() throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 20; i++) {
            double x = -3 + 6.0 * i / 19;
            sb.append(x).append(',').append(1.5 * Math.sin(2 * x)).append('\n');
        }
        Path p = dir.resolve("sine.csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    // ------------------------------------------------------------ a formula that starts with '-'

    @Test
    void everyFormulaCommandTakesAFormulaThatStartsWithAMinus() throws IOException {
        // -log(p) at p = 1/2: ln 2, and d/dp = -1/p = -2.
        Result grad = run("grad", "-log(p)", "--at", "p=0.5", "--json");
        assertThat(grad.code()).as(grad.err()).isZero();
        assertThat(grad.out().strip()).isEqualTo("{\"value\": " + Math.log(2) + ", \"gradient\": {\"p\": -2.0}}");
        Result after = run("grad", "--at", "p=0.5", "-log(p)", "--json");
        assertThat(after.out()).isEqualTo(grad.out());
        Result trace = run("trace", "-sin(x)", "--at", "x=0");
        assertThat(trace.code()).as(trace.err()).isZero();
        assertThat(trace.out()).contains("value = -t1");
        Result check = run("check", "-x^2", "--at", "x=1.5");
        assertThat(check.code()).as(check.err()).isZero();
        Result diff = run("diff", "-x^2", "--wrt", "x");
        assertThat(diff.out().strip()).isEqualTo("dvalue_dx = -2*x");
        Result fit = run("fit", "-a*x", "--data", sineCsv().toString(), "--init", "a=0", "--steps", "2");
        assertThat(fit.code()).as(fit.err()).isZero();
    }

    @Test
    void aFormulaMayStartWithTheLetterOfAShortOption() {
        // -h and -V are help and version elsewhere; a formula command keeps only --help.
        Result r = run("grad", "-h1*w - V", "--at", "h1=2,w=3,V=1", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\"value\": -7.0");
        Result minusH = run("grad", "-h", "--at", "h=3", "--json");
        assertThat(minusH.out()).startsWith("{\"value\": -3.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grad", "trace", "check", "diff", "fit"})
    void minusHAloneStillShowsTheHelp(String command) {
        Result r = run(command, "-h");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: backprop " + command).contains("--help");
        assertThat(run(command, "--help").out()).isEqualTo(r.out());
    }

    @Test
    void aMistypedOptionIsStillAnErrorWhereverItStands() {
        for (String[] args : List.of(new String[] {"grad", "x", "--at", "x=1", "--dgits", "3"},
                new String[] {"grad", "--dgits", "3", "x", "--at", "x=1"},
                new String[] {"grad", "--dgits=3", "x", "--at", "x=1"},
                new String[] {"grad", "--dgits"},
                new String[] {"trace", "x", "--att", "x=1"})) {
            Result r = run(args);
            assertBad(r, "unknown option '--" + (args[0].equals("trace") ? "att'; did you mean --at?" : "dgits'; did you mean --digits?"));
        }
        assertBad(run("toy", "--digts", "2"), "unknown option '--digts'; did you mean --digits?");
        assertBad(run("grad", "x", "--at", "x=1", "--bogus"), "unknown option '--bogus' (see 'backprop grad --help')");
    }

    @Test
    void aSecondFormulaArgumentSaysToQuote() {
        assertBad(run("grad", "x", "-", "y", "--at", "x=1,y=2"),
                "FORMULA is one argument, 'x', and '-' is another; quote a formula that has spaces");
        assertBad(run("grad", "--", "-x", "--at", "x=1"), "option '--at' comes after '--', which ends the options");
        Result dashes = run("grad", "--at", "x=1", "--", "-x");
        assertThat(dashes.code()).as(dashes.err()).isZero();
    }

    // ------------------------------------------------------------ commands and help

    @Test
    void aMistypedCommandSuggestsTheNearest() {
        assertBad(run("grda", "x"), "unknown command 'grda'; did you mean 'grad'?");
        assertBad(run("trian"), "unknown command 'trian'; did you mean 'train'?");
        assertBad(run("tarce", "x"), "unknown command 'tarce'; did you mean 'trace'?");
        Result far = run("frobnicate");
        assertBad(far, "unknown command 'frobnicate' (see 'backprop --help')");
        assertThat(far.err()).doesNotContain("did you mean");
    }

    @Test
    void editDistanceCountsASwapAsOneEdit() {
        assertThat(Suggest.distance("grda", "grad")).isEqualTo(1);
        assertThat(Suggest.distance("grad", "grad")).isZero();
        assertThat(Suggest.distance("", "toy")).isEqualTo(3);
        assertThat(Suggest.distance("--dgits", "--digits")).isEqualTo(1);
        assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggest.nearest("x", List.of("toy"))).isEmpty();
        assertThat(Suggest.nearest("fti", List.of("fit", "diff"))).contains("fit");
    }

    /** Each command's line in --help is its whole one-line summary, the first line of its description. */
    @Test
    void helpListsEveryCommandWithItsWholeSummaryOnOneLine() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        int start = lines.indexOf("Commands:");
        assertThat(start).isPositive();
        for (String name : List.of("toy", "grad", "trace", "check", "diff", "deep", "init", "bench", "fit", "train",
                "predict", "hessian", "jvp", "hvp", "jacobian", "serve", "help")) {
            String line = lines.stream().skip(start + 1).filter(l -> l.startsWith("  " + name + " ")).findFirst().orElseThrow();
            String summary = line.substring(2 + name.length()).strip();
            assertThat(summary).as(name).endsWith(".").doesNotContain("  ");
            Result own = run("help", name);
            assertThat(own.out()).as(name).contains("\n" + summary + "\n");
        }
        // No summary wrapped onto a second line.
        for (String l : lines.subList(start + 1, lines.indexOf(""))) {
            assertThat(l).matches("  [a-z]+ +[A-Z].*");
        }
        assertThat(r.out()).contains("backprop help formulas");
    }

    @Test
    void helpFormulasListsEveryFunctionOfTheRuleTable() {
        Result r = run("help", "formulas");
        assertThat(r.code()).as(r.err()).isZero();
        for (Op op : Op.values()) {
            if (Op.ofFunctionName(op.symbol()) == op) {
                String shown = op.symbol() + (op.unary() ? "(x)" : op.accepts(3) ? "(a, b, …)" : "(a, b)");
                String call = op.symbol() + (op.unary() ? "(x)" : "(a, b)");
                assertThat(r.out()).as(op.name()).contains(shown);
                // What help shows is what the parser accepts.
                Result g = run("grad", call, "--at", op.unary() ? "x=0.5" : "a=0.5,b=0.25");
                assertThat(g.code()).as(call + ": " + g.err()).isZero();
            }
        }
        assertThat(r.out()).contains("pi  e").contains("× for *").contains("x²").contains("-log(p)");
        assertThat(run("help", "grad").out()).isEqualTo(run("grad", "--help").out());
        assertThat(run("help").out()).isEqualTo(run("--help").out());
        assertBad(run("help", "formula"), "no help on 'formula'; did you mean 'formulas'?");
        assertThat(run("help", "--help").out()).startsWith("Usage: backprop help [-h] [TOPIC]");
    }

    // ------------------------------------------------------------ --digits

    @ParameterizedTest
    @ValueSource(strings = {"toy", "deep", "init", "trace", "grad", "fit"})
    void digitsIsValidated(String command) {
        String[] extra = switch (command) {
            case "trace", "grad" -> new String[] {"x", "--at", "x=1"};
            case "fit" -> new String[] {"--demo"};
            default -> new String[0];
        };
        for (String bad : new String[] {"-1", "18", "40", "three", "1.5"}) {
            String[] args = new String[extra.length + 3];
            args[0] = command;
            System.arraycopy(extra, 0, args, 1, extra.length);
            args[extra.length + 1] = "--digits";
            args[extra.length + 2] = bad;
            Result r = run(args);
            assertBad(r, "Invalid value for option '--digits': ");
            assertThat(r.err()).contains(bad.matches("-?[0-9]+") ? "must be between 0 and 17, got " + bad : "is not a whole number");
        }
    }

    @Test
    void gradTakesDigits() {
        Result r = run("grad", "x*sin(y)", "--at", "x=1,y=2", "--digits", "4");
        assertThat(r.code()).as(r.err()).isZero();
        // sin 2 = 0.909297…, cos 2 = -0.416146…
        assertThat(r.out()).isEqualTo("value = 0.9093\n∂value/∂x = 0.9093\n∂value/∂y = -0.4161\n");
        Result full = run("grad", "x*sin(y)", "--at", "x=1,y=2");
        assertThat(full.out()).contains("value = " + Math.sin(2) + "\n").contains("∂value/∂y = " + Math.cos(2) + "\n");
    }

    // ------------------------------------------------------------ numbers on the command line

    @Test
    void atAndInitTakeNanInfPiAndE() {
        Result r = run("grad", "x + y + z", "--at", "x=pi,y=-e,z=+PI", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\"value\": " + (Math.PI + -Math.E + Math.PI) + ",");
        Result special = run("grad", "x*y", "--at", "x=nan,y=-Infinity", "--json");
        assertThat(special.out()).startsWith("{\"value\": NaN, \"gradient\": {\"x\": -Infinity, \"y\": NaN}}");
        Result toy = run("toy", "--x", "pi", "--json");
        assertThat(toy.out()).startsWith("{\"point\": {\"x\": " + Math.PI + ",");
        assertBad(run("grad", "x", "--at", "x=1e400"), "--at 'x': '1e400' is too large for a double");
        assertBad(run("grad", "x", "--at", "x=tau"), "--at 'x': 'tau' is not a number (numbers are written as in a CSV cell: "
                + "2, -0.5, 1e-3, nan, inf, -inf; or pi, e)");
        assertBad(run("toy", "--x", "1e400"), "Invalid value for option '--x': '1e400' is too large for a double");
    }

    @Test
    void csvCellsStillRefuseTheConstants() throws IOException {
        Path csv = dir.resolve("e.csv");
        Files.writeString(csv, "x\npi\n");
        assertBad(run("grad", "x*a", "--data", csv.toString(), "--at", "a=1"), csv + ":2:1: 'pi' is not a number");
    }

    // ------------------------------------------------------------ unused statements and columns

    @Test
    void aStatementTheOutputDoesNotUseIsTracedAsUnused() {
        for (String program : new String[] {"l = x^2; u = 2*z; l", "l = x^2; u = 2*z; v = 3*l"}) {
            Result r = run("trace", program, "--at", "x=1,z=2");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).containsPattern("u = 2\\*z\\s+4\\.000\\s+\\(unused\\)")
                    .contains("(unused): " + (program.endsWith("; l") ? "value" : "v") + " does not depend on this statement");
            assertThat(r.out()).doesNotContainPattern("l = x\\^2 .*unused");
            Result json = run("trace", program, "--at", "x=1,z=2", "--json");
            assertThat(json.out()).contains("\"unused\": [\"u\"]");
        }
        Result used = run("trace", "l = x^2; u = 2*l; u", "--at", "x=1");
        assertThat(used.out()).doesNotContain("unused");
        assertThat(run("trace", "l = x^2; u = 2*l; u", "--at", "x=1", "--json").out()).contains("\"unused\": []");
    }

    @Test
    void fitWarnsWhenADataColumnIsNotUsed() throws IOException {
        String csv = sineCsv().toString();
        Result model = run("fit", "a*sin(b*x)", "--data", csv, "--init", "a=1,b=1.8", "--steps", "2");
        assertThat(model.code()).as(model.err()).isZero();
        assertThat(model.err().lines().toList()).containsExactly("backprop: warning: column 'y' of " + csv
                + " is not used by the formula; fit minimises the formula itself, so it should be a loss such as "
                + "(a*sin(b*x) - y)^2");
        Result loss = run("fit", "(a*sin(b*x) - y)^2", "--data", csv, "--init", "a=1,b=1.8", "--steps", "2");
        assertThat(loss.err()).isEmpty();
    }

    // ------------------------------------------------------------ non-finite JSON

    /** Python's json module writes (and reads back) NaN and ±Infinity as these words: see make_nonfinite.py. */
    @Test
    void jsonWritesNonFiniteNumbersAsPythonDoes() throws IOException {
        String python = Files.readString(Path.of("src/test/resources/json/nonfinite.json"), StandardCharsets.UTF_8).strip();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("value", Double.NaN);
        m.put("gradient", new java.util.LinkedHashMap<>(Map.of("x", Double.POSITIVE_INFINITY)));
        @SuppressWarnings("unchecked")
        Map<String, Object> g = (Map<String, Object>) m.get("gradient");
        g.put("y", Double.NEGATIVE_INFINITY);
        g.put("z", 0.5);
        assertThat(Json.of(m)).isEqualTo(python);
        // log at 0: -∞, and its derivative 1/x = +∞; at -1 NaN. Nothing is lost as null.
        assertThat(run("grad", "log(x)", "--at", "x=0", "--json").out().strip())
                .isEqualTo("{\"value\": -Infinity, \"gradient\": {\"x\": Infinity}}");
        assertThat(run("grad", "log(x)", "--at", "x=-1", "--json").out()).startsWith("{\"value\": NaN,");
    }

    // ------------------------------------------------------------ words and numbers in messages

    @Test
    void countsAreSingularOrPluralAndGrouped() throws IOException {
        assertThat(Text.count(1, "row")).isEqualTo("1 row");
        assertThat(Text.count(0, "row")).isEqualTo("0 rows");
        assertThat(Text.count(1234567, "row")).isEqualTo("1,234,567 rows");
        assertThat(Text.count(2, "batch")).isEqualTo("2 batches");
        assertThat(Text.count(2, "epoch")).isEqualTo("2 epochs");
        assertThat(Text.count(1, "epoch")).isEqualTo("1 epoch");
        assertThat(Text.count(3, "class")).isEqualTo("3 classes");
        assertThat(Text.count(2, "match")).isEqualTo("2 matches");
        assertThat(Text.count(2, "box")).isEqualTo("2 boxes");
        assertThat(Text.count(2, "wish")).isEqualTo("2 wishes");
        Result train = run("train", "--data", sineCsv().toString(), "--inputs", "x", "--targets", "y",
                "--width", "2", "--layers", "1", "--epochs", "2");
        assertThat(train.out()).contains(", 2 epochs, ").doesNotContain("epoches");
        Result deep = run("deep", "--layers", "1", "--width", "1");
        assertThat(deep.out()).contains("K = 1 hidden layer of D = 1 unit,");
        Result init = run("init", "--layers", "1", "--width", "1", "--n", "1");
        assertThat(init.out()).contains("K = 1 layer of D = 1 unit,").contains("over 1 input\n");
        assertThat(Text.shortest(1e-5)).isEqualTo("1e-5");
        assertThat(Text.shortest(2.5e-10)).isEqualTo("2.5e-10");
    }

    @Test
    void oneRowOfDataIsOneRow() throws IOException {
        Path csv = dir.resolve("one.csv");
        Files.writeString(csv, "x\n2\n");
        Result r = run("grad", "x*a", "--data", csv.toString(), "--at", "a=3");
        assertThat(r.out()).contains("(sum over 1 row of ");
    }

    @Test
    void deepAlignsTheColumnsOfEachMatrix() {
        Result r = run("deep", "--no-check");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        int first = 0;
        while (!lines.get(first).startsWith("  ∂ℓ/∂Ω1 = ")) {
            first++;
        }
        List<String> rows = lines.subList(first, first + 6);
        for (String row : rows) {
            assertThat(row).hasSize(rows.get(0).length());
            // Every comma (the end of a column) at the same place in every row.
            assertThat(commas(row)).isEqualTo(commas(rows.get(0)));
        }
    }

    private static List<Integer> commas(String s) {
        List<Integer> at = new java.util.ArrayList<>();
        for (int i = s.indexOf(','); i >= 0; i = s.indexOf(',', i + 1)) {
            at.add(i);
        }
        return at;
    }

    @Test
    void deepWarnsBeforeASlowCheck() {
        assertThat(DeepCommand.slowCheckWarning(5, 6)).isEmpty();
        assertThat(DeepCommand.slowCheckWarning(10, 20)).isEmpty();
        // K = 20, D = 60: 19·(60² + 60) + 60 + 60 (input weights and biases) + 60 + 1 (output) = 69,721
        // parameters, each two forward passes of about as many multiply-adds at 10 ns: 48.6 s.
        assertThat(DeepCommand.slowCheckWarning(20, 60)).hasValue("the finite-difference check runs two forward passes "
                + "for each of the 69,721 parameters; expect about 49 seconds or more (--no-check skips it)");
        assertThat(DeepCommand.slowCheckWarning(1000, 1000).orElseThrow()).contains("expect hours or more");
        Result quiet = run("deep");
        assertThat(quiet.err()).isEmpty();
    }
}
