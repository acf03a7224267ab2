package dev.backprop.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoTest {

    static Path fixture(String name) {
        try {
            return Path.of(IoTest.class.getResource("/io/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static final double[] VALUES = {0.5, -1.25, 3.0e-7, 1e300, -0.0, 2.0 / 3.0};

    @Test
    void readsNumpysOwnFiles() throws IOException {
        assertThat(Npy.read(fixture("f8.npy"))).containsExactly(VALUES);
        assertThat(Npy.read(fixture("f8_col.npy"))).containsExactly(VALUES);
        assertThat(Npy.read(fixture("f8_big_endian.npy"))).containsExactly(VALUES);
        assertThat(Npy.read(fixture("i8.npy"))).containsExactly(1, -2, 3);
        double[] f4 = Files.readAllLines(fixture("f4_expected.txt")).stream().mapToDouble(Double::parseDouble).toArray();
        assertThat(Npy.read(fixture("f4.npy"))).containsExactly(f4);
    }

    @Test
    void rejectsWhatIsNotAColumnOfNumbers() {
        assertThatThrownBy(() -> Npy.read(fixture("matrix.npy"))).isInstanceOf(DataException.class)
                .hasMessageEndingWith("matrix.npy: shape (2, 3) is not one column; expected (n,), (n, 1) or (1, n)");
        assertThatThrownBy(() -> Npy.read(fixture("complex.npy"))).hasMessageContaining("dtype '<c16' is not supported");
        assertThatThrownBy(() -> Npy.read(fixture("make_fixtures.py"))).hasMessageContaining("not a NumPy .npy file");
        assertThatThrownBy(() -> Npy.read(Path.of("/no/such.npy"))).hasMessage("/no/such.npy: no such file");
    }

    @Test
    void columnsOfDifferentLengthsAreAnError() {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("x", fixture("f8.npy"));
        files.put("y", fixture("i8.npy"));
        assertThatThrownBy(() -> Npy.read(files)).hasMessageContaining("i8.npy: has 3 values but").hasMessageContaining("f8.npy has 6");
    }

    @Test
    void encodeRoundTrips(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("a.npy");
        Files.write(p, Npy.encode(VALUES));
        assertThat(Npy.read(p)).containsExactly(VALUES);
    }

    @Test
    void csvReadsHeaderAndColumns() {
        Columns c = Csv.parse("d.csv", List.of("x, y", "1, 2.5", "-3e2,.5", "nan,-inf", "", ""));
        assertThat(c.names()).containsExactly("x", "y");
        assertThat(c.rows()).isEqualTo(3);
        assertThat(c.column("x")).containsExactly(1, -300, Double.NaN);
        assertThat(c.column("y")).containsExactly(2.5, 0.5, Double.NEGATIVE_INFINITY);
    }

    @Test
    void csvErrorsNameFileLineAndColumn() {
        // A cell that is not a number makes its column text: the error comes when the column is used.
        Columns notNumber = Csv.parse("d.csv", List.of("x,y", "1,2", "3,abc"));
        assertThatThrownBy(() -> notNumber.column("y"))
                .isInstanceOf(DataException.class).hasMessage("d.csv:3:2: 'abc' is not a number (column y)");
        assertThatThrownBy(() -> notNumber.copyTo("y", 0, new double[2], 0, 2))
                .isInstanceOf(DataException.class).hasMessage("d.csv:3:2: 'abc' is not a number (column y)");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x,y", "1,2,3")))
                .hasMessage("d.csv:2: row has 3 cells, the header has 2");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x,y", "1,2", "", "3,4")))
                .hasMessage("d.csv:3: empty row");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x,y", "1,")).column("y"))
                .hasMessage("d.csv:2:2: '' is not a number (column y)");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x,x")))
                .hasMessage("d.csv:1:2: column 'x' appears twice (first as column 1)");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of()))
                .hasMessageContaining("d.csv: empty file");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x", "1.5f")).column("x"))
                .hasMessage("d.csv:2:1: '1.5f' is not a number (column x)");
    }

    /** An iris-style species column: listed, not numeric, harmless until used; the numbers around it are read. */
    @Test
    void csvKeepsATextColumnAsideUntilItIsUsed() {
        Columns c = Csv.parse("iris.csv", List.of("sepal,species,petal", "5.1,setosa,1.4", "7.0,versicolor,4.7",
                "6.3,3,6.0"));
        assertThat(c.names()).containsExactly("sepal", "species", "petal");
        assertThat(c.rows()).isEqualTo(3);
        assertThat(c.has("species")).isTrue();
        assertThat(c.isNumeric("species")).isFalse();
        assertThat(c.isNumeric("sepal")).isTrue();
        assertThat(c.isNumeric("nope")).isFalse();
        assertThat(c.column("sepal")).containsExactly(5.1, 7.0, 6.3);
        assertThat(c.column("petal")).containsExactly(1.4, 4.7, 6.0);
        // The first cell that is not a number is the one named, even when later cells are numbers.
        assertThatThrownBy(() -> c.column("species")).isInstanceOf(DataException.class)
                .hasMessage("iris.csv:2:2: 'setosa' is not a number (column species)");
        assertThatThrownBy(() -> c.column("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("columns: sepal, species, petal");
        // Only text: the rows are still counted.
        Columns words = Csv.parse("w.csv", List.of("a,b", "x,y", "z,w"));
        assertThat(words.rows()).isEqualTo(2);
        assertThat(words.names()).containsExactly("a", "b");
    }

    /** A text column turned so after many rows (past the arrays' growth) leaves the numeric columns whole. */
    @Test
    void csvTextColumnLateInALongFile() {
        List<String> lines = new java.util.ArrayList<>(List.of("x,label"));
        for (int i = 0; i < 1000; i++) {
            lines.add(i + "," + (i == 700 ? "seven hundred" : Integer.toString(i % 3)));
        }
        Columns c = Csv.parse("long.csv", lines);
        assertThat(c.rows()).isEqualTo(1000);
        double[] x = c.column("x");
        assertThat(x[999]).isEqualTo(999.0);
        assertThat(x[0]).isEqualTo(0.0);
        assertThatThrownBy(() -> c.column("label")).hasMessage("long.csv:702:2: 'seven hundred' is not a number (column label)");
    }

    @Test
    void csvBlankLinesAndByteOrderMark() {
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("", "x,y", "1,2")))
                .hasMessage("d.csv:1:1: empty column name in the header");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("", " ")))
                .hasMessageContaining("d.csv: empty file");
        assertThatThrownBy(() -> Csv.parse("d.csv", List.of("x,y", "1,2", " ", "", "3,4")))
                .hasMessage("d.csv:3: empty row");
        Columns c = Csv.parse("d.csv", List.of("\uFEFF\"x\", y ", " +1. ,\t-.5e-1", "007,1E+2", "  "));
        assertThat(c.names()).containsExactly("x", "y");
        assertThat(c.column("x")).containsExactly(1, 7);
        assertThat(c.column("y")).containsExactly(-0.05, 100);
    }

    /** The hand-written scan for decimals accepts exactly what the grammar's regular expression does. */
    @Property(tries = 3000)
    void csvDecimalScanAgreesWithTheGrammar(@ForAll @StringLength(max = 8) @Chars({'0', '1', '9', '+', '-', '.', 'e', 'E'}) String s) {
        boolean grammar = java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)")
                .matcher(s).matches();
        assertThat(Csv.isDecimal(s)).as("'%s'", s).isEqualTo(grammar);
    }

    @Test
    void csvReadsAFileOfManyRows(@TempDir Path dir) throws IOException {
        StringBuilder sb = new StringBuilder("a,b\n");
        java.util.Random rnd = new java.util.Random(5);
        double[] a = new double[5000];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20);
            sb.append(a[i]).append(',').append(i).append('\n');
        }
        Path p = dir.resolve("many.csv");
        Files.writeString(p, sb.append("\n\n"));
        Columns c = Csv.read(p);
        assertThat(c.rows()).isEqualTo(a.length);
        assertThat(c.column("a")).containsExactly(a);
        assertThat(c.column("b")[4999]).isEqualTo(4999);
    }

    @Test
    void csvWriteRoundTrips(@TempDir Path dir) throws IOException {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("x", VALUES);
        m.put("y", VALUES.clone());
        StringWriter w = new StringWriter();
        Csv.write(w, m);
        Path p = dir.resolve("d.csv");
        Files.writeString(p, w.toString());
        Columns c = Csv.read(p);
        assertThat(c.column("x")).containsExactly(VALUES);
        assertThat(c.column("y")).containsExactly(VALUES);
    }
}
