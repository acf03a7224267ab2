package dev.backprop.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.fit.NetworkFit;
import dev.backprop.fit.Schedule;
import dev.backprop.io.Columns;
import dev.backprop.io.Csv;
import dev.backprop.io.DataException;
import dev.backprop.optim.Optimizer;
import dev.backprop.random.RandomState;
import dev.backprop.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved-network file and its use: what train --out writes, train --init and predict read. */
class ModelTest {
    @TempDir
    Path dir;

    static final Network NET = Init.he(new RandomState(4), 2, 5, 2, 3);

    @Test
    void savedAndLoadedExactly() throws IOException {
        Model m = Model.classifier(NET, List.of("x1", "x2"), "species");
        Path file = dir.resolve("net.json");
        m.save(file);
        Model back = Model.load(file);
        assertThat(back.isClassifier()).isTrue();
        assertThat(back.classes()).isEqualTo(3);
        assertThat(back.inputs()).containsExactly("x1", "x2");
        assertThat(back.targets()).containsExactly("species");
        for (int k = 0; k <= NET.layers(); k++) {
            assertThat(back.network().weight(k).toArray()).containsExactly(NET.weight(k).toArray());
            assertThat(back.network().bias(k).toArray()).containsExactly(NET.bias(k).toArray());
        }
        assertThat(back.toJson()).isEqualTo(m.toJson());
        assertThat(Files.readString(file)).isEqualTo(m.toJson() + "\n");
        // Written through a temporary file and a rename: nothing else is left in the folder.
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        // Saving again replaces the file.
        Model.regression(NET, List.of("a", "b"), List.of("y1", "y2", "y3")).save(file);
        assertThat(Model.load(file).isClassifier()).isFalse();
        assertThat(Model.load(file).classes()).isZero();
    }

    @Test
    void theFileIsTheDocumentedObject() {
        Network tiny = new Network(List.of(Tensor.matrix(new double[][] {{1, 2}}), Tensor.matrix(new double[][] {{3}, {-4}})),
                List.of(Tensor.column(0.5), Tensor.column(0, 0.25)));
        assertThat(Model.classifier(tiny, List.of("a", "b"), "label").toJson()).isEqualTo(
                "{\"inputs\": [\"a\", \"b\"], \"targets\": [\"label\"], \"classifier\": true, \"classes\": 2, "
                        + "\"params\": {\"omega0\": [[1.0, 2.0]], \"beta0\": [0.5], \"omega1\": [[3.0], [-4.0]], \"beta1\": [0.0, 0.25]}}");
        assertThat(Model.regression(tiny, List.of("a", "b"), List.of("u", "v")).toMap()).doesNotContainKey("classes")
                .containsEntry("classifier", false);
    }

    @Test
    void theShapesMustAgree() {
        assertThatThrownBy(() -> Model.classifier(NET, List.of("x1"), "label")).hasMessage("1 input columns for a network of 2 inputs");
        assertThatThrownBy(() -> Model.regression(NET, List.of("x1", "x2"), List.of("y"))).hasMessage("1 target columns for a network of 3 outputs");
        assertThatThrownBy(() -> Model.classifier(NET, List.of("x", "x"), "label")).hasMessageContaining("named twice");
    }

    private static Model parse(String text) {
        return Model.fromJson(text, "m.json");
    }

