package dev.backprop.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.backprop.formula.Formula;
import dev.backprop.formula.FormulaException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutation of valid inputs to the four readers users feed: {@code .npy}, CSV, JSON
 * and formulas. Whatever the bytes, only the documented exception ({@link DataException}, or
 * {@link FormulaException} for formulas) may come out, with a short message, in bounded time.
 *
 * <p>Each reader gets {@code fuzz.tries} inputs (default 2,000: a second or two in all, cheap
 * enough for every build). For a deeper run:
 * {@code mvn -pl core test -Dtest=ReaderFuzzTest -Dfuzz.tries=200000 [-Dfuzz.seed=7]}.
 * A failure names the reader, the seed, the try and the input, so it can be replayed.
 */
class ReaderFuzzTest {
    static final int TRIES = Integer.getInteger("fuzz.tries", 2000);
    static final long SEED = Long.getLong("fuzz.seed", 20261201L);
    /** Per input; generous for a loaded CI machine, far below what a quadratic or runaway read takes. */
    static final long MAX_NANOS = 3_000_000_000L;
    static final int MAX_SIZE = 1 << 16;

    interface Reader {
        void read(byte[] input) throws Exception;
    }

    @Test
    void npy() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Npy.encode(new double[] {1.5, -2, 0, Double.NaN}));
        seeds.add(Npy.encode(new double[0]));
        for (String f : List.of("f8.npy", "f8_col.npy", "f8_big_endian.npy", "i8.npy", "f4.npy", "matrix.npy", "complex.npy")) {
            seeds.add(Files.readAllBytes(IoTest.fixture(f)));
        }
        byte[] v2 = IoLimitsTest.npy(2, "{'descr': '<i2', 'fortran_order': False, 'shape': (2, 1), }", new byte[] {1, 0, 2, 0});
        seeds.add(v2);
        fuzz("npy", seeds, List.of("(", ")", ",", "-1", "3L", "0", "'<f8'", "'>i2'", "'|u1'", "'<f4'", "'shape': (",
                "True", "99999999999999999999", "4294967296", "\u0000", "\u00ff", "\u0002", "'descr'", "{", "}"),
                b -> Npy.parse("f.npy", b), DataException.class);
    }

    @Test
    void csv() {
        List<byte[]> seeds = utf8("x,y\n1,2\n3,4\n", "\uFEFF\"a\", b \r\n+1.,-.5e-1\r\nnan,-inf\r\n\r\n", "x\n1e300\n", "a,b,c\n1,2,3\n");
        fuzz("csv", seeds, List.of(",", "\n", "\r", "\r\n", "\"", "nan", "-inf", "1e400", "1e-400", ".", "e", "+", "\u0000",
                "\uFEFF", " ", "x", "1"),
                b -> Csv.read("d.csv", new StringReader(new String(b, StandardCharsets.UTF_8))), DataException.class);
    }

    @Test
    void json() {
        List<byte[]> seeds = utf8("{\"params\": {\"a\": 1.5, \"b\": -2e-05}, \"loss\": 3, \"steps\": 10}",
                "[1, [2.5, NaN, -Infinity], {\"s\": \"\\u00e9\\n\", \"t\": true, \"n\": null}]", "{}");
        fuzz("json", seeds, List.of("{", "}", "[", "]", "\"", ":", ",", "\\u12", "\\", "NaN", "-Infinity", "1e400", "-", "0",
                "null", "tru", "\u0000", " ", "\"k\":"),
                b -> JsonReader.parse(new String(b, StandardCharsets.UTF_8), "p.json"), DataException.class);
    }

    @Test
    void formula() {
        List<byte[]> seeds = utf8("f0 = beta0 + omega0*x; h1 = sin(f0); f1 = beta1 + omega1*h1\nl = (f1 - y)^2",
                "a = x\nb = a*a # note\nc = pow(b, 2) + max(a, b)", "-x^-2**3 + .5e1 - pi*e", "β₀ = 1; 𝑥*β₀");
        fuzz("formula", seeds, List.of("(", ")", "=", ";", "\n", "^", "**", "*", "-", "e", "pi", "sin(", "pow(", ",", "1e400",
                ".5", "\uFEFF", "\u200B", "#", "𝑥", "\uD835", "a", "x", "1", " "),
                b -> Formula.compile(new String(b, StandardCharsets.UTF_8)), FormulaException.class);
    }

    static List<byte[]> utf8(String... texts) {
        List<byte[]> l = new ArrayList<>();
        for (String t : texts) {
            l.add(t.getBytes(StandardCharsets.UTF_8));
        }
        return l;
    }

    void fuzz(String what, List<byte[]> seeds, List<String> tokens, Reader reader, Class<? extends RuntimeException> documented) {
        Random rnd = new Random(SEED * 31 + what.hashCode());
        List<byte[]> toks = new ArrayList<>();
        for (String t : tokens) {
            toks.add(t.getBytes(t.chars().allMatch(c -> c < 256) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        }
        int errors = 0;
        for (int i = 0; i < TRIES; i++) {
            byte[] input = seeds.get(rnd.nextInt(seeds.size()));
            int rounds = 1 + rnd.nextInt(4);
            for (int k = 0; k < rounds; k++) {
                input = mutate(rnd, input, toks);
            }
            long t0 = System.nanoTime();
            try {
                reader.read(input);
            } catch (Throwable t) {
                if (!documented.isInstance(t)) {
                    fail(what + " (fuzz.seed=" + SEED + ", try " + i + "): " + t + " on input " + show(input), t);
                }
                errors++;
                assertThat(t.getMessage()).as("%s try %d", what, i).isNotBlank().hasSizeLessThan(600);
            }
            long ns = System.nanoTime() - t0;
            if (ns > MAX_NANOS) {
                fail(what + " (fuzz.seed=" + SEED + ", try " + i + "): took " + ns / 1_000_000 + " ms on " + input.length
                        + " bytes: " + show(input));
            }
        }
        // The mutations are neither all harmless nor all fatal: both paths were exercised.
        assertThat(errors).as(what + " inputs refused").isBetween(1, TRIES - 1);
    }

    static byte[] mutate(Random rnd, byte[] in, List<byte[]> tokens) {
        int n = in.length;
        int at = n == 0 ? 0 : rnd.nextInt(n + 1);
        byte[] out;
        switch (rnd.nextInt(7)) {
            case 0 -> { // flip bits of one byte
                if (n == 0) {
                    return in;
                }
                out = in.clone();
                out[Math.min(at, n - 1)] ^= (byte) (1 << rnd.nextInt(8));
            }
            case 1 -> out = splice(in, at, at, new byte[] {(byte) rnd.nextInt(256)});
            case 2 -> out = splice(in, at, at, tokens.get(rnd.nextInt(tokens.size())));
            case 3 -> { // delete a range
                int len = rnd.nextInt(Math.max(1, Math.min(16, n - at + 1)));
                out = splice(in, at, Math.min(n, at + len), new byte[0]);
            }
            case 4 -> { // duplicate a range
                int len = rnd.nextInt(Math.max(1, Math.min(64, n - at + 1)));
                byte[] piece = new byte[Math.min(len, n - at)];
                System.arraycopy(in, at, piece, 0, piece.length);
                out = splice(in, at, at, piece);
            }
            case 5 -> out = splice(in, Math.min(at, n), n, new byte[0]); // truncate
            default -> { // a token repeated many times: deep nesting, long lines
                byte[] t = tokens.get(rnd.nextInt(tokens.size()));
                int times = 1 + rnd.nextInt(Math.max(1, MAX_SIZE / 2 / Math.max(1, t.length)));
                byte[] rep = new byte[t.length * times];
                for (int k = 0; k < times; k++) {
                    System.arraycopy(t, 0, rep, k * t.length, t.length);
                }
                out = splice(in, at, at, rep);
            }
        }
        return out.length > MAX_SIZE ? java.util.Arrays.copyOf(out, MAX_SIZE) : out;
    }

    static byte[] splice(byte[] in, int from, int to, byte[] piece) {
        byte[] out = new byte[in.length - (to - from) + piece.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(piece, 0, out, from, piece.length);
        System.arraycopy(in, to, out, from + piece.length, in.length - to);
        return out;
    }

    /** The input for a failure message: escaped, and cut when long. */
    static String show(byte[] b) {
        StringBuilder sb = new StringBuilder("(" + b.length + " bytes) \"");
        for (int i = 0; i < Math.min(b.length, 200); i++) {
            int c = b[i] & 0xff;
            sb.append(c >= 32 && c < 127 && c != '"' && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.append(b.length > 200 ? "\"…" : "\"").toString();
    }
}
