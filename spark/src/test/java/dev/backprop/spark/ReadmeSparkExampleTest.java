package dev.backprop.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.fit.FitResult;
import dev.backprop.fit.NetworkFit;
import dev.backprop.fit.Progress;
import dev.backprop.fit.Schedule;
import dev.backprop.formula.Formula;
import dev.backprop.nn.Init;
import dev.backprop.optim.Optimizer;
import dev.backprop.random.RandomState;
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
 * Newton's method finds a ≈ 1.5, b ≈ 2 in 8 steps, as the single-machine command does; on
 * examples/spirals.csv 50 Adam steps of a classifier lower its loss and raise its accuracy.
 */
class ReadmeSparkExampleTest {
    @Test
    void runsAsTheReadmeShowsIt() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String csv = root.resolve("examples/sine.csv").toString();
        String spirals = root.resolve("examples/spirals.csv").toString();
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
            assertThat(f.paramMap().get("a")).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.01));
            assertThat(f.paramMap().get("b")).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
        }
        Dataset<Row> points = spark.read().option("header", true).csv(spirals);
        try (SparkNetworkFit net = SparkNetworkFit.classifier(points, spirals, List.of("x1", "x2"), "label", 0)) {
            NetworkFit.Trained t = net.fit(Init.he(new RandomState(0), 2, 16, 2, 2), Optimizer.adam(0.01), Schedule.steps(50),
                    Progress.NONE, new AtomicBoolean());
            System.out.println("accuracy " + t.initialAccuracy() + " → " + t.accuracy() + ", loss " + t.result().loss());
            // -- end
            assertThat(t.accuracy()).isGreaterThan(t.initialAccuracy());
            assertThat(t.result().loss()).isLessThan(t.result().initialLoss());
        }
        assertThat(r.n()).isEqualTo(Files.readAllLines(Path.of(csv)).size() - 1);
        String readme = Files.readString(root.resolve("README.md"));
        for (String line : List.of(
                "Formula loss = Formula.compile(\"(a*sin(b*x) - y)^2\");",
                "SparkSum sum = SparkSum.of(loss, List.of(\"x\", \"y\"));",
                "FitResult f = fit.fit(Map.of(\"a\", 1.0, \"b\", 1.8), Optimizer.newton(1.0), Schedule.steps(8),",
                "try (SparkFit fit = SparkFit.of(loss, rows, \"examples/sine.csv\", List.of(\"a\", \"b\"))) {",
                "try (SparkNetworkFit net = SparkNetworkFit.classifier(points, \"examples/spirals.csv\", List.of(\"x1\", \"x2\"), \"label\", 0)) {",
                "NetworkFit.Trained t = net.fit(Init.he(new RandomState(0), 2, 16, 2, 2), Optimizer.adam(0.01), Schedule.steps(50),")) {
            assertThat(readme).contains(line);
        }
    }
}
