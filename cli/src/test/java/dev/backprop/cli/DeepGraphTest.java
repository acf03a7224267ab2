package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.io.JsonReader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code backprop deep --graph}: the pictures are parsed back and show every unit's numbers, taken
 * here from numpy's run of notebook 7.2 (core's fixture, written by its make_reference.py).
 */
class DeepGraphTest {
    @TempDir
    Path dir;

    private static String three(double v) {
        // numpy's gradient through an inactive unit is −0.0 (0 times a negative); the picture, like
        // the tables, prints the zero it is.
        return String.format(Locale.ROOT, "%.3f", v + 0.0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> numpy(String name) throws Exception {
        // Tests run in cli/; the fixture lives with core's tests, which check the same numbers.
        Path p = Path.of("..", "core", "src", "test", "resources", "nn", name + ".json");
        return (Map<String, Object>) JsonReader.parse(Files.readString(p), p.toString());
    }

    /** Element {@code j} of a fixture's D×1 column. */
    @SuppressWarnings("unchecked")
    private static double at(Map<String, Object> fx, String key, int j) {
        return ((Number) ((List<Object>) ((List<Object>) fx.get(key)).get(j)).get(0)).doubleValue();
    }

    /** Element {@code j} of layer {@code k} of a fixture's list of D×1 columns. */
    @SuppressWarnings("unchecked")
    private static double at(Map<String, Object> fx, String key, int k, int j) {
        List<Object> layer = (List<Object>) ((List<Object>) fx.get(key)).get(k);
        return ((Number) ((List<Object>) layer.get(j)).get(0)).doubleValue();
    }

    private static Element box(List<Element> boxes, String title) {
        return boxes.stream().filter(b -> b.getTextContent().startsWith(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no box " + title));
    }

    @Test
    void aSmallNetworkHasABoxPerUnitShowingNumpysFHAndGradient() throws Exception {
        Map<String, Object> fx = numpy("deep_default");
        int layers = ((Number) fx.get("layers")).intValue();
        int width = ((Number) fx.get("width")).intValue();
        Path svg = dir.resolve("deep.svg");
        CliTest.Result r = CliTest.run("deep", "--no-check", "--graph", svg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).as("the tables are printed as before").contains("Output f_K = 1.907");

        Document d = GraphCommandTest.xml(svg);
        List<Element> boxes = GraphCommandTest.withClass(d, "g", "node");
        // x, K·D units, the output and the loss
        assertThat(boxes).hasSize(1 + layers * width + 2);
        // D arrows out of x, D² between hidden layers, D into the output, one to the loss
        assertThat(GraphCommandTest.withClass(d, "path", "edge")).hasSize(width + (layers - 1) * width * width + width + 1);
        for (int i = 1; i <= layers; i++) {
            for (int j = 0; j < width; j++) {
                Element b = box(boxes, "hidden " + i + ", unit " + j);
                double f = at(fx, "f", i - 1, j);
                assertThat(b.getTextContent()).as("hidden %d unit %d", i, j)
                        .contains("f" + (i - 1) + " = " + three(f))
                        .contains("h" + i + " = " + three(at(fx, "h", i, j)))
                        .contains("∂ℓ/∂f" + (i - 1) + " = " + three(at(fx, "dl_df", i - 1, j)));
                // ReLU passes nothing, forward or back, through a unit with f ≤ 0: it is greyed.
                assertThat(b.hasAttribute("opacity")).as("hidden %d unit %d greyed", i, j).isEqualTo(f <= 0);
            }
        }
        // The notebook's printed output and loss.
        assertThat(box(boxes, "output").getTextContent()).contains("f5 = 1.907");
        assertThat(box(boxes, "loss").getTextContent()).contains("ℓ = 327.371");
        assertThat(box(boxes, "x  (input)").getTextContent()).contains("∂ℓ/∂x = " + three(at(fx, "dl_dinput", 0)));
    }

    @Test
    void eachUnitShowsItsBiasAndIncomingWeights() throws Exception {
        Map<String, Object> fx = numpy("deep_seed3");
        Path svg = dir.resolve("seed3.svg");
        CliTest.Result r = CliTest.run("deep", "--no-check", "--seed", "3", "--layers", "3", "--width", "4", "--x", "-0.7",
                "--y", "5", "--graph", svg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String unit = box(GraphCommandTest.withClass(GraphCommandTest.xml(svg), "g", "node"), "hidden 2, unit 1").getTextContent();
        @SuppressWarnings("unchecked")
        List<Object> row = (List<Object>) ((List<Object>) ((List<Object>) fx.get("weights")).get(1)).get(1);
        StringBuilder weights = new StringBuilder("ω [");
        for (int a = 0; a < row.size(); a++) {
            weights.append(a > 0 ? ", " : "").append(three(((Number) row.get(a)).doubleValue()));
        }
        assertThat(unit).contains("β " + three(at(fx, "biases", 1, 1))).contains(weights.append(']').toString())
                .contains("f1 = " + three(at(fx, "f", 1, 1)));
    }

    @Test
    void aLargeNetworkHasABoxPerLayerWithTheSpreadOfItsUnits() throws Exception {
        Path svg = dir.resolve("big.svg");
        CliTest.Result r = CliTest.run("deep", "--no-check", "--layers", "9", "--width", "20", "--graph", svg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Document d = GraphCommandTest.xml(svg);
        List<Element> boxes = GraphCommandTest.withClass(d, "g", "node");
        assertThat(boxes).hasSize(1 + 9 + 2);
        assertThat(GraphCommandTest.withClass(d, "path", "edge")).hasSize(9 + 1 + 1);
        assertThat(box(boxes, "hidden 4  (20 units)").getTextContent()).contains("f3: mean ").contains("h4: mean ")
                .contains("∂ℓ/∂f3: mean ").contains("inactive (f ≤ 0): ");
        // Each weight matrix is written in the box it feeds.
        assertThat(box(boxes, "hidden 1  (20 units)").getTextContent()).contains("Ω0 20×1, ‖∂ℓ/∂Ω0‖ = ");
        assertThat(box(boxes, "hidden 5  (20 units)").getTextContent()).contains("Ω4 20×20, ‖∂ℓ/∂Ω4‖ = ");
        assertThat(box(boxes, "output").getTextContent()).contains("Ω9 1×20, ‖∂ℓ/∂Ω9‖ = ");
    }

    @Test
    void aVeryDeepNetworkIsFoldedIntoRowsNotOneLongRow() throws Exception {
        Path png = dir.resolve("deep.png");
        CliTest.Result r = CliTest.run("deep", "--no-check", "--layers", "50", "--width", "80", "--graph", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        // One row of 52 boxes was 74,486 × 238 pixels; folded, it keeps a page's proportions.
        assertThat(image.getWidth()).isLessThan(4 * image.getHeight());
        assertThat(image.getHeight()).isLessThan(4 * image.getWidth());

        Path svg = dir.resolve("deep.svg");
        r = CliTest.run("deep", "--no-check", "--layers", "50", "--width", "80", "--graph", svg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.size(svg)).isLessThan(1 << 20);
        Document d = GraphCommandTest.xml(svg);
        assertThat(GraphCommandTest.withClass(d, "g", "node")).hasSize(1 + 50 + 2);
        assertThat(GraphCommandTest.withClass(d, "path", "edge")).hasSize(50 + 1 + 1);
    }

    @Test
    void theSpreadIsThePopulationMeanSdMinAndMax() {
        // 1, 2, 3, 4: mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25, sd 1.118
        assertThat(NetworkDiagram.spread(new double[] {4, 1, 3, 2}, 3)).isEqualTo("mean 2.500, sd 1.118, min 1.000, max 4.000");
    }

    @Test
    void thePngIsDecodableAndNotBlank() throws Exception {
        Path png = dir.resolve("deep.png");
        CliTest.Result r = CliTest.run("deep", "--no-check", "--layers", "2", "--width", "3", "--graph", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).isNotNull();
        int dark = 0;
        for (int x = 0; x < img.getWidth(); x += 3) {
            for (int y = 0; y < img.getHeight(); y += 3) {
                dark += (img.getRGB(x, y) & 0xff) < 128 ? 1 : 0;
            }
        }
        assertThat(dark).isGreaterThan(100);
    }

    @Test
    void graphvizAcceptsTheDotFile() throws Exception {
        Path dot = dir.resolve("deep.dot");
        CliTest.Result r = CliTest.run("deep", "--no-check", "--graph", dot.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String text = Files.readString(dot);
        assertThat(text.lines().filter(l -> l.matches("\\s*n\\d+ \\[label=.*"))).hasSize(1 + 5 * 6 + 2);
        assertThat(text.lines().filter(l -> l.contains(" -> "))).hasSize(6 + 4 * 36 + 6 + 1);
        Assumptions.assumeTrue(GraphCommandTest.onPath("dot"), "Graphviz's dot is not installed here (apt-get install graphviz); CI installs it");
        Path out = dir.resolve("deep-dot.svg");
        assertThat(GraphCommandTest.renderedByDot(dot, out)).contains("ℓ = 327.371");
    }

    @Test
    void aBadFileIsRefusedBeforeAnyWork() {
        Path jpg = dir.resolve("deep.jpg");
        CliTest.Result r = CliTest.run("deep", "--graph", jpg.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("backprop: --graph").contains(".svg, .png or .dot").doesNotContain("Exception").hasLineCount(1);
        assertThat(r.out()).as("refused before the run").isEmpty();

        r = CliTest.run("deep", "--graph", dir.resolve("no/such/dir/deep.svg").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("backprop: --graph").hasLineCount(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonGivesTheBoxesArrowsAndLayoutBesideTheNumbers() throws Exception {
        CliTest.Result r = CliTest.run("deep", "--no-check", "--layers", "2", "--width", "3", "--graph", dir.resolve("n.dot").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> m = (Map<String, Object>) JsonReader.parse(r.out(), "output");
        Map<String, Object> g = (Map<String, Object>) m.get("graph");
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) g.get("nodes");
        List<Map<String, Object>> edges = (List<Map<String, Object>>) g.get("edges");
        assertThat(nodes).hasSize(1 + 2 * 3 + 2);
        assertThat(edges).hasSize(3 + 3 * 3 + 3 + 1);
        for (Map<String, Object> n : nodes) {
            assertThat(n).containsKeys("id", "name", "lines", "x", "y", "width", "height", "highlighted");
            assertThat((Double) n.get("x") + (Double) n.get("width")).isLessThanOrEqualTo((Double) g.get("width"));
        }
        // The boxes show the numbers the JSON gives: unit 0 of hidden layer 1 has f0[0].
        double f00 = ((Number) ((List<Object>) ((List<Object>) m.get("f")).get(0)).get(0)).doubleValue();
        Map<String, Object> unit = nodes.stream().filter(n -> n.get("name").equals("hidden 1, unit 0")).findFirst().orElseThrow();
        assertThat((List<String>) unit.get("lines")).contains("f0 = " + String.format(Locale.ROOT, "%.3f", f00));
        for (Map<String, Object> e : edges) {
            assertThat((List<Object>) e.get("points")).hasSizeGreaterThanOrEqualTo(2);
        }
    }
}
