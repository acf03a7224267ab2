package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: output, error lines and exit codes. */
class CliTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static final String TOY = "f0 = beta0 + omega0*x; h1 = sin(f0); f1 = beta1 + omega1*h1; h2 = exp(f1); "
            + "f2 = beta2 + omega2*h2; h3 = cos(f2); f3 = beta3 + omega3*h3; l = (f3 - y)^2";
    static final String AT = "x=2.3,y=2.0,beta0=1.0,beta1=2.0,beta2=-3.0,beta3=0.4,omega0=0.1,omega1=-0.4,omega2=2.0,omega3=3.0";

    @Test
    void toyPrintsTheNotebooksNumbers() {
        Result r = run("toy");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Loss ℓ = 0.139");
        for (String v : new String[] {"1.230", "0.942", "1.623", "5.068", "7.137", "0.657", "2.372",
                "0.745", "2.234", "-1.683", "-3.366", "-17.060", "6.824", "2.281",
                "0.489", "-8.530", "-16.079", "5.246"}) {
            assertThat(r.out()).contains(v);
        }
        assertThat(r.out()).containsPattern("∂l/∂omega0\\s+5\\.246\\s+5\\.246\\s+5\\.246");
    }

    @Test
    void toyJsonHasEverything() {
        Result r = run("toy", "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("{\"point\": {\"x\": 2.3");
        assertThat(r.out()).contains("\"loss\": 0.1385805664147");
        assertThat(r.out()).contains("\"forward\": {\"f0\": 1.23");
        assertThat(r.out()).contains("\"backward\": {\"f3\": 0.74452821683184");
        assertThat(r.out()).contains("\"omega0\": {\"backprop\": 5.24607143098950");
    }

    @Test
    void traceOfTheToyProgramPrintsTheToyTables() {
        Result toy = run("toy");
        Result trace = run("trace", TOY, "--at", AT);
        assertThat(trace.code()).isZero();
        String toySteps = toy.out().substring(toy.out().indexOf("Step 1"), toy.out().indexOf("Step 3"));
        assertThat(trace.out()).contains(toySteps.strip());
    }

    @Test
    void gradJson() {
        Result r = run("grad", TOY, "--at", "x=2.3,y=2.0", "--at", "beta0=1.0,beta1=2.0,beta2=-3.0,beta3=0.4",
                "--at", "omega0=0.1,omega1=-0.4,omega2=2.0,omega3=3.0", "--json", "--wrt", "beta0,omega0");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("{\"value\": 0.1385805664147");
        assertThat(r.out()).contains("\"gradient\": {\"beta0\": 2.2809006221693");
        assertThat(r.out()).contains("\"omega0\": 5.246071430989");
        assertThat(r.out()).doesNotContain("omega1");
    }

    @Test
    void checkPassesOnGoodFormulasAndShowsTheTable() {
        Result r = run("check", "sin(x)*exp(y) + x^3/y", "--at", "x=0.7,y=1.3");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("All derivatives agree");
    }

    @Test
    void checkFailsWithExitOneWhenToleranceCannotBeMet() {
        // A huge step makes the central difference wrong; the check must notice.
        Result r = run("check", "exp(3*x)", "--at", "x=1", "--step", "0.5");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("check failed").contains("x");
    }

    /** 0^(−h) = ∞ made the rounding allowance infinite: a difference of −∞ was "ok" against backprop's 0. */
    @Test
    void checkFailsWhereTheFiniteDifferenceIsInfinite() {
        Result r = run("check", "a^b", "--at", "a=0,b=0");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("-Infinity").contains("DISAGREE (finite difference not finite)");
        assertThat(r.err()).contains("check failed").contains("b (finite difference not finite)").hasLineCount(1);
    }

    /** With --step 1e-300, f(1 ± h) = f(1): a difference of 0 passed under an allowance of ~1e285. */
    @Test
    void checkFailsWhenTheStepIsTooSmallToSeeTheDerivative() {
        Result r = run("check", "x^2", "--at", "x=1", "--step", "1e-300", "--json");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("\"passed\": false").contains("\"finite_difference\": 0.0")
                .contains("\"reason\": \"finite difference inconclusive: step too small\"");
        Result table = run("check", "x^2", "--at", "x=1", "--step", "1e-300");
        assertThat(table.out()).contains("DISAGREE (finite difference inconclusive: step too small)");
        assertThat(run("check", "x^2", "--at", "x=1", "--step", "1e-6").code()).isZero();
    }

    @Test
    void diffPrintsAnEvaluableClosedForm() {
        Result r = run("diff", "x*sin(x)", "--wrt", "x");
        assertThat(r.code()).isZero();
        Result back = run("grad", r.out(), "--at", "x=0.5", "--json");
        assertThat(back.code()).isZero();
        double expected = Math.sin(0.5) + 0.5 * Math.cos(0.5);
        assertThat(back.out()).contains("\"value\": " + expected);
    }

    @Test
    void formulaFromAFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("toy.bp");
        Files.writeString(f, TOY.replace("; ", "\n"));
        Result r = run("grad", "@" + f, "--at", AT, "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"value\": 0.1385805664147");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertBad(run("grad", "sin(x", "--at", "x=1"), "1:6: expected ')' but found end of input");
        assertBad(run("grad", "foo(x)", "--at", "x=1"), "unknown function 'foo'");
        assertBad(run("grad", "x*y", "--at", "x=1"), "missing value for input 'y'");
        assertBad(run("grad", "x*y", "--at", "x=1,y=abc"), "'abc' is not a number");
        assertBad(run("grad", "x*y", "--at", "x=1,y=2", "--wrt", "z"), "--wrt names 'z'");
        assertBad(run("grad", "@/no/such/file", "--at", "x=1"), "cannot read the formula: /no/such/file: no such file");
        assertBad(run("grad", "x", "--at", "x=1", "--bogus"), "unknown option '--bogus'");
        assertBad(run("toy", "--x", "abc"), "--x': 'abc' is not a number");
        assertBad(run("toy", "--x", "0x1p3"), "'0x1p3' is not a number");
        assertBad(run("toy", "--x", "1e400"), "'1e400' is too large for a double");
        assertBad(run("diff", "x*y", "--wrt", "q"), "--wrt names 'q'");
    }

    static void assertBad(Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        String first = r.err().lines().findFirst().orElse("");
        assertThat(first).startsWith("backprop: ").contains(message);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void nonFiniteResultsStillPrintAndNameTheStep() {
        Result r = run("grad", "a = log(x); b = a*2", "--at", "x=-1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("b = NaN");
        assertThat(r.err()).contains("step a = log(x)").contains("NaN");
    }
}
