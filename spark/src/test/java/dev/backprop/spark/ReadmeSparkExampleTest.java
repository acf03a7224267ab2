package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.formula.Formula;
import dev.backprop.optim.Optimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The README's Spark example, run: its lines are this test's, and the README quotes them
 * (checked below), so the two cannot drift apart. On examples/sine.csv (y = 1.5·sin 2x + noise)
 * Newton's method finds a ≈ 1.5, b ≈ 2 in 8 steps, as the single-machine command does.
 */
class ReadmeSparkExampleTest {
    @Test
    void runsAsTheReadmeShowsIt() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String csv = root.resolve("examples/sine.csv").toString();
        Local.spark();
        // -- the README's lines, with the file's path made absolute:
        SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
        Dataset<Row> rows = spark.read().option("header", true).csv(csv);
        Formula loss = Formula.compile("(a*sin(b*x) - y)^2");
        SparkSum sum = SparkSum.of(loss, List.of("x", "y"));
        SparkSum.Result r = sum.gradient(SparkData.of(rows, sum.columns(), csv), Map.of("a", 1.0, "b", 2.0));
        System.out.println(r.n() + " rows, loss " + r.sum() + ", gradient " + r.gradient());
        try (SparkFit fit = SparkFit.of(loss, rows, csv, List.of("a", "b"))) {
            FitResult f = fit.fit(Map.of("a", 1.0, "b", 1.8), Optimizer.newton(1.0), Schedule.steps(8),
                    Progress.NONE, new AtomicBoolean());
            System.out.println(f.paramMap() + ", loss " + f.loss());
            // -- end
            assertThat(f.paramMap().get("a")).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.01));
            assertThat(f.paramMap().get("b")).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
        }
        assertThat(r.n()).isEqualTo(Files.readAllLines(Path.of(csv)).size() - 1);
        String readme = Files.readString(root.resolve("README.md"));
        for (String line : List.of(
                "Formula loss = Formula.compile(\"(a*sin(b*x) - y)^2\");",
                "SparkSum sum = SparkSum.of(loss, List.of(\"x\", \"y\"));",
                "FitResult f = fit.fit(Map.of(\"a\", 1.0, \"b\", 1.8), Optimizer.newton(1.0), Schedule.steps(8),",
                "try (SparkFit fit = SparkFit.of(loss, rows, \"examples/sine.csv\", List.of(\"a\", \"b\"))) {")) {
            assertThat(readme).contains(line);
        }
    }
}
