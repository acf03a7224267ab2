package dev.backprop.cli;

import static dev.backprop.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hessian, jvp, hvp, jacobian and diff --wrt x,y as a user runs them. The numbers are the closed
 * forms of x·sin(y) + y² at (1, 2), worked by hand: ∂/∂x = sin 2, ∂/∂y = cos 2 + 4,
 * ∂²/∂x∂y = cos 2, ∂²/∂y² = 2 − sin 2, ∂²/∂x² = 0.
 */
class ModesCliTest {
    private static final String F = "x*sin(y) + y^2";
    private static final double S = Math.sin(2), C = Math.cos(2);

    private static double number(String json, String after) {
        int i = json.indexOf(after);
        assertThat(i).as("%s in %s", after, json).isNotNegative();
        String rest = json.substring(i + after.length()).trim();
        int end = 0;
        while (end < rest.length() && "0123456789.-+eE".indexOf(rest.charAt(end)) >= 0) {
            end++;
        }
        return Double.parseDouble(rest.substring(0, end));
    }

    @Test
    void hessianGivesValueGradientAndSecondDerivatives() {
        CliTest.Result r = run("hessian", F, "--at", "x=1,y=2", "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("{\"value\": ");
        assertThat(number(r.out(), "\"hessian\": {\"x\": {\"x\":")).isEqualTo(0.0);
        assertThat(number(r.out(), "\"x\": 0.0, \"y\":")).isCloseTo(C, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(number(r.out(), "\"y\": {\"x\": " + C + ", \"y\":")).isCloseTo(2 - S, org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void jvpIsTheDirectionalDerivative() {
        CliTest.Result r = run("jvp", F, "--at", "x=1,y=2", "--dir", "x=1,y=0.5", "--json");
        assertThat(r.code()).isZero();
        assertThat(number(r.out(), "\"jvp\":")).isCloseTo(S + 0.5 * (C + 4), org.assertj.core.api.Assertions.within(1e-14));
        assertThat(run("jvp", F, "--at", "x=1,y=2", "--dir", "q=1").code()).isEqualTo(2);
    }

    @Test
    void hvpIsTheHessianTimesTheVector() {
        CliTest.Result r = run("hvp", F, "--at", "x=1,y=2", "--dir", "y=1", "--json");
        assertThat(r.code()).isZero();
        assertThat(number(r.out(), "\"hvp\": {\"x\":")).isCloseTo(C, org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void jacobianOfTwoStatementsInEitherMode() {
        String program = "u = x*sin(y)\nv = x + y^2\nv";
        for (String mode : new String[] {"forward", "reverse", "auto"}) {
            CliTest.Result r = run("jacobian", program, "--outputs", "u,v", "--at", "x=1,y=2", "--mode", mode, "--json");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("\"jacobian\": {\"u\": {\"x\": " + S + ", \"y\": " + C + "}, \"v\": {\"x\": 1.0, \"y\": 4.0}}");
        }
        assertThat(run("jacobian", program, "--outputs", "w", "--at", "x=1,y=2").code()).isEqualTo(2);
        assertThat(run("jacobian", program, "--outputs", "u", "--at", "x=1,y=2", "--mode", "sideways").code()).isEqualTo(2);
    }

    @Test
    void secondDerivativeClosedFormsAgreeWithTheHessian() {
        assertThat(run("diff", F, "--wrt", "x,y").out().trim()).endsWith("= cos(y)");
        assertThat(run("diff", F, "--wrt", "x,x").out().trim()).endsWith("= 0");
        CliTest.Result yy = run("diff", F, "--wrt", "y,y");
        CliTest.Result g = run("grad", yy.out().trim(), "--at", "x=1,y=2", "--json");
        assertThat(number(g.out(), "\"value\":")).isCloseTo(2 - S, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(run("diff", F, "--wrt", "x,y,x").code()).isEqualTo(2);
    }

    @Test
    void hessianOverDataIsTheSumOverRows(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "x,y\n0.5,1\n1.5,0\n-2,3\n");
        CliTest.Result r = run("hessian", "(a*x + b - y)^2", "--data", csv.toString(), "--at", "a=0.7,b=-0.2", "--json");
        assertThat(r.code()).isZero();
        // Σ 2x² = 13, Σ 2x = 0, Σ 2 = 6
        assertThat(r.out()).contains("\"hessian\": {\"a\": {\"a\": 13.0, \"b\": 0.0}, \"b\": {\"a\": 0.0, \"b\": 6.0}}");
    }

    @Test
    void checkOrderTwoHoldsTheHessianToDifferencesOfTheGradient() {
        CliTest.Result r = run("check", CliTest.TOY, "--at", CliTest.AT, "--order", "2", "--wrt", "beta0,omega3", "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"hessian\": {\"beta0\": {\"beta0\": {\"backprop\": ");
        assertThat(r.out()).doesNotContain("\"agrees\": false");
        assertThat(run("check", F, "--at", "x=1,y=2", "--order", "3").code()).isEqualTo(2);
    }

    @Test
    void fitWithNewtonConvergesInAFewStepsAndTrainRefusesIt() {
        CliTest.Result r = run("fit", "(a*sin(b*x) - y)^2", "--data", "../examples/sine.csv", "--init", "a=1,b=1.8",
                "--optimizer", "newton", "--steps", "8", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(number(r.out(), "\"loss\":")).isLessThan(1.05);
        assertThat(run("train", "--data", "../examples/sine.csv", "--inputs", "x", "--targets", "y", "--optimizer", "newton")
                .code()).isEqualTo(2);
    }
}
