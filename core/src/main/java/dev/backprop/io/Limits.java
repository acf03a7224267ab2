package dev.backprop.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.AccessDeniedException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Reading user files in bounded memory and time: refuse by size, before reading, what obviously
 * cannot fit in the Java heap; read what is not a regular file (a pipe, {@code /dev/zero}) with a
 * bound; and keep what error messages quote short. Every refusal is a {@link DataException}
 * naming the file.
 */
public final class Limits {
    /** Characters of user text an error message quotes before cutting it with "…". */
    public static final int QUOTE = 60;

    private Limits() {
    }

    /**
     * Refuses {@code bytes} of data that obviously cannot fit: more than the Java heap's maximum.
     * (What might fit is tried; the readers turn a failed allocation into a {@link DataException}.)
     *
     * @param what what needs the memory, for the message ({@code data.npy: 3000000000 values})
     * @throws DataException saying how much is needed, how much there is, and how to get more
     */
    public static void requireHeap(long bytes, String what) {
        long max = Runtime.getRuntime().maxMemory();
        if (bytes < 0 || bytes > max) {
            throw new DataException(what + " would need " + megabytes(bytes) + " of memory, more than the Java heap's "
                    + megabytes(max) + "; " + moreMemory(bytes));
        }
    }

    /** The advice when memory runs out: {@code give Java more, e.g. BACKPROP_JAVA_OPTS=-Xmx16g}. */
    public static String moreMemory(long bytes) {
        return "give Java more, e.g. BACKPROP_JAVA_OPTS=-Xmx" + suggestGigabytes(bytes) + "g";
    }

    /** The message for a reader that ran out of memory part way. */
    static DataException outOfMemory(String name) {
        long max = Runtime.getRuntime().maxMemory();
        return new DataException(name + ": too large for the Java heap (" + megabytes(max) + "); " + moreMemory(2 * max));
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "more than 8 EB" : String.format(java.util.Locale.ROOT, "%,d MB", (bytes + (1 << 20) - 1) / (1 << 20));
    }

    private static long suggestGigabytes(long bytes) {
        return bytes < 0 ? 64 : Math.max(2, (long) Math.ceil(bytes * 1.5 / (1L << 30)));
    }

    /**
     * Reads a whole text file as UTF-8, refusing a file whose text could not be held in the heap,
     * stopping a stream of unknown size ({@code /dev/zero}, a pipe) at that bound, and refusing
     * binary data (a NUL byte) or bytes that are not UTF-8. A leading byte-order mark is dropped.
     *
     * @param name how messages call the file
     */
    public static String readText(Path file, String name) {
        try {
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                // The bytes, the text decoded from them, and at least as much again for what a parser builds.
                requireHeap(Math.multiplyExact(size, 4), name + ": " + size + " bytes of text");
            } else if (Files.isDirectory(file)) {
                throw new DataException(name + ": is a folder, not a file");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return readText(in, name);
            }
        } catch (OutOfMemoryError e) {
            throw outOfMemory(name);
        } catch (NoSuchFileException e) {
            throw new DataException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DataException(name + ": permission denied");
        } catch (ArithmeticException e) {
            throw new DataException(name + ": too large");
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads a stream as UTF-8 text with the same bounds as {@link #readText(Path, String)}. */
    public static String readText(InputStream in, String name) throws IOException {
        long bound = Math.min(Integer.MAX_VALUE - 16, Math.max(1 << 16, Runtime.getRuntime().maxMemory() / 8));
        byte[] buf = new byte[8192];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n >= bound) {
                    throw new DataException(name + ": more than " + n + " bytes of text, more than the Java heap can hold "
                            + "(" + megabytes(Runtime.getRuntime().maxMemory()) + "); is it the right file?");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(bound, 2L * n));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            for (int i = n; i < n + r; i++) {
                if (buf[i] == 0) {
                    throw new DataException(name + ": not a text file (a NUL byte at byte " + (i + 1) + ")");
                }
            }
            n += r;
        }
        int from = n >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, from, n - from)).toString();
        } catch (CharacterCodingException e) {
            throw new DataException(name + ": not UTF-8 text");
        }
    }

    /**
     * User text for an error message, quoted and cut to {@link #QUOTE} characters:
     * {@code 'abc'}, or {@code 'abcdef…' (1000000 characters)}.
     */
    public static String quote(String s) {
        if (s.length() <= QUOTE) {
            return "'" + s + "'";
        }
        int end = QUOTE;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return "'" + s.substring(0, end) + "…' (" + s.length() + " characters)";
    }

    /** A name for a message, as it is when short, else {@link #quote quoted and cut}. */
    public static String shortName(String s) {
        return s.length() > QUOTE ? quote(s) : s;
    }

    /**
     * Named values for a message or a {@code toString()}, {@code x=1.5, y=-2.0}: all of them when
     * few, else the first ten and how many in all, so the text stays short however many there are.
     * Each value prints as {@link String#valueOf(Object)} does.
     *
     * @param entries the names and values, in the order to print them
     * @return the text
     */
    public static String entries(Map<String, ?> entries) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (Map.Entry<String, ?> e : entries.entrySet()) {
            if (k == 10) {
                return sb.append(", … (").append(entries.size()).append(" in all)").toString();
            }
            sb.append(k++ == 0 ? "" : ", ").append(shortName(String.valueOf(e.getKey()))).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    /** Names for an error message: all of them when few, else the first ten and how many in all. */
    public static String list(Collection<String> names) {
        StringBuilder sb = new StringBuilder();
        Iterator<String> it = names.iterator();
        for (int k = 0; it.hasNext(); k++) {
            String s = it.next();
            if (k == 10) {
                return sb.append(", … (").append(names.size()).append(" in all)").toString();
            }
            sb.append(k == 0 ? "" : ", ").append(shortName(s));
        }
        return sb.toString();
    }
}
