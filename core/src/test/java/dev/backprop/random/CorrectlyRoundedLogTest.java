package dev.backprop.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The logarithm behind the Gaussians, against Python's decimal ln rounded once to double. */
class CorrectlyRoundedLogTest {

    private static List<double[]> rows() {
        return Fixtures.lines("log.txt").stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split(" "))
                .map(t -> new double[] {Double.parseDouble(t[0]), Double.parseDouble(t[1])})
                .toList();
    }

    @Test
    void fastPathIsCorrectlyRounded() {
        List<double[]> rows = rows();
        assertThat(rows).hasSizeGreaterThan(3000);
        for (double[] r : rows) {
            assertThat(Double.valueOf(CorrectlyRoundedLog.log(r[0]))).as("log(%s)", r[0]).isEqualTo(r[1]);
        }
    }

    @Test
    void slowPathIsCorrectlyRounded() {
        for (double[] r : rows()) {
            assertThat(Double.valueOf(CorrectlyRoundedLog.slowLog(r[0]))).as("slowLog(%s)", r[0]).isEqualTo(r[1]);
        }
    }

    @Test
    void specialValues() {
        assertThat(CorrectlyRoundedLog.log(1.0)).isEqualTo(0.0);
        assertThat(CorrectlyRoundedLog.log(0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(CorrectlyRoundedLog.log(-0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(CorrectlyRoundedLog.log(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(CorrectlyRoundedLog.log(-1.0)).isNaN();
        assertThat(CorrectlyRoundedLog.log(Double.NaN)).isNaN();
    }
}
