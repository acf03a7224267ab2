package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.book.ComputationGraph;
import dev.backprop.formula.Formula;
import dev.backprop.graph.Program;
import dev.backprop.io.JsonReader;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code backprop graph}: the pictures are parsed back and hold every node, edge, value and adjoint. */
class GraphCommandTest {
    @TempDir
    Path dir;

    private static int uses(Program p) {
        int n = 0;
        for (int i = 0; i < p.size(); i++) {
            n += p.isOperation(i) ? p.arity(i) : 0;
        }
        return n;
    }

    /** The SVG parsed as XML (no DTDs), for tests that read pictures back. */
    static Document xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    /** The elements {@code tag} of class {@code cls}: the boxes and arrows of a picture. */
    static List<Element> withClass(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = d.getElementsByTagName(tag);
        for (int k = 0; k < all.getLength(); k++) {
            Element e = (Element) all.item(k);
            if (cls.equals(e.getAttribute("class"))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String three(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    @Test
    void theToysSvgHasOneBoxPerNodeOneArrowPerUseAndEveryNumberAsText() throws Exception {
        Path svg = dir.resolve("toy.svg");
        CliTest.Result r = CliTest.run("graph", CliTest.TOY, "--at", CliTest.AT, "-o", svg.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("wrote " + svg);
        assertThat(Files.size(svg)).as("the toy's graph is small").isLessThan(100_000);

        Formula f = Formula.compile(CliTest.TOY);
        Document d = xml(svg);
        List<Element> boxes = withClass(d, "g", "node");
        assertThat(boxes).hasSize(f.program().size());
        assertThat(withClass(d, "path", "edge")).hasSize(uses(f.program()));

        // Each box shows its own node's value and adjoint (the numbers themselves are checked
        // against numpy in core's ComputationGraphTest).
        ComputationGraph g = ComputationGraph.of(f, Inputs.point(f, List.of(CliTest.AT)));
        for (ComputationGraph.Node n : g.nodes()) {
            String text = boxes.stream().filter(b -> b.getAttribute("id").equals("n" + n.id())).findFirst()
                    .orElseThrow().getTextContent();
            assertThat(text).as(n.name()).contains("value " + three(n.value()));
            assertThat(text).as(n.name()).contains(three(n.adjoint()));
        }
        // The book's numbers, as text a reader can search for (notebook 7.1, three decimals).
        String all = d.getDocumentElement().getTextContent();
        for (String v : new String[] {"1.230", "0.942", "1.623", "5.068", "7.137", "0.657", "2.372", "0.139",
                "-1.683", "-3.366", "-17.060", "6.824", "2.281", "0.489", "-8.530", "-16.079", "5.246"}) {
            assertThat(all).contains(v);
        }
    }

    @Test
    void aValueWithTwoUsesShowsBothContributionsAndTheirSum() throws Exception {
        // y feeds sin (∂ = cos 0.3 = 0.955) and ^2 (∂ = 2·0.3 = 0.600): ∂value/∂y = 0.955 + 0.600 = 1.555
        Path svg = dir.resolve("two.svg");
        CliTest.Result r = CliTest.run("graph", "sin(y) + y^2", "--at", "y=0.3", "-o", svg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Document d = xml(svg);
        String y = withClass(d, "g", "node").stream().filter(b -> b.getTextContent().startsWith("y  (input)"))
                .findFirst().orElseThrow().getTextContent();
        assertThat(y).contains("∂value/∂y = 0.955 + 0.600").contains("= 1.555");
        List<String> locals = withClass(d, "text", "local").stream().map(Element::getTextContent).toList();
        assertThat(locals).contains("∂t1/∂y = 0.955", "∂t2/∂y = 0.600");
    }

    @Test
    void thePngIsTheSameDrawingAtTwiceTheSize() throws Exception {
        Path png = dir.resolve("toy.png");
        Path svg = dir.resolve("toy.svg");
        assertThat(CliTest.run("graph", CliTest.TOY, "--at", CliTest.AT, "-o", png.toString()).code()).isZero();
        assertThat(CliTest.run("graph", CliTest.TOY, "--at", CliTest.AT, "-o", svg.toString()).code()).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).isNotNull();
        Element root = xml(svg).getDocumentElement();
        double w = Double.parseDouble(root.getAttribute("width"));
        double h = Double.parseDouble(root.getAttribute("height"));
        assertThat(img.getWidth()).isEqualTo((int) Math.ceil(2 * w));
        assertThat(img.getHeight()).isEqualTo((int) Math.ceil(2 * h));
        // Not a blank canvas: some pixels are ink.
        int dark = 0;
        for (int x = 0; x < img.getWidth(); x += 3) {
            for (int yy = 0; yy < img.getHeight(); yy += 3) {
                dark += (img.getRGB(x, yy) & 0xff) < 128 ? 1 : 0;
            }
        }
        assertThat(dark).isGreaterThan(100);
    }

    @Test
    void graphvizAcceptsTheDotFile() throws Exception {
        Path dot = dir.resolve("toy.dot");
        CliTest.Result r = CliTest.run("graph", CliTest.TOY, "--at", CliTest.AT, "-o", dot.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String text = Files.readString(dot);
        Formula f = Formula.compile(CliTest.TOY);
        assertThat(text.lines().filter(l -> l.contains(" -> "))).hasSize(uses(f.program()));
        assertThat(text.lines().filter(l -> l.matches("\\s*n\\d+ \\[label=.*"))).hasSize(f.program().size());
        Assumptions.assumeTrue(onPath("dot"), "Graphviz's dot is not installed here (apt-get install graphviz); CI installs it");
        Path out = dir.resolve("toy-dot.svg");
        assertThat(renderedByDot(dot, out)).contains("∂l/∂omega0");
    }

    /** Graphviz's SVG of a DOT file, which dot must accept without a warning. */
    static String renderedByDot(Path dot, Path out) throws Exception {
        Process p = new ProcessBuilder("dot", "-Tsvg", "-o", out.toString(), dot.toString())
                .redirectErrorStream(true).start();
        String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(messages).isZero();
        assertThat(messages).as("dot's warnings").isEmpty();
        return Files.readString(out);
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonGivesNodesEdgesAndTheLayout() {
        CliTest.Result r = CliTest.run("graph", "sin(y) + y^2", "--at", "y=0.3", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> m = (Map<String, Object>) JsonReader.parse(r.out(), "output");
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) m.get("nodes");
        List<Map<String, Object>> edges = (List<Map<String, Object>>) m.get("edges");
        assertThat(nodes).hasSize(5);
        assertThat(edges).hasSize(5);
        Map<String, Object> y = nodes.stream().filter(n -> n.get("name").equals("y")).findFirst().orElseThrow();
        assertThat((Double) y.get("adjoint")).isCloseTo(Math.cos(0.3) + 0.6, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(y.get("op")).isEqualTo("input");
        for (Map<String, Object> n : nodes) {
            assertThat(n).containsKeys("x", "y", "width", "height", "value", "adjoint");
            assertThat((Double) n.get("x") + (Double) n.get("width")).isLessThanOrEqualTo((Double) m.get("width"));
        }
        for (Map<String, Object> e : edges) {
            assertThat(e).containsKeys("from", "to", "local", "points");
            assertThat((List<Object>) e.get("points")).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void wrtMutesWhatDoesNotLeadFromThoseInputs() throws Exception {
        Path svg = dir.resolve("wrt.svg");
        CliTest.Result r = CliTest.run("graph", "a*x + b", "--at", "a=2,x=3,b=1", "--wrt", "b", "-o", svg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<Element> boxes = withClass(xml(svg), "g", "node");
        List<String> muted = boxes.stream().filter(b -> b.hasAttribute("opacity"))
                .map(b -> b.getTextContent().split(" ")[0]).toList();
        // a, x and a*x are off b's path to the output; b and the sum are on it
        assertThat(muted).hasSize(3).contains("a", "x").doesNotContain("b", "value");
    }

    @Test
    void badRequestsGetOneLineAndExitCode2() throws IOException {
        CliTest.Result r = CliTest.run("graph", "x^2", "--at", "x=1", "-o", dir.resolve("g.jpg").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(".svg, .png or .dot").doesNotContain("Exception").hasLineCount(1);

        r = CliTest.run("graph", "x^2", "--at", "x=1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("-o FILE.svg").hasLineCount(1);

        r = CliTest.run("graph", "x^2", "--at", "z=1", "-o", dir.resolve("g.svg").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1);
    }

    @Test
    void aGraphTooBigToReadIsRefusedWithAReasonButDotStillWorks() throws IOException {
        StringBuilder big = new StringBuilder("x");
        for (int k = 0; k < 300; k++) {
            big.append(" + sin(x*").append(k + 1).append(')');
        }
        CliTest.Result r = CliTest.run("graph", big.toString(), "--at", "x=1", "-o", dir.resolve("big.svg").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("more than the 500").contains(".dot").hasLineCount(1);
        assertThat(dir.resolve("big.svg")).doesNotExist();

        Path dot = dir.resolve("big.dot");
        r = CliTest.run("graph", big.toString(), "--at", "x=1", "-o", dot.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(dot).lines().filter(l -> l.contains(" -> "))).hasSize(uses(Formula.compile(big.toString()).program()));
    }

    @Test
    void toyAndTraceDrawTheSamePictureBesideTheirTables() throws Exception {
        Path toy = dir.resolve("toy.svg");
        CliTest.Result r = CliTest.run("toy", "--graph", toy.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Loss ℓ = 0.139");
        Formula f = Formula.compile(CliTest.TOY);
        assertThat(withClass(xml(toy), "g", "node")).hasSize(f.program().size());
        assertThat(withClass(xml(toy), "path", "edge")).hasSize(uses(f.program()));

        Path dot = dir.resolve("trace.dot");
        r = CliTest.run("trace", "sin(y) + y^2", "--at", "y=0.3", "--graph", dot.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("value = 0.386");
        assertThat(Files.readString(dot)).contains("∂value/∂y = 0.955 + 0.600");

        r = CliTest.run("trace", "x", "--at", "x=1", "--graph", dir.resolve("t.txt").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("backprop: --graph").hasLineCount(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anonymousStepsAreT1T2InOrderAndConstantsReadAsTyped() {
        CliTest.Result r = CliTest.run("graph", "a = x*2; l = sin(a) + a^2*3 - 0.5*a", "--at", "x=0.5", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) ((Map<String, Object>) JsonReader.parse(r.out(), "output")).get("nodes");
        List<String> steps = nodes.stream().filter(n -> n.get("kind").equals("operation")).map(n -> n.get("name") + " = " + n.get("expression")).toList();
        assertThat(steps).containsExactly("a = x * 2", "t1 = sin(a)", "t2 = a^2", "t3 = t2 * 3", "t4 = t1 + t3", "t5 = 0.5 * a", "l = t4 - t5");

        // A one-line formula: graph --json and trace --json name the same steps the same way.
        String formula = "t1*sin(t1) + 2*t1^0.5";
        r = CliTest.run("graph", formula, "--at", "t1=0.5", "--json");
        List<String> drawn = ((List<Map<String, Object>>) ((Map<String, Object>) JsonReader.parse(r.out(), "output")).get("nodes")).stream()
                .filter(n -> n.get("kind").equals("operation")).map(n -> (String) n.get("name")).toList();
        r = CliTest.run("trace", formula, "--at", "t1=0.5", "--json");
        List<String> traced = ((List<Map<String, Object>>) ((Map<String, Object>) JsonReader.parse(r.out(), "output")).get("forward")).stream()
                .map(n -> (String) n.get("name")).toList();
        assertThat(drawn).isEqualTo(traced).containsExactly("t2", "t3", "t4", "t5", "value");
    }

    @Test
    void aFormulaStartingLikeMinusOIsTheFormula() throws Exception {
        Path svg = dir.resolve("minus.svg");
        CliTest.Result r = CliTest.run("graph", "-omega*x", "--at", "omega=2,x=3", "-o", svg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("value = -6.000");
        assertThat(withClass(xml(svg), "g", "node")).hasSize(Formula.compile("-omega*x").program().size());

        r = CliTest.run("graph", "--at", "omega=2,x=3", "-o", dir.resolve("dashes.dot").toString(), "--", "-omega*x");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("value = -6.000");

        r = CliTest.run("graph", "-omega*x", "--at", "omega=2,x=3", "-o=" + dir.resolve("equals.svg"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("equals.svg")).exists();

        r = CliTest.run("graph", "x", "--at", "x=1", "-o" + dir.resolve("glued.svg"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("write -o and its value apart").hasLineCount(1);
        for (String command : List.of("grad", "trace", "check", "hessian")) {
            r = CliTest.run(command, "-omega*x", "--at", "omega=2,x=3");
            assertThat(r.code()).as(command + ": " + r.err()).isZero();
            assertThat(r.out()).as(command).contains("-3.0"); // ∂/∂omega of -omega*x at x = 3
        }
    }
}
