package dev.backprop.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backprop.book.BackpropExperiment;
import dev.backprop.book.InitExperiment;
import dev.backprop.cli.Main;
import dev.backprop.io.JsonReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON API over HTTP: the command line's answers byte for byte, and every refusal's status. */
class ApiTest {
    static Explorer server;

    @BeforeAll
    static void start() throws Exception {
        server = Explorer.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String s) {
        return (Map<String, Object>) JsonReader.parse(s, "answer");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x*sin(y) + y^2 | x=1.5,y=0.3 | {\"x\": 1.5, \"y\": 0.3}",
        "f0 = beta0 + omega0*x; h1 = sin(f0); l = (h1 - y)^2 | beta0=1,omega0=0.1,x=2.3,y=2 | {\"beta0\": 1, \"omega0\": 0.1, \"x\": 2.3, \"y\": 2}",
        "z = w*x + b; p = 1/(1 + exp(-z)); l = -(y*log(p) + (1 - y)*log(1 - p)) | w=0.5,x=2,b=-0.3,y=1 | {\"w\": 0.5, \"x\": 2, \"b\": -0.3, \"y\": 1}",
        "a*a*a + max(a, 0.5) | a=-1e-3 | {\"a\": -0.001}",
    })
    void traceAndGraphAnswerTheCommandLinesJsonByteForByte(String formula, String at, String point) throws Exception {
        String body = "{\"formula\": " + dev.backprop.io.JsonWriter.write(formula) + ", \"at\": " + point + "}";
        Http.Answer trace = Http.post(server, "/api/trace", body);
        assertThat(trace.status()).isEqualTo(200);
        assertThat(trace.body()).isEqualTo(cli("trace", formula, "--at", at, "--json"));
        Http.Answer graph = Http.post(server, "/api/graph", body);
        assertThat(graph.status()).isEqualTo(200);
        assertThat(graph.body()).isEqualTo(cli("graph", formula, "--at", at, "--json"));
    }

