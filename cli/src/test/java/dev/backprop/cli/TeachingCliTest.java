package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backprop.io.JsonReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commands that teach: the chain rule spelled out, the check's diagnosis, plots a learner can read. */
class TeachingCliTest {

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(CliTest.Result r) {
        assertThat(r.code()).as(r.err()).isZero();
        return (Map<String, Object>) JsonReader.parse(r.out().strip(), "test");
    }

    @Test
    @SuppressWarnings("unchecked")
    void traceJsonTermsSumToTheAdjoints() {
        Map<String, Object> m = json(CliTest.run("trace", CliTest.TOY, "--at", CliTest.AT, "--json"));
        assertThat(m).containsKeys("value", "forward", "backward", "gradient", "unused");
        List<Map<String, Object>> backward = (List<Map<String, Object>>) m.get("backward");
        // every step but the output, then every input (the toy's 8 parameters, x and y)
        assertThat(backward).hasSize(7 + 10);
        for (Map<String, Object> row : backward) {
            double sum = 0;
            for (Map<String, Object> term : (List<Map<String, Object>>) row.get("terms")) {
                sum += (Double) term.get("upstream") * (Double) term.get("local");
            }
            double adjoint = (Double) row.get("adjoint");
            assertThat(sum).as((String) row.get("name")).isCloseTo(adjoint, within(1e-12 * Math.max(1, Math.abs(adjoint))));
        }
        // the book: ∂l/∂omega0 = ∂l/∂f0 · x, x = 2.3
        Map<String, Object> omega0 = backward.stream().filter(r -> r.get("name").equals("omega0")).findFirst().orElseThrow();
        assertThat((List<Map<String, Object>>) omega0.get("terms")).singleElement()
                .satisfies(t -> assertThat(t).containsEntry("from", "f0").containsEntry("local", 2.3).containsEntry("local_formula", "x"));
        Map<String, Object> gradient = (Map<String, Object>) m.get("gradient");
        assertThat(omega0.get("adjoint")).isEqualTo(gradient.get("omega0"));
        List<Map<String, Object>> forward = (List<Map<String, Object>>) m.get("forward");
        assertThat(forward.get(0)).containsEntry("name", "f0").containsEntry("op", "beta0 + omega0*x");
    }

    @Test
    void traceSpellsTheChainRuleOutWithTheNumbers() {
        CliTest.Result r = CliTest.run("trace", "sin(y) + y^2", "--at", "y=0.3");
        assertThat(r.code()).isZero();
        // cos(0.3) = 0.955, 2·0.3 = 0.600, their sum 1.555
        assertThat(r.out()).containsPattern("∂value/∂y +")
                .contains("= ∂value/∂t1·cos(y) + ∂value/∂t2·2*y = 1.000·0.955 + 1.000·0.600 = 1.555");
    }

    private static final String STEEP = "x=2.3,y=2.0,beta0=1,beta1=5,beta2=-3,beta3=0.4,omega0=0.1,omega1=-0.4,omega2=50,omega3=3";

    @Test
    void theToysForwardDifferenceOffByAPercentIsExplained() {
        CliTest.Result r = CliTest.run("toy", "--omega2", "50", "--beta1", "5");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("∂l/∂beta1: the forward difference is 1.4% off; the finite difference is the odd one out: "
                + "step 1e-5 too large for the curvature");
        // at the notebook's own point the forward difference is close: no note
        assertThat(CliTest.run("toy").out()).doesNotContain("odd one out");
    }

