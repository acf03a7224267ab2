package dev.backprop.book;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The language the notebooks' texts are printed in: step headings, table captions, column titles
 * and summary lines, never the mathematics or the numbers.
 *
 * <p>The texts are the resource bundle {@value #BUNDLE}: {@code dev/backprop/book/text.properties}
 * (English, the default) and one {@code text_<language>.properties} per translation, UTF-8, each
 * key in every file. A third language is one more file beside them: {@link #available()} finds it.
 * A text's {@code {0}}, {@code {1}}, … are filled with already formatted strings (see {@link
 * #text(String, Object...)}), so a number reads the same in every language.
 *
 * <p>The bundles are read here rather than through {@code ResourceBundle.getBundle}, for two
 * reasons: {@code getBundle} falls back to the JVM's default locale, so English would turn Russian on
 * a Russian machine; and a {@code ResourceBundle.Control} that would prevent it is refused inside a
 * named module, which this library is. Another module (the command line, a web page) takes its
 * texts from {@link #of(String)}.
 */
public final class Language {
    /** The bundle's base name. */
    public static final String BUNDLE = "dev.backprop.book.text";
    /** The default language, whose file has no suffix. */
    public static final String DEFAULT = "en";

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{(\\d)\\}");
    private static final Map<String, Language> LOADED = new ConcurrentHashMap<>();

    private final String code;
    private final ResourceBundle bundle;

    private Language(String code, ResourceBundle bundle) {
        this.code = code;
        this.bundle = bundle;
    }

    /** English, the default. */
    public static Language english() {
        return of(DEFAULT);
    }

    /**
     * The language with the two-letter ISO 639 code {@code code} ({@code en}, {@code ru}), case-insensitive.
     *
     * @throws IllegalArgumentException when there is no bundle for it; the message names the ones there are
     */
    public static Language of(String code) {
        String c = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
        if (!c.matches("[a-z]{2}") || !(c.equals(DEFAULT) || exists(c))) {
            throw new IllegalArgumentException("unknown language '" + code + "' (available: "
                    + String.join(", ", available()) + ")");
        }
        return LOADED.computeIfAbsent(c, Language::load);
    }

    /** The codes with a bundle: {@value #DEFAULT} first, then the translations alphabetically. */
    public static List<String> available() {
        return Available.CODES;
    }

    /** Looked up once, when first asked (help and errors ask; a plain run does not). */
    private static final class Available {
        static final List<String> CODES = find();
    }

    private static List<String> find() {
        List<String> codes = new ArrayList<>();
        codes.add(DEFAULT);
        // ResourceBundle cannot list its locales, so ask for every ISO 639 code's file (about 190
        // lookups, some 50 ms on a cold JVM): that keeps "a new language is one file" true
        for (String c : Locale.getISOLanguages()) {
            if (!c.equals(DEFAULT) && exists(c)) {
                codes.add(c);
            }
        }
        return Collections.unmodifiableList(codes);
    }

    /** The two-letter ISO 639 code: {@code en}, {@code ru}. */
    public String code() {
        return code;
    }

    /** The texts, falling back to English for a key a translation lacks (tests keep that from happening). */
    public ResourceBundle bundle() {
        return bundle;
    }

    /**
     * The text for {@code key} with {@code {0}}, {@code {1}}, … replaced by {@code args} (as
     * {@code String.valueOf}). Unlike {@code MessageFormat}, nothing else is special: an apostrophe
     * is an apostrophe, and numbers are never reformatted, so callers pass them formatted.
     *
     * @throws java.util.MissingResourceException for a key no bundle has
     */
    public String text(String key, Object... args) {
        // one pass, so an argument that happens to contain "{1}" is left as it is
        return PLACEHOLDER.matcher(bundle.getString(key)).replaceAll(m -> {
            int k = Integer.parseInt(m.group(1));
            return java.util.regex.Matcher.quoteReplacement(k < args.length ? String.valueOf(args[k]) : m.group());
        });
    }

    @Override
    public String toString() {
        return code;
    }

    private static String file(String code) {
        return code.equals(DEFAULT) ? "text.properties" : "text_" + code + ".properties";
    }

    private static boolean exists(String code) {
        return Language.class.getResource(file(code)) != null;
    }

    private static Language load(String code) {
        ResourceBundle english = read(DEFAULT, null);
        return new Language(code, code.equals(DEFAULT) ? english : read(code, english));
    }

    private static ResourceBundle read(String code, ResourceBundle parent) {
        try (InputStream in = Language.class.getResourceAsStream(file(code))) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + file(code) + " beside " + Language.class.getName());
            }
            return new Bundle(new InputStreamReader(in, StandardCharsets.UTF_8), parent,
                    code.equals(DEFAULT) ? Locale.ROOT : Locale.forLanguageTag(code));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A properties bundle with its parent and locale set, as {@code getBundle} would set them. */
    private static final class Bundle extends PropertyResourceBundle {
        private final Locale locale;

        Bundle(java.io.Reader in, ResourceBundle parent, Locale locale) throws IOException {
            super(in);
            this.locale = locale;
            if (parent != null) {
                setParent(parent);
            }
        }

        @Override
        public Locale getLocale() {
            return locale;
        }
    }
}
