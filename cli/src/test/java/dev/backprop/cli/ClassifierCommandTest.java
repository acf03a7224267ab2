package dev.backprop.cli;

import static dev.backprop.cli.FitCommandTest.assertBadInput;
import static dev.backprop.cli.FitCommandTest.json;
import static dev.backprop.cli.FitCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.cli.FitCommandTest.Result;
import dev.backprop.io.Columns;
import dev.backprop.io.Csv;
import dev.backprop.io.JsonReader;
import dev.backprop.nn.Model;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code train --loss xent}, {@code train --init @FILE} and {@code predict} as a user runs them,
 * against PyTorch where there are numbers to check ({@code src/test/resources/xent/make_reference.py}).
 */
class ClassifierCommandTest {
    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(ClassifierCommandTest.class.getResource("/xent/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> reference(String name) throws IOException {
        for (Object c : (List<Object>) JsonReader.parse(Files.readString(resource("expected.json")), "expected.json")) {
            Map<String, Object> m = (Map<String, Object>) c;
            if (m.get("name").equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @SuppressWarnings("unchecked")
    static double[] flat(Object params) {
        List<Double> all = new ArrayList<>();
        for (Object v : ((Map<String, Object>) params).values()) {
            for (Object row : (List<Object>) v) {
                if (row instanceof List<?> l) {
                    l.forEach(x -> all.add((Double) x));
                } else {
                    all.add((Double) row);
                }
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static void assertClose(String what, double[] got, double[] want, double tol) {
        assertThat(got).as(what + " length").hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as(what + "[" + i + "]").isCloseTo(want[i], within(tol * Math.max(1, Math.abs(want[i]))));
        }
    }

    /**
     * Every optimiser through the fast training path, from the same saved network (whose input
     * and label columns --init supplies), on data with an unused text column: the cross-entropy
     * (mean over the rows, or over each mini-batch), the accuracy, and the parameters after the
     * steps, as PyTorch computes them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gd", "sgd", "momentum", "nesterov", "adam"})
    void everyOptimiserMatchesPyTorch(String name) throws IOException {
        Map<String, Object> want = reference(name);
        List<String> args = new ArrayList<>(List.of("train", "--data", resource("data.csv").toString(),
                "--init", "@" + resource("net.json"), "--json"));
        for (Object a : (List<?>) want.get("args")) {
            args.add((String) a);
        }
        Result r = run(args.toArray(new String[0]));
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> got = json(r.out());
        assertThat((Double) got.get("initial_loss")).isCloseTo((Double) want.get("initial_loss"), within(1e-14));
        assertThat((Double) got.get("loss")).isCloseTo((Double) want.get("loss"), within(1e-13));
        assertThat((Double) got.get("initial_accuracy")).isEqualTo((Double) want.get("initial_accuracy"));
        assertThat((Double) got.get("accuracy")).isEqualTo((Double) want.get("accuracy"));
        assertThat(got.get("classifier")).isEqualTo(true);
        assertThat((Double) got.get("classes")).isEqualTo(3.0);
        assertThat(got.get("inputs")).isEqualTo(List.of("x1", "x2", "x3"));
        assertClose(name + " parameters", flat(got.get("params")), flat(want.get("params")), 1e-12);
    }

    /** The gradient of the mean cross-entropy, read back from one gradient-descent step: (θ0 − θ1) / η. */
    @Test
    void theGradientIsPyTorchs() throws IOException {
        Map<String, Object> want = reference("gd");
        Result r = run("train", "--data", resource("data.csv").toString(), "--init", "@" + resource("net.json"),
                "--optimizer", "gd", "--lr", "0.5", "--steps", "1", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        Map<?, ?> start = (Map<?, ?>) JsonReader.parse(Files.readString(resource("net.json")), "net.json");
        double[] before = flat(start.get("params"));
        double[] after = flat(json(r.out()).get("params"));
        double[] g = new double[before.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (before[i] - after[i]) / 0.5;
        }
        assertClose("gradient", g, flat(want.get("gradient")), 1e-12);
    }

    // ------------------------------------------------------------------ the README's example

    /** The README's spirals command, read from the README itself so the two cannot drift apart. */
    static List<String> readmeCommand(String prefix) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                StringBuilder cmd = new StringBuilder();
                int j = i;
                String line = lines.get(j);
                while (line.endsWith("\\")) {
                    cmd.append(line, 0, line.length() - 1).append(' ');
                    line = lines.get(++j);
                }
                cmd.append(line);
                List<String> words = new ArrayList<>(Arrays.asList(cmd.toString().trim().split("\\s+")));
                assertThat(words.remove(0)).isEqualTo("./backprop");
                return words;
            }
        }
        throw new AssertionError("README has no line starting " + prefix);
    }

    /** Runs {@code words} from the repository root's point of view, with --out moved into the test's folder. */
    private Result runFromRoot(List<String> words) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("examples/")) {
                w = Path.of("..").resolve(w).toString();
            } else if (i > 0 && (words.get(i - 1).equals("--out") || words.get(i - 1).equals("--model"))) {
                w = dir.resolve(w).toString();
            }
            args.add(w);
        }
        return run(args.toArray(new String[0]));
    }

    @Test
    void theReadmeSpiralsTrainToNinetyFivePercentAndPredict() throws IOException {
        List<String> train = readmeCommand("./backprop train --data examples/spirals.csv");
        assertThat(train).contains("--loss", "xent", "--out");
        Result r = runFromRoot(train);
        assertThat(r.code()).as(r.err()).isZero();
        String text = r.out();
        assertThat(text).contains("softmax cross-entropy against 2 classes of 'label'");
        String line = text.lines().filter(l -> l.startsWith("accuracy: ")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(line.substring(line.indexOf('→') + 1).trim().split(" ")[0]);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.95);

        // The saved network, used again: predict's accuracy on the same rows is train's.
        List<String> predict = readmeCommand("./backprop predict --model");
        Result p = runFromRoot(predict);
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("accuracy: " + Text.num(accuracy, 4));
        Path csv = dir.resolve(predict.get(predict.indexOf("--out") + 1));
        Columns c = Csv.read(csv);
        assertThat(c.names()).containsExactly("label", "label_p0", "label_p1");
        // The predicted class is written as the labels were, a whole number.
        assertThat(Files.readAllLines(csv).get(1)).matches("[01],[^,]+,[^,]+");
        assertThat(c.rows()).isEqualTo(400);
        double[] p0 = c.column("label_p0");
        double[] p1 = c.column("label_p1");
        double[] label = c.column("label");
        for (int i = 0; i < 400; i++) {
            assertThat(p0[i] + p1[i]).isCloseTo(1.0, within(1e-12));
            assertThat(label[i]).isEqualTo(p1[i] > p0[i] ? 1.0 : 0.0);
        }
    }

    // ------------------------------------------------------------------ labels

    private Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Result xent(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--inputs", "x", "--targets", "label",
                "--loss", "xent", "--steps", "5"));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    @Test
    void aLabelThatIsNotAWholeNumberIsOneLine() throws IOException {
        Path half = csv("half.csv", "x,label\n1,0\n2,1\n3,2.5\n");
        assertBadInput(xent(half), "row 3 (" + half + " line 4): 'label' is 2.5, not a class label; --loss xent needs whole numbers 0, 1, 2, …");
        Path negative = csv("neg.csv", "x,label\n1,0\n2,-1\n");
        assertBadInput(xent(negative), "row 2 (" + negative + " line 3): 'label' is -1, not a class label");
        Path nan = csv("nan.csv", "x,label\n1,nan\n2,1\n");
        assertBadInput(xent(nan), "row 1 (" + nan + " line 2): 'label' is NaN, not a class label");
        Path words = csv("words.csv", "x,label\n1,setosa\n2,virginica\n");
        assertBadInput(xent(words), words + ":2:2: 'setosa' is not a number (column label)");
    }

