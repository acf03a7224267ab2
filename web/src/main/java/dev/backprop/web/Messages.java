package dev.backprop.web;

import dev.backprop.io.JsonWriter;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.TreeMap;

/**
 * The pages' texts, from the resource bundles {@code dev/backprop/web/messages*.properties}
 * (English is the base bundle; a language is one more file, and one more entry in {@link #LANGUAGES}).
 * Mathematics and numbers are not in the bundles: they read the same in every language.
 */
final class Messages {
    /** The languages offered by the switch on every page; the first is the default. */
    static final List<String> LANGUAGES = List.of("en", "ru");
    static final String BUNDLE = "dev.backprop.web.messages";

    private Messages() {
    }

    /** The language asked for, if offered; else the default. */
    static String language(String asked) {
        return LANGUAGES.contains(asked) ? asked : LANGUAGES.get(0);
    }

    static ResourceBundle bundle(String lang) {
        String l = language(lang);
        // The base bundle is English: a fallback to the JVM's default locale would make the page's
        // language depend on the machine serving it, not on the link.
        return ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(l),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** Every text of {@code lang} as a JSON object, with the language and the languages offered. */
    static String json(String lang) {
        ResourceBundle b = bundle(lang);
        TreeMap<String, Object> m = new TreeMap<>();
        for (Enumeration<String> keys = b.getKeys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            m.put(k, b.getString(k));
        }
        TreeMap<String, Object> out = new TreeMap<>();
        out.put("lang", language(lang));
        out.put("languages", LANGUAGES);
        out.put("messages", m);
        return JsonWriter.write(out);
    }
}
