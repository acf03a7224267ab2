package dev.backprop.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The pages' texts: the same keys in every language, and every key a page uses in the bundles. */
class MessagesTest {
    @Test
    void everyKeyExistsInEveryLanguage() {
        Set<String> en = new TreeSet<>(Collections.list(Messages.bundle("en").getKeys()));
        assertThat(en).hasSizeGreaterThan(50);
        for (String lang : Messages.LANGUAGES) {
            ResourceBundle b = Messages.bundle(lang);
            Set<String> own = new TreeSet<>();
            for (String k : Collections.list(b.getKeys())) {
                own.add(k);
            }
            assertThat(own).as(lang).isEqualTo(en);
            Set<String> translated = ownKeys(lang);
            assertThat(translated).as(lang + " defines every key itself").isEqualTo(en);
        }
    }

    /** The keys written in the language's own file, not inherited from the base bundle. */
    static Set<String> ownKeys(String lang) {
        String file = "dev/backprop/web/messages" + (lang.equals("en") ? "" : "_" + lang) + ".properties";
        java.util.Properties p = new java.util.Properties();
        try (InputStream in = MessagesTest.class.getClassLoader().getResourceAsStream(file)) {
            assertThat(in).as(file).isNotNull();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new TreeSet<>(p.stringPropertyNames());
    }

    @Test
    void russianTextsAreRussian() {
        ResourceBundle ru = Messages.bundle("ru");
        assertThat(ru.getString("nav.home")).isEqualTo("Главная");
        assertThat(Messages.bundle("xx").getString("nav.home")).isEqualTo("Home");
    }

    @Test
    void everyKeyThePagesUseIsInTheBundles() throws IOException {
        Set<String> en = ownKeys("en");
        Pattern used = Pattern.compile("data-i18n(?:-title|-placeholder)?=\"([a-z0-9_.]+)\"|BP\\.t\\(\"([a-z0-9_.]+)\"\\)"
                + "|\"((?:nav|home|formula|toy|deep|init|fit|table|check)\\.[a-z0-9_.]+)\"");
        Set<String> seen = new HashSet<>();
        for (String f : List.of("pages/index.html", "pages/formula.html", "pages/toy.html", "pages/deep.html", "pages/init.html",
                "pages/fit.html", "static/common.js", "static/formula.js", "static/toy.js", "static/deep.js", "static/init.js",
                "static/fit.js")) {
            String text;
            try (InputStream in = MessagesTest.class.getClassLoader().getResourceAsStream("dev/backprop/web/" + f)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher m = used.matcher(text);
            while (m.find()) {
                String k = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                seen.add(k);
                assertThat(en).as(f + " uses " + k).contains(k);
            }
        }
        // Keys built from a field's name ("deep." + name): each field of those pages.
        for (String k : List.of("deep.seed", "deep.K", "deep.D", "deep.x", "deep.y", "init.sigma2", "init.K", "init.D")) {
            assertThat(en).contains(k);
        }
        assertThat(seen).hasSizeGreaterThan(80);
    }
}