    @Test
    void classCountsAndOptionsThatDoNotFit() throws IOException {
        Path data = csv("d.csv", "x,label\n1,0\n2,1\n3,2\n");
        assertBadInput(xent(data, "--classes", "2"), "row 3 (" + data + " line 4): 'label' is 2, but --classes gives 2 classes (labels 0…1)");
        assertBadInput(xent(data, "--classes", "1"), "--classes must be at least 2, got 1");
        assertBadInput(xent(csv("zero.csv", "x,label\n1,0\n2,0\n")), "every label in 'label' is 0; a classifier needs at least two classes");
        assertBadInput(run("train", "--data", data.toString(), "--inputs", "x", "--targets", "label", "--classes", "3"),
                "--classes is for --loss xent");
        assertBadInput(run("train", "--data", data.toString(), "--inputs", "x", "--targets", "x,label", "--loss", "xent"),
                "--loss xent takes one --targets column of class labels, got 2");
        assertBadInput(run("train", "--data", data.toString(), "--inputs", "x", "--targets", "label", "--loss", "hinge"),
                "--loss must be squared or xent, got 'hinge'");
        assertBadInput(run("train", "--data", data.toString(), "--targets", "label"), "train needs --inputs and --targets");
        // The outputs come from the largest label; a label too large for the heap is refused before anything is allocated.
        assertBadInput(xent(csv("huge.csv", "x,label\n1,0\n2,1000000000\n")),
                "a network of 17,000,000,321 parameters with one output for each of 1,000,000,001 classes, trained on 2 rows, would need");
    }