    @Test
    void aFileThatIsNotANetworkSaysWhatIsWrong() {
        String params = "\"params\": {\"omega0\": [[1.0, 2.0]], \"beta0\": [0.5]}";
        assertThatThrownBy(() -> parse("{\"params\": {\"a\": 1.0}, \"loss\": 2.0}")).isInstanceOf(DataException.class)
                .hasMessage("m.json: no \"inputs\" list of column names (is it a network saved by backprop train --out?)");
        assertThatThrownBy(() -> parse("{\"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"], \"classifier\": false, \"params\": {\"a\": 1.0}}"))
                .hasMessageContaining("m.json: \"params\" has no omega0");
        assertThatThrownBy(() -> parse("{\"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"], \"classifier\": false, "
                + "\"params\": {\"omega0\": [[1.0, 2.0]], \"beta0\": [0.5], \"gamma\": 1}}"))
                .hasMessageContaining("holds 3 entries");
        assertThatThrownBy(() -> parse("{\"inputs\": [\"a\"], \"targets\": [\"y\"], \"classifier\": false, " + params + "}"))
                .hasMessage("m.json: 1 input columns for a network of 2 inputs");
        assertThatThrownBy(() -> parse("{\"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"], \"classifier\": true, \"classes\": 2, " + params + "}"))
                .hasMessageContaining("a classifier's \"classes\" must be its number of outputs, 1; got 2.0");
        assertThatThrownBy(() -> parse("{\"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"], \"classifier\": \"yes\", " + params + "}"))
                .hasMessageContaining("\"classifier\" must be true or false");
        assertThatThrownBy(() -> parse("{\"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"], \"classifier\": false, "
                + "\"params\": {\"omega0\": [[1.0, null]], \"beta0\": [0.5]}}"))
                .hasMessage("m.json: omega0 row 0[1] is null, not a finite number");
        assertThatThrownBy(() -> parse("{\"inputs\": [\"a\", \"b\"], \"targets\": [\"y\"], \"classifier\": false, "
                + "\"params\": {\"omega0\": [[1.0, 2.0], [3.0]], \"beta0\": [0.5, 1]}}"))
                .hasMessage("m.json: omega0 row 1 has 1 numbers, row 0 has 2");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("m.json: not a saved network: expected a JSON object");
        assertThatThrownBy(() -> parse("{")).isInstanceOf(DataException.class).hasMessageStartingWith("m.json: not valid JSON");
        assertThatThrownBy(() -> Model.load(dir.resolve("none.json"))).hasMessageEndingWith("none.json: no such file");
    }

    /**
     * Predictions: the softmax of outputs (10, 10, −990) is (½, ½, 0) exactly, however large the
     * scores (computed after subtracting the largest); the first of a tie wins; NaN predicts nothing.
     */
    @Test
    void predictingWithAClassifier() {
        Tensor eye = Tensor.matrix(new double[][] {{1, 0}, {0, 1}, {-1, -1}});
        Network net = new Network(List.of(eye), List.of(Tensor.column(0, 0, 0)));
        Model m = Model.classifier(net, List.of("a", "b"), "label");
        Columns data = Csv.parse("d.csv", List.of("b,name,a", "1000,x,1000", "2,y,5", "0,z,nan"));
        Tensor p = Model.softmax(m.outputs(data));
        assertThat(p.toMatrix()[0][0]).isEqualTo(0.5);
        assertThat(p.toMatrix()[1][0]).isEqualTo(0.5);
        assertThat(p.toMatrix()[2][0]).isEqualTo(0.0);
        assertThat(m.predictedClasses(data)).containsExactly(0, 0, -1);
        Map<String, double[]> table = m.predict(data);
        assertThat(table.keySet()).containsExactly("label", "label_p0", "label_p1", "label_p2");
        assertThat(table.get("label")).containsExactly(0, 0, Double.NaN);
        // Outputs (5, 2, −7): probabilities e^5, e^2, e^-7 over their sum.
        double z = Math.exp(5) + Math.exp(2) + Math.exp(-7);
        assertThat(table.get("label_p0")[1]).isCloseTo(Math.exp(5) / z, within(1e-15));
        assertThat(table.get("label_p1")[1]).isCloseTo(Math.exp(2) / z, within(1e-15));
        assertThat(table.get("label_p2")[1]).isCloseTo(Math.exp(-7) / z, within(1e-15));
        assertThatThrownBy(() -> m.outputs(Csv.parse("d.csv", List.of("a,c", "1,2"))))
                .hasMessage("no column 'b' for the network's input (it reads a, b; the data has a, c)");
        assertThatThrownBy(() -> m.outputs(Csv.parse("d.csv", List.of("a,b", "1,two"))))
                .isInstanceOf(DataException.class).hasMessage("d.csv:2:2: 'two' is not a number (column b)");
    }

    @Test
    void predictingWithARegressionNetwork() {
        Network net = new Network(List.of(Tensor.matrix(new double[][] {{2}, {-1}})), List.of(Tensor.column(1, 0)));
        Model m = Model.regression(net, List.of("x"), List.of("double", "minus"));
        Map<String, double[]> table = m.predict(Csv.parse("d.csv", List.of("x", "3", "-0.5")));
        assertThat(table.keySet()).containsExactly("double", "minus");
        assertThat(table.get("double")).containsExactly(7, 0);
        assertThat(table.get("minus")).containsExactly(-3, 0.5);
        assertThatThrownBy(() -> m.predictedClasses(Csv.parse("d.csv", List.of("x", "1")))).isInstanceOf(IllegalStateException.class);
    }

    /** The README's Java example, as written there (with the file in this test's folder). */
    @Test
    void theReadmeClassifierExample() throws IOException {
        Columns spirals = Csv.read(Path.of("..", "examples", "spirals.csv"));
        NetworkFit net = NetworkFit.classifier(spirals, List.of("x1", "x2"), "label", 0);
        NetworkFit.Trained t = net.fit(Init.he(new RandomState(0), 2, 32, 2, net.outputSize()),
                Optimizer.adam(0.01, 0.9, 0.999, 1e-8), Schedule.steps(500));
        double accuracy = t.accuracy();
        assertThat(accuracy).isEqualTo(1.0);
        Model.classifier(t.network(), List.of("x1", "x2"), "label").save(dir.resolve("spirals.json"));
        int[] predicted = Model.load(dir.resolve("spirals.json")).predictedClasses(spirals);
        assertThat(predicted).containsExactly(Trainer.labels(spirals.column("label")));
    }
}