    @Test
    void graphsLaidOutAtOnceAreEachRight() throws Exception {
        // The layout engine (ELK) is shared by the requests computing together: none may see another's graph.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
            for (int k = 0; k < 32; k++) {
                int n = 1 + k % 4;
                String formula = "x" + "*sin(x)".repeat(n) + " + y^" + n;
                String expected = cli("graph", formula, "--at", "x=" + k + ",y=0.5", "--json");
                String body = "{\"formula\": \"" + formula + "\", \"at\": {\"x\": " + k + ", \"y\": 0.5}}";
                answers.add(pool.submit(() -> Http.post(server, "/api/graph", body).body().equals(expected)));
            }
            for (java.util.concurrent.Future<Boolean> a : answers) {
                assertThat(a.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aParseErrorIs400WithItsLineAndColumn() throws Exception {
        Http.Answer a = Http.post(server, "/api/trace", "{\"formula\": \"x*(sin(y) + y^2\", \"at\": {\"x\": 1, \"y\": 2}}");
        assertThat(a.status()).isEqualTo(400);
        Map<String, Object> m = json(a.body());
        assertThat(m.keySet()).containsExactly("error", "line", "column");
        assertThat((String) m.get("error")).startsWith("1:").contains("')'");
        assertThat(m.get("line")).isEqualTo(1.0);
        // The message's own column is the one in the field.
        assertThat((String) m.get("error")).startsWith("1:" + ((Double) m.get("column")).intValue() + ":");

        Http.Answer second = Http.post(server, "/api/graph", "{\"formula\": \"a = 1\\nb = a +* 2\", \"at\": {}}");
        assertThat(second.status()).isEqualTo(400);
        assertThat(json(second.body())).containsEntry("line", 2.0).containsEntry("column", 8.0);
    }

    @Test
    void aFormulaNeverReadsAFile() throws Exception {
        // On the command line @FILE reads a file; from the web it is only text, which does not parse.
        Http.Answer a = Http.post(server, "/api/trace", "{\"formula\": \"@/etc/passwd\", \"at\": {}}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body()).doesNotContain("root:");
        assertThat(json(a.body())).containsKeys("line", "column");
    }

    @Test
    void badRequestsSayWhatIsWrong() throws Exception {
        assertThat(Http.post(server, "/api/trace", "not json").status()).isEqualTo(400);
        assertThat(Http.post(server, "/api/trace", "[1, 2]").status()).isEqualTo(400);
        Http.Answer missing = Http.post(server, "/api/trace", "{\"formula\": \"x*y\", \"at\": {\"x\": 1}}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(json(missing.body()).get("error")).isEqualTo("missing value for input 'y'");
        Http.Answer extra = Http.post(server, "/api/trace", "{\"formula\": \"x\", \"at\": {\"x\": 1, \"q\": 2}}");
        assertThat(extra.status()).isEqualTo(400);
        assertThat((String) json(extra.body()).get("error")).contains("'q'");
        assertThat(Http.get(server, "/api/trace").status()).isEqualTo(405);
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        Http.Answer api = Http.post(server, "/api/nothing", "{}");
        assertThat(api.status()).isEqualTo(404);
        assertThat(json(api.body())).containsKey("error");
        assertThat(Http.get(server, "/no/such/page").status()).isEqualTo(404);
        // Neither our resources' folders nor the jar's other files are reachable by a path.
        assertThat(Http.get(server, "/static/../messages.properties").status()).isEqualTo(404);
        assertThat(Http.get(server, "/mathjax/../../../../dev/backprop/web/Api.class").status()).isEqualTo(404);
        assertThat(Http.get(server, "/static/%2e%2e%2fmessages.properties").status()).isEqualTo(404);
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        String big = "{\"formula\": \"" + "x+".repeat(Bounds.MAX_BODY) + "x\", \"at\": {\"x\": 1}}";
        Http.Answer a = Http.post(server, "/api/trace", big);
        assertThat(a.status()).isEqualTo(413);
        assertThat(json(a.body())).containsKey("error");
    }

    @Test
    void tooLongAFormulaOrTooBigAGraphOrNetworkIs422() throws Exception {
        String longFormula = "x" + "+x".repeat(Bounds.MAX_FORMULA);
        Http.Answer a = Http.post(server, "/api/trace", "{\"formula\": \"" + longFormula + "\", \"at\": {\"x\": 1}}");
        assertThat(a.status()).isEqualTo(422);
        // Short in characters, but more steps than the explorer shows.
        String many = "x" + "*x".repeat(Bounds.MAX_NODES);
        assertThat(many.length()).isLessThan(Bounds.MAX_FORMULA);
        assertThat(Http.post(server, "/api/graph", "{\"formula\": \"" + many + "\", \"at\": {\"x\": 1}}").status()).isEqualTo(422);
        assertThat(Http.post(server, "/api/deep", "{\"layers\": 1000}").status()).isEqualTo(422);
        assertThat(Http.post(server, "/api/init", "{\"width\": 100000}").status()).isEqualTo(422);
        assertThat(Http.post(server, "/api/fit", "{\"steps\": 100000000}").status()).isEqualTo(422);
    }

    @Test
    void aRequestOutOfTimeIs503AndTheServerGoesOn() throws Exception {
        try (Explorer hurried = Explorer.start("127.0.0.1", 0, Duration.ofNanos(1))) {
            Http.Answer a = Http.post(hurried, "/api/init", "{\"layers\": 30, \"width\": 64}");
            assertThat(a.status()).isEqualTo(503);
            assertThat((String) json(a.body()).get("error")).contains("longer than");
            assertThat(Http.get(hurried, "/").status()).isEqualTo(200);
        }
    }

    @Test
    void onlyLocalHostNamesAreAnswered() throws Exception {
        // A page elsewhere whose name points at 127.0.0.1 sends its own name as Host.
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream o = s.getOutputStream();
            o.write(("GET / HTTP/1.1\r\nHost: attacker.example:" + server.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).contains(" 403 ");
        }
    }

    @Test
    void checkAnswersBackpropCentralDifferenceAndClosedForm() throws Exception {
        Http.Answer a = Http.post(server, "/api/check", "{\"formula\": \"x*sin(y) + y^2\", \"at\": {\"x\": 1.5, \"y\": 0.3}}");
        assertThat(a.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json(a.body()).get("inputs");
        Map<String, Object> y = rows.get(1);
        // d/dy (x sin y + y²) = x cos y + 2y, by hand.
        double expected = 1.5 * Math.cos(0.3) + 2 * 0.3;
        assertThat((Double) y.get("backprop")).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-15));
        assertThat((Double) y.get("closed_form")).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-15));
        assertThat((Double) y.get("finite_difference")).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-8));
        assertThat(y.get("closed_form_text")).isEqualTo("dvalue_dy = cos(y)*x + 2*y");
    }

    @Test
    void notebookPagesAnswerWhatTheCoreComputes() throws Exception {
        Map<String, Object> toy = json(Http.post(server, "/api/toy", "{}").body());
        // The notebook prints l = 0.139 at its point.
        assertThat((Double) toy.get("loss")).isCloseTo(0.139, org.assertj.core.data.Offset.offset(5e-4));
        Map<String, Object> deep = json(Http.post(server, "/api/deep", "{\"seed\": 3, \"layers\": 4, \"width\": 5}").body());
        assertThat(deep.get("loss")).isEqualTo(BackpropExperiment.run(3, 4, 5, BackpropExperiment.DEFAULT_X, BackpropExperiment.DEFAULT_Y).loss());
        assertThat(deep.get("all_match")).isEqualTo(true);
        Map<String, Object> init = json(Http.post(server, "/api/init", "{\"sigma2\": 0.25, \"layers\": 6, \"width\": 8}").body());
        assertThat(init.get("forward_std")).isEqualTo(InitExperiment.run(6, 8, 0.25, InitExperiment.DEFAULT_N).forwardStd());
        assertThat(init.get("he")).isEqualTo(0.25);
    }