    /** --classes larger than the data shows gives that many outputs: a class absent from this file still has one. */
    @Test
    void classesBeyondTheLargestLabel() throws IOException {
        Path data = csv("d.csv", "x,label\n1,0\n2,1\n3,0\n");
        Path out = dir.resolve("net.json");
        Result r = xent(data, "--classes", "4", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Model m = Model.load(out);
        assertThat(m.classes()).isEqualTo(4);
        assertThat(m.network().outputSize()).isEqualTo(4);
    }

    // ------------------------------------------------------------------ --init

    /** Gradient descent keeps no state between steps: 30 steps, saved, then 30 more from the file, are 60 steps. */
    @Test
    void resumingFromTheSavedNetworkContinuesTheRun() throws IOException {
        Path spirals = Path.of("..", "examples", "spirals.csv");
        String[] common = {"--optimizer", "gd", "--lr", "0.5", "--steps", "30", "--width", "8", "--json"};
        Path half = dir.resolve("half.json");
        Result first = run(concat(new String[] {"train", "--data", spirals.toString(), "--inputs", "x1,x2", "--targets", "label",
                "--loss", "xent", "--out", half.toString()}, common));
        assertThat(first.code()).as(first.err()).isZero();
        Result second = run(concat(new String[] {"train", "--data", spirals.toString(), "--init", "@" + half}, common));
        assertThat(second.code()).as(second.err()).isZero();
        Result whole = run("train", "--data", spirals.toString(), "--inputs", "x1,x2", "--targets", "label", "--loss", "xent",
                "--optimizer", "gd", "--lr", "0.5", "--steps", "60", "--width", "8", "--json");
        assertThat(whole.code()).as(whole.err()).isZero();
        assertThat((Double) json(second.out()).get("initial_loss")).isEqualTo((Double) json(first.out()).get("loss"));
        assertClose("resumed", flat(json(second.out()).get("params")), flat(json(whole.out()).get("params")), 1e-12);
        assertThat(json(second.out()).get("accuracy")).isEqualTo(json(whole.out()).get("accuracy"));
    }

    static String[] concat(String[] a, String[] b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void anInitThatDoesNotFitIsOneLine() throws IOException {
        Path net = resource("net.json");
        Path data = resource("data.csv");
        String init = "@" + net;
        assertBadInput(run("train", "--data", data.toString(), "--init", init, "--loss", "squared"),
                "--init " + net + " is a classifier (trained with --loss xent); it cannot be resumed with --loss squared");
        assertBadInput(run("train", "--data", data.toString(), "--init", init, "--layers", "3"),
                "--init " + net + " has 2 hidden layers; --layers 3 cannot resume it");
        assertBadInput(run("train", "--data", data.toString(), "--init", init, "--width", "6"),
                "has hidden layers of 5 units; --width 6 cannot resume it");
        assertBadInput(run("train", "--data", data.toString(), "--init", init, "--inputs", "x1,x2"),
                "reads 3 input columns (x1, x2, x3), --inputs names 2");
        assertBadInput(run("train", "--data", data.toString(), "--init", init, "--classes", "4"),
                "is a classifier of 3 classes; --classes 4 cannot resume it");
        assertBadInput(run("train", "--data", data.toString(), "--init", net.toString()),
                "--init takes @FILE, a network saved by train --out");
        Path params = csv("params.json", "{\"params\": {\"a\": 1.0}, \"loss\": 2.0, \"steps\": 3}");
        assertBadInput(run("train", "--data", data.toString(), "--init", "@" + params),
                "--init " + params + ": no \"inputs\" list of column names (is it a network saved by backprop train --out?)");
        assertBadInput(run("train", "--data", data.toString(), "--init", "@" + dir.resolve("missing.json")), "missing.json: no such file");
        // The saved network is an input: --out may not overwrite it.
        assertBadInput(run("train", "--data", data.toString(), "--init", init, "--out", net.toString()),
                "is the --init file");
    }

    // ------------------------------------------------------------------ predict

    @Test
    void predictARegressionNetworkOnStandardOutput() throws IOException {
        Path wave = Path.of("..", "examples", "wave.csv");
        Path net = dir.resolve("wave.json");
        Result t = run("train", "--data", wave.toString(), "--inputs", "x", "--targets", "y", "--steps", "200",
                "--out", net.toString(), "--json");
        assertThat(t.code()).as(t.err()).isZero();
        double loss = (Double) json(t.out()).get("loss");
        Result p = run("predict", "--model", net.toString(), "--data", wave.toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.err()).isEmpty();
        Columns c = Csv.parse("stdout", p.out().lines().toList());
        assertThat(c.names()).containsExactly("y");
        // Σ(f − y)² over the rows from predict's outputs is train's loss.
        double[] f = c.column("y");
        double[] y = Csv.read(wave).column("y");
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += (f[i] - y[i]) * (f[i] - y[i]);
        }
        assertThat(sum).isCloseTo(loss, within(1e-9 * loss));
        Result j = run("predict", "--model", net.toString(), "--data", wave.toString(), "--json");
        Map<String, Object> m = json(j.out());
        assertThat((Double) m.get("mse")).isCloseTo(loss / y.length, within(1e-9 * loss));
        assertThat(m.get("classifier")).isEqualTo(false);
        assertThat((List<?>) ((Map<?, ?>) m.get("predictions")).get("y")).hasSize(y.length);
    }

    @Test
    void predictAClassifierAsJson() throws IOException {
        Path data = resource("data.csv");
        Result p = run("predict", "--model", resource("net.json").toString(), "--data", data.toString(), "--json");
        assertThat(p.code()).as(p.err()).isZero();
        Map<String, Object> m = json(p.out());
        assertThat((Double) m.get("accuracy")).isEqualTo((Double) reference("gd").get("initial_accuracy"));
        assertThat((Double) m.get("classes")).isEqualTo(3.0);
        @SuppressWarnings("unchecked")
        Map<String, Object> predictions = (Map<String, Object>) m.get("predictions");
        assertThat(predictions.keySet()).containsExactly("label", "label_p0", "label_p1", "label_p2");
    }

    @Test
    void predictWithoutTheTargetsOrWithTextInsteadOfThem() throws IOException {
        Path net = resource("net.json");
        Path noLabel = csv("x.csv", "x3,x2,x1\n1,2,3\n4,5,6\n");
        Result p = run("predict", "--model", net.toString(), "--data", noLabel.toString(), "--out", dir.resolve("p.csv").toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.err()).isEmpty();
        assertThat(p.out()).doesNotContain("accuracy").contains("Predictions: " + dir.resolve("p.csv"));
        assertThat(Csv.read(dir.resolve("p.csv")).rows()).isEqualTo(2);
        // No temporary file left beside the output.
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
        }
        Path textLabel = csv("t.csv", "x1,x2,x3,label\n1,2,3,setosa\n");
        Result q = run("predict", "--model", net.toString(), "--data", textLabel.toString(), "--json");
        assertThat(q.code()).as(q.err()).isZero();
        assertThat(q.err()).startsWith("backprop: warning: column 'label' holds text");
        assertThat(json(q.out())).doesNotContainKey("accuracy");
    }

