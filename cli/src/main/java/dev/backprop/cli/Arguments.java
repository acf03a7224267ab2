package dev.backprop.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line arguments as UTF-8. The JVM decodes them with the locale's charset, so under
 * {@code LC_ALL=C} a name like {@code β0} arrives as {@code ??0} or as replacement characters. On
 * Linux the original bytes are in {@code /proc/self/cmdline}: when the locale is not UTF-8 and an
 * argument did not come through intact, they are decoded again as UTF-8.
 */
final class Arguments {
    private Arguments() {
    }

    /** {@code args}, re-decoded as UTF-8 where the locale garbled them; else unchanged. */
    static String[] utf8(String[] args) {
        String jnu = System.getProperty("sun.jnu.encoding", "UTF-8");
        Charset locale;
        try {
            locale = Charset.forName(jnu);
        } catch (RuntimeException e) {
            return args;
        }
        if (locale.equals(StandardCharsets.UTF_8) || !garbled(args)) {
            return args;
        }
        try {
            return fromCmdline(Files.readAllBytes(Path.of("/proc/self/cmdline")), args, locale);
        } catch (IOException | RuntimeException e) {
            return args;
        }
    }

    /** Whether an argument holds what a failed decoding leaves: '?' or U+FFFD. */
    private static boolean garbled(String[] args) {
        for (String a : args) {
            if (a.indexOf('?') >= 0 || a.indexOf('\uFFFD') >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The last {@code args.length} NUL-terminated entries of {@code cmdline}, decoded as UTF-8,
     * provided each, decoded with {@code locale} as the JVM did, gives the argument we were given
     * (so they are our arguments, not the JVM's options); else {@code args}.
     */
    static String[] fromCmdline(byte[] cmdline, String[] args, Charset locale) {
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                byte[] e = new byte[i - start];
                System.arraycopy(cmdline, start, e, 0, e.length);
                entries.add(e);
                start = i + 1;
            }
        }
        if (entries.size() < args.length) {
            return args;
        }
        String[] out = new String[args.length];
        int first = entries.size() - args.length;
        for (int k = 0; k < args.length; k++) {
            byte[] e = entries.get(first + k);
            if (!new String(e, locale).equals(args[k])) {
                return args;
            }
            try {
                out[k] = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(e)).toString();
            } catch (CharacterCodingException ex) {
                out[k] = args[k];
            }
        }
        return out;
    }
}
