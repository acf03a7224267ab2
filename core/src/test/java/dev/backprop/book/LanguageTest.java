package dev.backprop.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The notebooks' texts: every language has every key, and nothing but the words changes. */
class LanguageTest {
    /** One file as written, without the English parent a bundle falls back to. */
    private static Properties file(String code) throws IOException {
        String name = code.equals(Language.DEFAULT) ? "text.properties" : "text_" + code + ".properties";
        Properties p = new Properties();
        try (InputStream in = Language.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    private static Set<String> placeholders(String text) {
        Set<String> s = new TreeSet<>();
        Matcher m = Pattern.compile("\\{\\d\\}").matcher(text);
        while (m.find()) {
            s.add(m.group());
        }
        return s;
    }

    @Test
    void englishAndRussianAreThere() {
        assertThat(Language.available()).startsWith("en").contains("ru");
    }

    @Test
    void everyLanguageHasExactlyTheEnglishKeysWithTheSamePlaceholders() throws IOException {
        Properties english = file("en");
        assertThat(english.stringPropertyNames()).contains("step1", "step2", "toy.step3", "trace.gradient");
        for (String code : Language.available()) {
            Properties p = file(code);
            assertThat(p.stringPropertyNames()).as(code).isEqualTo(english.stringPropertyNames());
            for (String key : english.stringPropertyNames()) {
                assertThat(placeholders(p.getProperty(key))).as(code + " " + key)
                        .isEqualTo(placeholders(english.getProperty(key)));
                assertThat(p.getProperty(key)).as(code + " " + key).isNotBlank();
            }
        }
    }

    @Test
    void theRussianTextsAreRussian() throws IOException {
        Properties ru = file("ru");
        // a key copied over from English untranslated would pass the key check; this catches it
        for (String key : ru.stringPropertyNames()) {
            assertThat(ru.getProperty(key)).as(key).containsPattern("\\p{IsCyrillic}");
        }
        assertThat(Language.of("ru").text("step1")).startsWith("Шаг 1: прямой проход");
        assertThat(Language.of("ru").text("toy.loss", "0.139")).isEqualTo("Функция потерь ℓ = 0.139");
    }

    @Test
    void englishIsTheDefaultWhateverTheMachinesLocale() {
        Locale before = Locale.getDefault();
        try {
            // ResourceBundle.getBundle would pick text_ru for English here: its fallback is the default locale
            Locale.setDefault(Locale.forLanguageTag("ru-RU"));
            assertThat(Language.english().text("step1")).isEqualTo("Step 1: forward pass (every intermediate stored)");
            assertThat(Language.of("en").bundle().getString("step2")).isEqualTo("Step 2: backward pass (chain rule in reverse)");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void codesAreCaseInsensitive() {
        assertThat(Language.of(" RU ").code()).isEqualTo("ru");
        assertThat(Language.of("ru").bundle().getLocale()).isEqualTo(Locale.forLanguageTag("ru"));
    }

    @Test
    void anUnknownLanguageIsRefusedNamingTheKnownOnes() {
        for (String bad : new String[] {"de", "", "../text", "en_US", "text_ru.properties"}) {
            assertThatThrownBy(() -> Language.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown language '" + bad + "' (available: " + String.join(", ", Language.available()) + ")");
        }
        assertThatThrownBy(() -> Language.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void placeholdersAreFilledOnceAndNothingElseIsSpecial() {
        Language en = Language.english();
        // an argument that looks like a placeholder stays as it is; $ and \ are not regex syntax here
        assertThat(en.text("toy.forwardDifferenceOff", "∂l/∂beta1", "{2}", "$1 \\ it's"))
                .isEqualTo("∂l/∂beta1: the forward difference is {2}% off; $1 \\ it's.");
        // the apostrophe that MessageFormat would swallow
        assertThat(en.text("trace.chainRule")).contains("that step's adjoint").contains("\n");
    }
}