    @Test
    void predictBadInputIsOneLine() throws IOException {
        Path net = resource("net.json");
        Path missing = csv("m.csv", "x1,x2\n1,2\n");
        assertBadInput(run("predict", "--model", net.toString(), "--data", missing.toString()),
                missing + " has no column 'x3', an input of the network in " + net + " (it reads x1, x2, x3; columns: x1, x2)");
        Path text = csv("text.csv", "x1,x2,x3\n1,2,3\n1,two,3\n");
        assertBadInput(run("predict", "--model", net.toString(), "--data", text.toString()),
                text + ":3:2: 'two' is not a number (column x2)");
        Path notNet = csv("n.json", "[1, 2]");
        assertBadInput(run("predict", "--model", notNet.toString(), "--data", text.toString()),
                "--model " + notNet + ": not a saved network: expected a JSON object");
        assertBadInput(run("predict", "--model", net.toString(), "--data", resource("data.csv").toString(),
                "--out", resource("data.csv").toString()), "is the --data file");
    }

    @Test
    void aNaNInputGivesNoClassAndAWarning() throws IOException {
        Path nan = csv("nan.csv", "x1,x2,x3\n1,2,3\nnan,0,0\n");
        Result p = run("predict", "--model", resource("net.json").toString(), "--data", nan.toString());
        assertThat(p.code()).isZero();
        assertThat(p.err().strip()).isEqualTo("backprop: warning: 1 of 2 rows have a prediction that is NaN or infinite (first: row 2 ("
                + nan + " line 3)); check the inputs there");
        Columns c = Csv.parse("stdout", p.out().lines().toList());
        assertThat(c.column("label")[1]).isNaN();
        assertThat(c.column("label")[0]).isBetween(0.0, 2.0);
    }