    @Test
    void aFitStreamsItsProgressAndEnds() throws Exception {
        Http.Answer a = Http.post(server, "/api/fit", "{\"steps\": 300, \"lr\": 0.01}");
        assertThat(a.status()).isEqualTo(200);
        List<String> lines = a.body().lines().toList();
        assertThat(lines.size()).isGreaterThan(50);
        Map<String, Object> first = json(lines.get(0));
        Map<String, Object> last = json(lines.get(lines.size() - 1));
        assertThat(last).containsEntry("done", true).containsEntry("reason", "completed").containsEntry("step", 300.0);
        Map<String, Object> before = json(lines.get(lines.size() - 2));
        assertThat((Double) before.get("loss")).isLessThan((Double) first.get("loss"));

        Http.Answer csv = Http.post(server, "/api/fit", "{\"data\": \"x,y\\n0,1\\n1,3\\n2,5\\n3,7\\n\", \"formula\": \"(a*x + b - y)^2\", "
                + "\"init\": {\"a\": 0, \"b\": 0}, \"optimizer\": \"adam\", \"lr\": 0.1, \"steps\": 3000}");
        assertThat(csv.status()).isEqualTo(200);
        List<String> cl = csv.body().lines().toList();
        @SuppressWarnings("unchecked")
        Map<String, Double> params = (Map<String, Double>) json(cl.get(cl.size() - 1)).get("params");
        // y = 2x + 1 exactly.
        assertThat(params.get("a")).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(params.get("b")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(Http.post(server, "/api/fit", "{\"data\": \"x,y\\n1,zz\\n\", \"formula\": \"(a*x-y)^2\", \"init\": {\"a\": 1}}").status())
                .isEqualTo(400);
    }

    /** A fit of the most rows and steps allowed: far longer to run than the test waits. */
    static String slowFit() {
        StringBuilder csv = new StringBuilder("x,y\\n");
        for (int i = 0; i < Bounds.MAX_ROWS; i++) {
            csv.append(i * 1e-3).append(',').append(Math.sin(i * 1e-3)).append("\\n");
        }
        return "{\"data\": \"" + csv + "\", \"formula\": \"(a*sin(b*x) - y)^2\", \"init\": {\"a\": 0.5, \"b\": 0.5}, "
                + "\"lr\": 0.0001, \"steps\": " + Bounds.MAX_FIT_STEPS + "}";
    }

    @Test
    void fitsAreBoundedAndAClosedStreamEndsItsRun() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest longFit = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/fit"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(slowFit())).build();
        List<java.io.InputStream> open = new java.util.ArrayList<>();
        for (int i = 0; i < Bounds.MAX_FITS; i++) {
            java.net.http.HttpResponse<java.io.InputStream> r = client.send(longFit, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            // The first line is there: the run has started and holds its place.
            new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)).readLine();
            open.add(r.body());
        }
        Http.Answer third = Http.post(server, "/api/fit", "{\"steps\": 10}");
        assertThat(third.status()).isEqualTo(503);
        assertThat((String) json(third.body()).get("error")).contains("busy");
        for (java.io.InputStream in : open) {
            in.close();
        }
        // The runs notice at their next write that nobody reads them, and give their places back.
        int status = 0;
        long t0 = System.nanoTime();
        for (int tries = 0; tries < 50 && status != 200; tries++) {
            Thread.sleep(100);
            status = Http.post(server, "/api/fit", "{\"steps\": 10}").status();
        }
        assertThat(status).isEqualTo(200);
        // Long before either run could have finished: 20,000 steps over 10,000 rows.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void pagesAndMathJaxComeFromTheJar() throws Exception {
        for (String page : List.of("/", "/formula", "/toy", "/deep", "/init", "/fit")) {
            Http.Answer a = Http.get(server, page);
            assertThat(a.status()).as(page).isEqualTo(200);
            assertThat(a.body()).as(page).contains("<!DOCTYPE html>").doesNotContain("http://").doesNotContain("https://");
        }
        assertThat(Http.get(server, "/mathjax/es5/tex-svg.js").status()).isEqualTo(200);
        assertThat(Http.get(server, "/static/common.js").status()).isEqualTo(200);
    }
}
