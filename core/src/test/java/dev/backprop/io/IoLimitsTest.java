package dev.backprop.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad or huge input to the readers: one clear DataException naming the file, in bounded time and memory. */
class IoLimitsTest {

    /** A .npy file whose header dictionary is {@code dict}, version {@code major}, followed by {@code data}. */
    static byte[] npy(int major, String dict, byte[] data) {
        String header = dict + " ".repeat(Math.max(0, 63 - dict.length())) + "\n";
        int pre = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(pre + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    static byte[] f8(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return b.array();
    }

    @Test
    void npyMalformedShapesNameTheFile() {
        assertThatThrownBy(() -> Npy.parse("a.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }", f8(1, 2, 3))))
                .isInstanceOf(DataException.class).hasMessage("a.npy: shape (-3,) is not a list of sizes (non-negative integers)");
        assertThatThrownBy(() -> Npy.parse("a.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (x,), }", f8(1))))
                .isInstanceOf(DataException.class).hasMessageStartingWith("a.npy: shape (x,)");
        assertThatThrownBy(() -> Npy.parse("a.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, "
                + "'shape': (4294967296, 4294967296), }", f8(1))))
                .isInstanceOf(DataException.class).hasMessageStartingWith("a.npy: shape (4294967296, 4294967296) is too large");
        assertThatThrownBy(() -> Npy.parse("a.npy", npy(1, "{'descr': '<f99999999999', 'fortran_order': False, 'shape': (1,), }", f8(1))))
                .isInstanceOf(DataException.class).hasMessageContaining("a.npy: dtype '<f99999999999' is not supported");
    }

    @Test
    void npyPython2ShapeWithLongSuffixReads() {
        assertThat(Npy.parse("a.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3L,), }", f8(1, 2, 3))))
                .containsExactly(1, 2, 3);
    }

    @Test
    void npyVersion2HeaderLengthBeyondAnIntIsRefused() {
        byte[] b = npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8(1));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0xFFFFFFF0); // 4 GB header
        assertThatThrownBy(() -> Npy.parse("b.npy", b)).isInstanceOf(DataException.class)
                .hasMessage("b.npy: .npy header of 4294967280 bytes is too long (numpy writes a few hundred)");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7FFFFFF0); // int overflow in start + length
        assertThatThrownBy(() -> Npy.parse("b.npy", b)).isInstanceOf(DataException.class).hasMessageStartingWith("b.npy: ");
    }

    @Test
    void npyReadsManyValuesAcrossChunks(@TempDir Path dir) throws IOException {
        double[] v = new double[100_003];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i) * i;
        }
        Path p = dir.resolve("big.npy");
        Files.write(p, Npy.encode(v));
        assertThat(Npy.read(p)).containsExactly(v);
    }

    /** A file larger than the heap (sparse: no disk used) is refused by its header, before a value is read. */
    @Test
    void npyLargerThanTheHeapIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
        long values = Runtime.getRuntime().maxMemory() / 8 + 1_000_000;
        byte[] head = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (" + values + ",), }", new byte[0]);
        Path p = dir.resolve("huge.npy");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(head);
            f.setLength(head.length + values * 8);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> Npy.read(p))
                .isInstanceOf(DataException.class).hasMessageStartingWith(p + ": " + values + " values would need")
                .hasMessageContaining("more than the Java heap's").hasMessageContaining("BACKPROP_JAVA_OPTS=-Xmx"));
    }

    @Test
    void csvLargerThanTheHeapIsRefusedBySize(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("huge.csv");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(Runtime.getRuntime().maxMemory() + (1 << 20));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> Csv.read(p))
                .isInstanceOf(DataException.class).hasMessageContaining("bytes of CSV would need").hasMessageContaining("Java heap"));
    }

    @Test
    void textLargerThanTheHeapIsRefusedBySize(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("huge.txt");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(Runtime.getRuntime().maxMemory() / 2);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> Limits.readText(p, "huge.txt"))
                .isInstanceOf(DataException.class).hasMessageStartingWith("huge.txt: " + Runtime.getRuntime().maxMemory() / 2
                        + " bytes of text would need").hasMessageContaining("Java heap"));
    }

    @Test
    void devZeroIsRefusedAtOnce() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThatThrownBy(() -> Csv.read(zero)).isInstanceOf(DataException.class)
                    .hasMessage("/dev/zero:1: not a text file (a NUL character)");
            assertThatThrownBy(() -> Limits.readText(zero, "/dev/zero")).isInstanceOf(DataException.class)
                    .hasMessage("/dev/zero: not a text file (a NUL byte at byte 1)");
            assertThatThrownBy(() -> Npy.read(zero)).isInstanceOf(DataException.class)
                    .hasMessage("/dev/zero: not a NumPy .npy file");
        });
    }

    /** 3·10⁵ columns: the duplicate check was pairwise and each column preallocated 8 KB (over 90 s). */
    @Test
    void csvWideHeaderIsLinear() {
        int n = 300_000;
        StringBuilder h = new StringBuilder();
        StringBuilder r = new StringBuilder();
        for (int i = 0; i < n; i++) {
            h.append(i == 0 ? "" : ",").append('c').append(i);
            r.append(i == 0 ? "" : ",").append(i);
        }
        Columns c = assertTimeoutPreemptively(Duration.ofSeconds(15),
                () -> Csv.read("wide.csv", new StringReader(h + "\n" + r + "\n")));
        assertThat(c.names()).hasSize(n);
        assertThat(c.column("c299999")).containsExactly(299999);
        assertThatThrownBy(() -> Csv.read("wide.csv", new StringReader(h + ",c17\n")))
                .hasMessage("wide.csv:1:300001: column 'c17' appears twice (first as column 18)");
    }

    @Test
    void csvLineEndingsAsReadLine() throws IOException {
        Columns c = Csv.read("d.csv", new StringReader("x,y\r\n1,2\r3,4\n5,6"));
        assertThat(c.column("x")).containsExactly(1, 3, 5);
        assertThatThrownBy(() -> Csv.read("d.csv", new StringReader("x,y\r\n1,2\r\n\r\n3,4\r\n"))).hasMessage("d.csv:3: empty row");
    }

    @Test
    void numbersOneSyntaxForCellsAndArguments() {
        assertThat(Numbers.parse("-.5e1")).isEqualTo(-5);
        assertThat(Numbers.parse("nan")).isNaN();
        assertThat(Numbers.parse("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Numbers.parse("Infinity")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Numbers.parse("1e-400")).isZero();
        for (String s : List.of("1.5f", "0x1p3", "1_000", "1d", "", " 1", "NaNx", "e5")) {
            assertThatThrownBy(() -> Numbers.parse(s)).as(s).isInstanceOf(NumberFormatException.class).hasMessage("is not a number");
        }
        assertThatThrownBy(() -> Numbers.parse("1e400")).hasMessageStartingWith("is too large for a double");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x", "-1e400")).column("x"))
                .hasMessageStartingWith("d.csv:2:1: '-1e400' is too large for a double");
    }

    @Test
    void argumentsAlsoTakeTheConstantsCellsDoNot() {
        assertThat(Numbers.parseArgument("pi")).isEqualTo(Math.PI);
        assertThat(Numbers.parseArgument("-PI")).isEqualTo(-Math.PI);
        assertThat(Numbers.parseArgument("π")).isEqualTo(Math.PI);
        assertThat(Numbers.parseArgument("+e")).isEqualTo(Math.E);
        assertThat(Numbers.parseArgument("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Numbers.parseArgument("2.5")).isEqualTo(2.5);
        assertThatThrownBy(() -> Numbers.parseArgument("1e400")).hasMessageStartingWith("is too large for a double");
        for (String s : List.of("pie", "2pi", "ee", "--pi", "tau")) {
            assertThatThrownBy(() -> Numbers.parseArgument(s)).as(s).hasMessage("is not a number");
        }
        // A cell reading e is kept as text, and fails (not as 2.718…) where the column is used.
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x", "e")).column("x")).hasMessageStartingWith("d.csv:2:1: 'e' is not a number");
    }

    @Test
    void errorMessagesQuoteABoundedPiece() {
        String cell = "z".repeat(1_000_000);
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x", cell)).column("x")).hasMessageContaining("(1000000 characters)")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
        String key = "k".repeat(1_000_000);
        assertThatThrownBy(() -> JsonReader.parse("{\"" + key + "\": 1, \"" + key + "\": 2}", "p.json"))
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }

    /** The reader recursed once per level: a deep document overflowed the stack. */
    @Test
    void jsonNestingCostsHeapNotStack() {
        int n = 1_000_000;
        Object v = JsonReader.parse("[".repeat(n) + "1" + "]".repeat(n), "deep.json");
        for (int i = 0; i < n; i++) {
            v = ((List<?>) v).get(0);
        }
        assertThat(v).isEqualTo(1.0);
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":".repeat(n), "deep.json"))
                .isInstanceOf(DataException.class).hasMessage("deep.json: not valid JSON at character " + (5 * n + 1) + ": unexpected end");
        assertThatThrownBy(() -> JsonReader.parse("[".repeat(n) + "]", "deep.json"))
                .isInstanceOf(DataException.class).hasMessageContaining("expected ']'");
    }

    @Test
    void jsonSiblings() {
        // A repeated key whose first value was null went unnoticed (Map.put returned null).
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": null, \"a\": 1}", "p.json")).hasMessageContaining("key 'a' appears twice");
        assertThatThrownBy(() -> JsonReader.parse("[1e400]", "p.json")).hasMessageContaining("'1e400' is too large for a double");
        assertThat(JsonReader.parse("{\"a\": {\"b\": [1, {}, []]}, \"c\": 2}", "p.json"))
                .isEqualTo(Map.of("a", Map.of("b", List.of(1.0, Map.of(), List.of())), "c", 2.0));
    }
}