    // ------------------------------------------------------------------ text columns in every command

    @Test
    void anUnusedTextColumnIsFineInEveryCommand() throws IOException {
        Path iris = csv("iris.csv", "x,species,y\n0,setosa,1\n1,versicolor,3.1\n2,virginica,4.9\n3,setosa,7.2\n");
        Result fit = run("fit", "(a*x + b - y)^2", "--data", iris.toString(), "--init", "a=1,b=0", "--steps", "50", "--json");
        assertThat(fit.code()).as(fit.err()).isZero();
        Result grad = run("grad", "(a*x - y)^2", "--data", iris.toString(), "--at", "a=2", "--json");
        assertThat(grad.code()).as(grad.err()).isZero();
        assertThat(BatchCliTest.numbers(grad.out()).get("value")).isCloseTo(1 + 1.1 * 1.1 + 0.9 * 0.9 + 1.2 * 1.2, within(1e-12));
        Result train = run("train", "--data", iris.toString(), "--inputs", "x", "--targets", "y", "--steps", "5");
        assertThat(train.code()).as(train.err()).isZero();
        // Used, the text column is the reader's error, naming file, line and column.
        String where = iris + ":2:2: 'setosa' is not a number (column species)";
        assertBadInput(run("fit", "(a*species - y)^2", "--data", iris.toString(), "--init", "a=1"), where);
        assertBadInput(run("grad", "(a*species - y)^2", "--data", iris.toString(), "--at", "a=1"), where);
        assertBadInput(run("train", "--data", iris.toString(), "--inputs", "species", "--targets", "y"), where);
    }
}