    @Test
    @SuppressWarnings("unchecked")
    void checkNamesTheOddOneOutAndAStepThatWorks() {
        CliTest.Result r = CliTest.run("check", CliTest.TOY, "--at", STEEP, "--json");
        assertThat(r.code()).isEqualTo(1);
        Map<String, Object> beta1 = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                JsonReader.parse(r.out().strip(), "test")).get("inputs")).get("beta1");
        assertThat(beta1).containsEntry("odd_one_out", "finite difference");
        assertThat((String) beta1.get("diagnosis")).contains("too large for the curvature");
        double step = (Double) beta1.get("suggested_step");
        CliTest.Result again = CliTest.run("check", CliTest.TOY, "--at", STEEP, "--wrt", "beta1", "--step", Double.toString(step));
        assertThat(again.code()).as(again.out()).isZero();
        CliTest.Result kink = CliTest.run("check", "abs(x)", "--at", "x=1e-7");
        assertThat(kink.out()).contains("a kink within the step").contains("slope -1 on the left, 1 on the right");
    }

    /** y = 1.5·sin(2x) plus a little noise at 40 points of [−2, 2]; yb: 0 for x < 0, else 1. */
    private static java.nio.file.Path data(java.nio.file.Path dir) throws java.io.IOException {
        StringBuilder sb = new StringBuilder("x,y,yb\n");
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 40; i++) {
            double x = -2 + 4.0 * i / 39;
            sb.append(x).append(',').append(1.5 * Math.sin(2 * x) + 0.05 * r.nextGaussian()).append(',').append(x < 0 ? 0 : 1).append('\n');
        }
        return java.nio.file.Files.writeString(dir.resolve("d.csv"), sb);
    }

    @Test
    void fitDrawsTheModelsOutputForSquaredAndAbsoluteErrorAndNoCurveForCrossEntropy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path data = data(dir);
        for (String loss : new String[] {"(a*sin(b*x) - y)^2", "abs(a*sin(b*x) - y)"}) {
            CliTest.Result r = CliTest.run("fit", loss, "--data", data.toString(), "--init", "a=1,b=1.8", "--plot", dir.resolve("l.png").toString());
            assertThat(r.code()).as(r.err()).isZero();
            // the fitted line (the palette's red, d62728) follows a·sin(b·x) from about −1.5 to 1.5:
            // it spans most of the plot's height, where the old secant curve of |m − y| was flat at 0.5
            int[] span = redSpan(javax.imageio.ImageIO.read(dir.resolve("l-fit.png").toFile()));
            assertThat(span[1] - span[0]).as(loss).isGreaterThan(300);
        }
        CliTest.Result ce = CliTest.run("fit", "-yb*log(1/(1+exp(-a*x))) - (1-yb)*log(1-1/(1+exp(-a*x)))", "--data", data.toString(),
                "--init", "a=1", "--plot", dir.resolve("ce.png").toString());
        assertThat(ce.code()).as(ce.err()).isZero();
        assertThat(ce.err()).contains("shows the data only");
        assertThat(redSpan(javax.imageio.ImageIO.read(dir.resolve("ce-fit.png").toFile()))[1]).isEqualTo(-1);
    }

    /** The first and last pixel rows holding the fitted line's colour; {-1, -1} if none. */
    private static int[] redSpan(java.awt.image.BufferedImage img) {
        int first = -1;
        int last = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth() - 150; x++) { // the legend on the right holds a red sample
                if ((img.getRGB(x, y) & 0xffffff) == 0xd62728) {
                    first = first < 0 ? y : first;
                    last = y;
                }
            }
        }
        return new int[] {first, last};
    }

    @Test
    void initPlotsOfFiftyLayersHaveAFewLabelsAsTextAndStaySmall(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path svg = dir.resolve("init.svg");
        java.nio.file.Path png = dir.resolve("init.png");
        assertThat(CliTest.run("init", "--layers", "50", "--width", "80", "--plot", svg.toString()).code()).isZero();
        assertThat(CliTest.run("init", "--layers", "50", "--width", "80", "--plot", png.toString()).code()).isZero();
        assertThat(java.nio.file.Files.size(svg)).isLessThan(100_000);
        assertThat(java.nio.file.Files.size(png)).isLessThan(1_000_000);
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(900);
        org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        org.w3c.dom.NodeList texts = doc.getElementsByTagName("text");
        List<String> powers = new java.util.ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            String t = texts.item(i).getTextContent();
            if (t.matches("1e-?\\d+|1")) {
                powers.add(t);
            }
        }
        // the forward deviations of σ² = 1 reach about 1e80 and the smaller σ²'s backward 1e-30:
        // 110 decades, labelled every 20th
        assertThat(powers).hasSizeBetween(4, 10).contains("1e40", "1e-20");
        assertThat(texts.getLength()).isLessThan(40);
    }

    @Test
    @SuppressWarnings("unchecked")
    void compareRunsEveryOptimiserAtARateThatWorksAndDrawsThemOnOneChart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path svg = dir.resolve("cmp.svg");
        Map<String, Object> m = json(CliTest.run("fit", "--demo", "--compare", "--steps", "600", "--plot", svg.toString(), "--json"));
        Map<String, Map<String, Object>> each = (Map<String, Map<String, Object>>) m.get("optimizers");
        assertThat(each).containsOnlyKeys("gd", "sgd", "momentum", "nesterov", "adam");
        // Not merely below the first step: every optimiser at its chosen rate at least halves the loss in 600 steps.
        each.forEach((name, r) -> assertThat((Double) r.get("loss")).as(name)
                .isLessThan((Double) r.get("first_step_loss"))
                .isLessThan((Double) r.get("initial_loss") / 2));
        assertThat((String) m.get("rule")).contains("1e-6").contains("ends lowest");
        String chart = java.nio.file.Files.readString(svg);
        assertThat(chart.split("<polyline[^>]*stroke-width=\"2\"", -1)).hasSize(1 + 5 + 5); // five curves, five legend lines
        for (String name : each.keySet()) {
            assertThat(chart).contains(">" + name + " (α = ");
        }
        String table = CliTest.run("fit", "--demo", "--compare", "--steps", "300").out();
        assertThat(table.split("the loss fell ", -1)).as(table).hasSize(1 + 5);
        assertThat(CliTest.run("fit", "--compare").err()).contains("--compare compares the optimisers on the demo: add --demo");
    }

    @Test
    void theDemoSaysTheLossRoseWhenItRose() {
        assertThat(FitCommand.change(2, 1)).isEqualTo("the loss fell 2.0-fold");
        assertThat(FitCommand.change(1, 3)).startsWith("the loss rose 3.0-fold");
        assertThat(FitCommand.change(1, 1)).isEqualTo("the loss did not change");
    }
}
