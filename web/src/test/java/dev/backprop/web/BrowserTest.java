package dev.backprop.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.book.BackpropExperiment;
import dev.backprop.book.InitExperiment;
import dev.backprop.book.ToyModel;
import dev.backprop.book.Trace;
import dev.backprop.formula.Formula;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.chromium.HasNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real headless Chromium: each page opened, formulas typed, step buttons pressed,
 * sliders moved, and the numbers read from the page compared with the core's. The browser's
 * console must stay free of errors; a screenshot of each page lands in web/target/screenshots.
 * Skipped, saying so, where Debian's chromium and chromium-driver are not installed.
 */
class BrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");

    static Explorer server;
    static WebDriver driver;
    /** Console errors a test expects (a 400 from a parse error it provoked), by a part of their text. */
    final List<String> expectedErrors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "no Chromium: install Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver) "
                        + "to run the browser tests; skipped");
        server = Explorer.start("127.0.0.1", 0);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1100",
                "--lang=en");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clearLog() {
        if (driver != null) {
            driver.manage().logs().get(LogType.BROWSER);
        }
    }

    @AfterEach
    void noConsoleErrors(TestInfo info) throws Exception {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(info.getTestMethod().orElseThrow().getName() + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()
                    && expectedErrors.stream().noneMatch(x -> e.getMessage().contains(x))) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("console errors").isEmpty();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** Waits until the page says it has drawn an answer newer than {@code after}. */
    static void ready(String after) {
        waiting().until(d -> {
            String r = d.findElement(By.tagName("body")).getAttribute("data-ready");
            return r != null && !r.equals(after);
        });
    }

    static String readyMark() {
        return driver.findElement(By.tagName("body")).getAttribute("data-ready");
    }

    static double value(WebElement e) {
        return Double.parseDouble(e.getAttribute("data-value"));
    }

    static double cell(String table, String row, int column) {
        return value(driver.findElement(By.cssSelector("#" + table + " tr[data-name='" + row + "'] td:nth-child(" + column + ")")));
    }

    static void typeset(String container) {
        waiting().until(d -> !d.findElements(By.cssSelector(container + " mjx-container svg")).isEmpty());
    }

    @Test
    void formulaFromTheUrlShowsGraphTablesAndCheckWithoutAClick() {
        driver.get(url("/formula?f=" + enc("x*sin(y) + y^2") + "&at=" + enc("x=1.5,y=0.3")));
        ready(null);
        Formula f = Formula.compile("x*sin(y) + y^2");
        Map<String, Double> at = new LinkedHashMap<>();
        at.put("x", 1.5);
        at.put("y", 0.3);
        Trace t = Trace.of(f, at);
        assertThat(value(driver.findElement(By.id("value-line")))).isEqualTo(t.value());
        WebElement y = driver.findElement(By.cssSelector("#node-y text[data-adjoint]"));
        assertThat(Double.parseDouble(y.getAttribute("data-adjoint"))).isEqualTo(t.gradient().get("y"));
        // By hand: ∂/∂y (x sin y + y²) = x cos y + 2y.
        assertThat(cell("check-table", "y", 2)).isCloseTo(1.5 * Math.cos(0.3) + 0.6, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(cell("check-table", "y", 3)).isCloseTo(1.5 * Math.cos(0.3) + 0.6, org.assertj.core.data.Offset.offset(1e-8));
        assertThat(cell("check-table", "y", 4)).isEqualTo(f.derivative("y").valueAt(at));
        typeset("#check-table");
        assertThat(cell("forward-table", "t1", 3)).isEqualTo(Math.sin(0.3));
    }

    @Test
    void everyExampleOpensWithTheCoresValues() {
        driver.get(url("/formula?lang=ru"));
        ready(null);
        org.openqa.selenium.support.ui.Select examples = new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("examples")));
        int n = examples.getOptions().size() - 1;
        assertThat(n).isEqualTo(4);
        for (int i = 1; i <= n; i++) {
            String mark = readyMark();
            examples.selectByIndex(i);
            ready(mark);
            Formula f = Formula.compile(driver.findElement(By.id("formula")).getAttribute("value"));
            Map<String, Double> at = new LinkedHashMap<>();
            for (String name : f.inputs()) {
                at.put(name, Double.parseDouble(driver.findElement(By.id("in-" + name)).getAttribute("value")));
            }
            Trace t = Trace.of(f, at);
            assertThat(value(driver.findElement(By.id("value-line")))).as(f.source()).isEqualTo(t.value());
            for (Map.Entry<String, Double> g : t.gradient().entrySet()) {
                assertThat(cell("check-table", g.getKey(), 2)).as(g.getKey()).isEqualTo(g.getValue());
            }
            typeset("#check-table");
            if (i == 2) {
                // The toy loss in the book's steps, at the notebook's point: ℓ = 0.139 as the notebook prints.
                assertThat(driver.findElement(By.id("value-line")).getText()).startsWith("l = 0.13858");
            }
        }
    }

    @Test
    void stepButtonsWalkTheForwardThenTheBackwardPass() {
        driver.get(url("/formula?f=" + enc("x*sin(y) + y^2") + "&at=" + enc("x=1.5,y=0.3")));
        ready(null);
        driver.findElement(By.id("reset")).click();
        // Before the first step only the inputs are known.
        assertThat(driver.findElement(By.cssSelector("#node-t1")).getText()).contains("= ?");
        driver.findElement(By.id("fwd-step")).click();
        assertThat(driver.findElement(By.id("node-t1")).getAttribute("class")).contains("lit");
        assertThat(driver.findElement(By.cssSelector("#forward-table tr.lit")).getAttribute("data-name")).isEqualTo("t1");
        assertThat(driver.findElement(By.cssSelector("#node-t2")).getText()).contains("= ?");
        typeset("#step-math");
        for (int i = 0; i < 3; i++) {
            driver.findElement(By.id("fwd-step")).click();
        }
        assertThat(driver.findElement(By.id("node-value")).getAttribute("class")).contains("lit");
        // The first press starts the backward pass at the output (∂value/∂value = 1); five more reach y.
        for (int i = 0; i < 6; i++) {
            driver.findElement(By.id("bwd-step")).click();
        }
        // The fifth backward step is y's adjoint, a sum of two terms: the chain rule typeset.
        assertThat(driver.findElement(By.id("node-y")).getAttribute("class")).contains("lit");
        assertThat(driver.findElement(By.id("step-info")).getText()).contains("5/5").contains("y");
        WebElement math = driver.findElement(By.id("step-math"));
        assertThat(math.getAttribute("data-tex")).contains("\\cos\\left(y\\right)").contains("+").contains("2.033");
        typeset("#step-math");
        assertThat(cell("backward-table", "y", 2)).isEqualTo(1.5 * Math.cos(0.3) + 0.6);
        assertThat(driver.findElement(By.cssSelector("#node-t2")).getText()).doesNotContain("= ?");
    }

    @Test
    void stepsInsideAStatementFollowTheirStatement() {
        driver.get(url("/formula?f=" + enc("m = exp(a) + exp(b)\nl = -log(exp(a)/m)") + "&at=" + enc("a=1,b=2")));
        ready(null);
        driver.findElement(By.id("reset")).click();
        driver.findElement(By.id("fwd-step")).click();
        // Statement m computed: its inner steps have values, statement l's do not yet.
        assertThat(driver.findElement(By.id("node-m")).getAttribute("class")).contains("lit");
        assertThat(driver.findElement(By.cssSelector("#node-t1")).getText()).doesNotContain("= ?");
        // Each step redraws the graph: the box of log(…) is found anew each time.
        java.util.function.Supplier<String> log = () -> driver.findElements(By.cssSelector("#graph .node")).stream()
                .map(WebElement::getText).filter(t -> t.contains("log(")).findFirst().orElseThrow();
        assertThat(log.get()).contains("= ?");
        driver.findElement(By.id("fwd-step")).click();
        assertThat(log.get()).doesNotContain("= ?");
        driver.findElement(By.id("bwd-step")).click();
        driver.findElement(By.id("bwd-step")).click();
        // Backward through l reaches m: the steps of l have adjoints, those inside m not yet.
        assertThat(driver.findElement(By.id("step-info")).getText()).contains("1/").contains("m");
        assertThat(log.get()).contains("∂l/∂");
        assertThat(driver.findElement(By.id("node-t1")).getText()).doesNotContain("∂l/∂");
        driver.findElement(By.id("bwd-step")).click();
        assertThat(driver.findElement(By.id("node-t1")).getText()).contains("∂l/∂");
    }

    @Test
    void typingAFormulaAndMovingASliderRecomputes() {
        driver.get(url("/formula"));
        ready(null);
        WebElement box = driver.findElement(By.id("formula"));
        box.clear();
        box.sendKeys("a*b + exp(a)");
        String before = readyMark();
        driver.findElement(By.id("go")).click();
        ready(before);
        waiting().until(d -> d.getCurrentUrl().contains("at="));
        String mark = readyMark();
        WebElement slider = driver.findElement(By.id("slide-a"));
        for (int i = 0; i < 10; i++) {
            slider.sendKeys(Keys.ARROW_RIGHT);
        }
        waiting().until(d -> d.findElement(By.id("in-a")).getAttribute("value").equals("1.1"));
        waiting().until(d -> {
            String v = d.findElement(By.id("value-line")).getAttribute("data-value");
            return v != null && Math.abs(Double.parseDouble(v) - (1.1 + Math.exp(1.1))) < 1e-12;
        });
        assertThat(readyMark()).isNotEqualTo(mark);
        assertThat(cell("check-table", "a", 2)).isCloseTo(1 + Math.exp(1.1), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(driver.getCurrentUrl()).contains("a%3D1.1").contains("f=a*b");
    }

    @Test
    void aParseErrorPointsAtItsPlaceAndUserTextStaysText() {
        expectedErrors.add("status of 400");
        driver.get(url("/formula"));
        ready(null);
        WebElement box = driver.findElement(By.id("formula"));
        box.clear();
        String hostile = "x*(<img src=x onerror=\"document.title='pwned'\">";
        box.sendKeys(hostile);
        driver.findElement(By.id("go")).click();
        waiting().until(d -> d.findElement(By.id("error")).isDisplayed());
        String text = driver.findElement(By.id("error-text")).getText();
        assertThat(text).startsWith("1:4:");
        assertThat(driver.findElement(By.id("error-caret")).getText()).contains(hostile).contains("   ^");
        assertThat(driver.findElements(By.cssSelector("#error img"))).isEmpty();
        Object caret = ((JavascriptExecutor) driver).executeScript("return document.getElementById('formula').selectionStart");
        assertThat(((Number) caret).intValue()).isEqualTo(3);
        assertThat(driver.getTitle()).doesNotContain("pwned");
    }

    @Test
    void russianFromTheUrlAndTheSwitchKeepsThePageState() {
        driver.get(url("/formula?f=" + enc("x^2") + "&at=x%3D3&lang=ru"));
        ready(null);
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Формула, продифференцированная по шагам");
        assertThat(value(driver.findElement(By.id("value-line")))).isEqualTo(9.0);
        driver.findElement(By.id("lang-en")).click();
        ready(null);
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("A formula, differentiated step by step");
        assertThat(driver.getCurrentUrl()).contains("f=x%5E2").doesNotContain("lang=");
        assertThat(value(driver.findElement(By.id("value-line")))).isEqualTo(9.0);
    }

    @Test
    void homeLinksEveryPage() {
        driver.get(url("/?lang=ru"));
        ready(null);
        List<String> links = new ArrayList<>();
        for (WebElement a : driver.findElements(By.cssSelector(".card a"))) {
            links.add(a.getAttribute("href"));
        }
        assertThat(links).hasSize(5).allMatch(h -> h.endsWith("?lang=ru"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Обратное распространение вживую");
    }

    @Test
    void toyNotebookUpdatesAsASliderMoves() {
        driver.get(url("/toy"));
        ready(null);
        ToyModel.Report r = ToyModel.run(ToyModel.notebookPoint());
        assertThat(value(driver.findElement(By.id("loss-line")))).isEqualTo(r.trace().value());
        for (ToyModel.Parameter p : r.parameters()) {
            assertThat(cell("step3-table", p.name(), 2)).as(p.name()).isEqualTo(p.backprop());
            assertThat(cell("step3-table", p.name(), 3)).as(p.name()).isEqualTo(p.closedForm());
            assertThat(cell("step3-table", p.name(), 4)).as(p.name()).isEqualTo(p.finiteDifference());
        }
        // The notebook prints ∂l/∂β0 = -0.126 (rounded) at its point: read as the page shows it.
        String shown = driver.findElement(By.cssSelector("#step3-table tr[data-name='beta0'] td:nth-child(2)")).getText();
        assertThat(shown.replace('−', '-')).isEqualTo(String.format(java.util.Locale.ROOT, "%.3f", r.parameters().stream()
                .filter(p -> p.name().equals("beta0")).findFirst().orElseThrow().backprop()));
        typeset("#model");
        String mark = readyMark();
        WebElement x = driver.findElement(By.id("slide-x"));
        for (int i = 0; i < 10; i++) {
            x.sendKeys(Keys.ARROW_RIGHT);
        }
        waiting().until(d -> d.findElement(By.id("in-x")).getAttribute("value").equals("2.4"));
        Map<String, Double> point = new LinkedHashMap<>(ToyModel.notebookPoint());
        point.put("x", 2.4);
        double expected = ToyModel.run(point).trace().value();
        waiting().until(d -> Double.parseDouble(d.findElement(By.id("loss-line")).getAttribute("data-value")) == expected);
        assertThat(readyMark()).isNotEqualTo(mark);
        assertThat(driver.getCurrentUrl()).contains("x=2.4");
    }

    @Test
    void deepNetworkShowsUnitsGradientsAndChecks() {
        driver.get(url("/deep?K=3&D=4&seed=2"));
        ready(null);
        BackpropExperiment.Result r = BackpropExperiment.run(2, 3, 4, BackpropExperiment.DEFAULT_X, BackpropExperiment.DEFAULT_Y);
        assertThat(value(driver.findElement(By.id("summary")))).isEqualTo(r.loss());
        // Layer 1's first unit: f0[0] and ∂ℓ/∂f0[0].
        WebElement unit = driver.findElement(By.id("unit-1-0"));
        assertThat(Double.parseDouble(unit.getAttribute("data-f"))).isEqualTo(r.f().get(0).at(0));
        assertThat(Double.parseDouble(unit.getAttribute("data-dl-df"))).isEqualTo(r.dlDf().get(0).at(0));
        assertThat(driver.findElements(By.cssSelector("#network .unit"))).hasSize(1 + 3 * 4 + 1);
        List<WebElement> checks = driver.findElements(By.cssSelector("#checks-table tbody tr"));
        assertThat(checks).hasSize(2 * 4);
        assertThat(checks).allMatch(tr -> tr.getText().contains("agrees"));
        String mark = readyMark();
        driver.findElement(By.id("slide-K")).sendKeys(Keys.ARROW_RIGHT);
        ready(mark);
        waiting().until(d -> d.findElements(By.cssSelector("#network .unit")).size() == 1 + 4 * 4 + 1);
    }

    @Test
    void initNotebookChartsStandardDeviationsPerLayer() {
        driver.get(url("/init?K=6&D=8&sigma2=1"));
        ready(null);
        InitExperiment.Result r = InitExperiment.run(6, 8, 1.0, InitExperiment.DEFAULT_N);
        for (int k = 1; k <= 6; k++) {
            WebElement cell = driver.findElement(By.cssSelector("#std-table tr[data-layer='" + k + "'] td:nth-child(2)"));
            assertThat(value(cell)).as("layer " + k).isEqualTo(r.forwardStd(k));
        }
        assertThat(driver.findElements(By.cssSelector("#chart .series path"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(driver.findElement(By.id("he-line")).getText()).contains("0.2500");
        String mark = readyMark();
        driver.findElement(By.id("use-he")).click();
        ready(mark);
        InitExperiment.Result he = InitExperiment.run(6, 8, 0.25, InitExperiment.DEFAULT_N);
        assertThat(value(driver.findElement(By.cssSelector("#std-table tr[data-layer='6'] td:nth-child(2)")))).isEqualTo(he.forwardStd(6));
        assertThat(driver.getCurrentUrl()).contains("sigma2=0.25");
    }

    @Test
    void fitStreamsTheLossAndCanBeStopped() {
        driver.get(url("/fit?steps=400"));
        ready(null);
        driver.findElement(By.id("start")).click();
        waiting().until(d -> d.findElement(By.tagName("body")).getAttribute("data-finished") != null);
        assertThat(driver.findElement(By.id("status")).getText()).contains("completed").contains("400");
        assertThat(driver.findElements(By.cssSelector("#params-table tbody tr"))).hasSize(8);
        assertThat(driver.findElement(By.id("download")).isEnabled()).isTrue();
        assertThat(driver.findElements(By.cssSelector("#curve-chart .series.dots circle"))).hasSize(100);
        assertThat(driver.findElements(By.cssSelector("#loss-chart .series path"))).hasSize(1);

        driver.get(url("/fit?steps=20000&lr=0.001"));
        ready(null);
        // A run of 20,000 steps can finish between its first loss and the click on a fast machine;
        // with the browser's download throttled, the server's stream (a line per step) fills the
        // socket and the run waits on it, so Stop always comes first.
        HasNetworkConditions network = (HasNetworkConditions) driver;
        ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
        slow.setDownloadThroughput(2 * 1024);
        network.setNetworkConditions(slow);
        try {
            driver.findElement(By.id("start")).click();
            waiting().until(d -> d.findElement(By.id("status")).getAttribute("data-loss") != null);
            driver.findElement(By.id("stop")).click();
            waiting().until(d -> d.findElement(By.tagName("body")).getAttribute("data-finished") != null);
        } finally {
            network.deleteNetworkConditions();
        }
        assertThat(driver.findElement(By.id("status")).getText()).startsWith("Stopped");
        assertThat(driver.findElement(By.id("start")).isEnabled()).isTrue();
    }
}
