package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.io.Columns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkData#sample}, the rows a chart of data on Spark draws: every row in order when there
 * are at most as many as asked for (so the chart is the single machine's), else that many distinct
 * rows of the data, the same for the same seed; and {@link SparkData#pick}, which chooses them,
 * held to numpy (spark/src/test/resources/sample/pick.py).
 */
class SparkSampleTest {
    /** Rows 0 … n − 1 over {@code partitions} partitions: x the row number, y = x² + 1, so a row is known by its x. */
    private static Dataset<Row> numbered(long n, int partitions) {
        return Local.spark().range(0, n, 1, partitions).selectExpr("cast(id as double) as x", "cast(id * id + 1 as double) as y");
    }

    @Test
    void pickChoosesNumpysRows() throws IOException {
        String text;
        try (InputStream in = SparkSampleTest.class.getResourceAsStream("/sample/pick.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(5);
        for (String line : lines) {
            String[] head = line.split(": ")[0].split(" ");
            long[] want = Arrays.stream(line.split(": ")[1].split(" ")).mapToLong(Long::parseLong).toArray();
            long[] got = SparkData.pick(Long.parseLong(head[0]), Integer.parseInt(head[1]), Long.parseLong(head[2]));
            assertThat(got).as(line).containsExactly(want);
        }
    }

    @Test
    void dataNoLargerThanTheSampleComesWholeAndInOrder() {
        Columns points = SparkSumTest.points(1000, 21);
        SparkData data = SparkData.of(SparkSumTest.frame(points, 4), List.of("x", "y"), "points");
        Columns got = data.sample(2000, 0);
        assertThat(got.names()).containsExactly("x", "y");
        assertThat(got.column("x")).containsExactly(points.column("x"));
        assertThat(got.column("y")).containsExactly(points.column("y"));
        // Exactly as many rows as asked for is still every row.
        assertThat(data.sample(1000, 5).column("x")).containsExactly(points.column("x"));
    }

    @Test
    void largerDataGivesThatManyOfItsRowsTheSameForTheSameSeed() {
        SparkData data = SparkData.of(numbered(10_000, 3), List.of("y", "x"), "numbered");
        Columns a = data.sample(2000, 7);
        assertThat(a.rows()).isEqualTo(2000);
        assertThat(a.names()).containsExactly("y", "x");
        double[] x = a.column("x");
        double[] y = a.column("y");
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).as("row %s", x[i]).isEqualTo(x[i] * x[i] + 1); // a row of the data, its columns kept together
            if (i > 0) {
                assertThat(x[i]).isGreaterThan(x[i - 1]); // distinct, in the data's order
            }
        }
        // The rows pick names, from every partition, not the first 2,000.
        long[] rows = SparkData.pick(10_000, 2000, 7);
        assertThat(Arrays.stream(x).mapToLong(v -> (long) v).toArray()).containsExactly(rows);
        assertThat(x[0]).isLessThan(50);
        assertThat(x[x.length - 1]).isGreaterThan(9950);
        assertThat(Arrays.stream(x).average().orElseThrow()).isBetween(4500.0, 5500.0);

        assertThat(data.sample(2000, 7).column("x")).containsExactly(x);
        assertThat(data.sample(2000, 8).column("x")).isNotEqualTo(x);
    }
}
