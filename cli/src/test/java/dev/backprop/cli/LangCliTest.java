package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --lang}: the words change, the numbers, formulas and JSON do not. */
class LangCliTest {
    /** Numbers and derivative symbols, in order: what must be the same in every language. */
    private static final Pattern MATH = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?|∂\\w+/∂\\w+|\\w+ = [^,\\s]+");

    private static List<String> math(String line) {
        List<String> tokens = new ArrayList<>();
        Matcher m = MATH.matcher(line);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /** Line by line, the same numbers and symbols; and at least one line differs (something was translated). */
    private static void sameMathDifferentWords(CliTest.Result en, CliTest.Result ru) {
        assertThat(en.code()).as(en.err()).isZero();
        assertThat(ru.code()).as(ru.err()).isZero();
        List<String> e = en.out().lines().toList();
        List<String> r = ru.out().lines().toList();
        assertThat(r).hasSameSizeAs(e);
        assertThat(e.stream().mapToInt(l -> math(l).size()).sum()).as("numbers compared").isGreaterThan(3);
        for (int k = 0; k < e.size(); k++) {
            assertThat(math(r.get(k))).as("line %d: %s / %s", k + 1, e.get(k), r.get(k)).isEqualTo(math(e.get(k)));
        }
        assertThat(ru.out()).isNotEqualTo(en.out()).doesNotContain("Step ");
    }

    @Test
    void toyInRussian() {
        CliTest.Result en = CliTest.run("toy");
        CliTest.Result ru = CliTest.run("toy", "--lang", "ru");
        sameMathDifferentWords(en, ru);
        assertThat(ru.out()).contains("Функция потерь ℓ = 0.139")
                .contains("Шаг 1: прямой проход").contains("Шаг 2: обратный проход").contains("Шаг 3: производные по параметрам")
                .contains("обратное распространение").contains("аналитическая формула").contains("конечная разность")
                .contains("f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))), ℓ = (f − y)²");
        // the forward and backward tables are the same lines, byte for byte
        String steps = en.out().substring(en.out().indexOf("Step 1"), en.out().indexOf("Step 3"));
        steps.lines().filter(l -> l.startsWith("  ")).forEach(l -> assertThat(ru.out().lines()).contains(l));
    }

    @Test
    void englishIsTheDefault() {
        CliTest.Result en = CliTest.run("toy", "--lang", "en");
        assertThat(en.out()).isEqualTo(CliTest.run("toy").out())
                .contains("Step 1: forward pass (every intermediate stored)")
                .contains("Step 3: parameter derivatives (∂l/∂βk = ∂l/∂fk, ∂l/∂ωk = hk·∂l/∂fk; h0 = x)");
    }

    @Test
    void theToysForwardDifferenceNoteInRussian() {
        CliTest.Result ru = CliTest.run("toy", "--omega2", "50", "--beta1", "5", "--lang", "ru");
        sameMathDifferentWords(CliTest.run("toy", "--omega2", "50", "--beta1", "5"), ru);
        assertThat(ru.out()).contains("∂l/∂beta1: прямая разность отличается на 1.4%; ");
    }

    @Test
    void traceInRussian() {
        String[] args = {"trace", "y = sin(x)*x; z = 3*x", "--at", "x=1.5"};
        CliTest.Result en = CliTest.run(args);
        CliTest.Result ru = CliTest.run(concat(args, "--lang", "ru"));
        sameMathDifferentWords(en, ru);
        assertThat(ru.out()).contains("Градиент по входам").contains("Цепное правило")
                .contains("(не используется): z не зависит от этого шага")
                .contains("  ∂z/∂y = 0 (на пути к z её никто не читает)")
                .contains("  ∂z/∂x = ∂z/∂y·(cos(x)*x + sin(x)) + 3 = 0.000·1.104 + 1.000·3.000 = 3.000");
    }

    @Test
    void traceOfOneStepInRussian() {
        CliTest.Result ru = CliTest.run("trace", "x", "--at", "x=1", "--lang", "ru");
        sameMathDifferentWords(CliTest.run("trace", "x", "--at", "x=1"), ru);
        assertThat(ru.out()).contains("  (выход вычисляется за один шаг)");
    }

    @Test
    void theToyTraceInRussianPrintsTheToysRussianTables() {
        CliTest.Result toy = CliTest.run("toy", "--lang", "ru");
        CliTest.Result trace = CliTest.run("trace", CliTest.TOY, "--at", CliTest.AT, "--lang", "ru");
        String steps = toy.out().substring(toy.out().indexOf("Шаг 1"), toy.out().indexOf("Шаг 3"));
        assertThat(trace.out()).contains(steps.strip());
    }

    @Test
    void jsonIsTheSameInEveryLanguage() {
        assertThat(CliTest.run("toy", "--json", "--lang", "ru").out()).isEqualTo(CliTest.run("toy", "--json").out());
        String[] trace = {"trace", "y = sin(x)*x; z = 3*x", "--at", "x=1.5", "--json"};
        assertThat(CliTest.run(concat(trace, "--lang", "ru")).out()).isEqualTo(CliTest.run(trace).out());
    }

    @Test
    void anUnknownLanguageIsAUsageError() {
        for (String[] args : new String[][] {{"toy", "--lang", "de"}, {"trace", "x", "--at", "x=1", "--lang", "de"}}) {
            CliTest.Result r = CliTest.run(args);
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception")
                    .contains("--lang").contains("unknown language 'de' (available: en, ru)");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
