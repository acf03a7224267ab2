package dev.backprop.cli;

import dev.backprop.book.Language;
import java.util.Iterator;
import picocli.CommandLine;

/**
 * {@code --lang}: the language of {@code toy}'s and {@code trace}'s headings and captions, one of
 * the core's bundles ({@link Language#available()}); an unknown code is a usage error that names
 * the known ones.
 */
final class Lang implements CommandLine.ITypeConverter<Language> {
    @Override
    public Language convert(String text) {
        try {
            return Language.of(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** The codes for {@code ${COMPLETION-CANDIDATES}} in the help, so a new bundle shows up there by itself. */
    static final class Codes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Language.available().iterator();
        }
    }
}
