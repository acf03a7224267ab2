package dev.backprop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bench/compare reads the scripts' JSON lines with FlatJson; a misread would put a wrong number in the table. */
class FlatJsonTest {

    @Test
    void readsWhatTheTorchScriptsPrint() {
        Map<String, Object> m = FlatJson.parse("{\"workload\": \"mlp_step\", \"sizes\": [784, 1024, 10], "
                + "\"ms_per_step\": 101.25, \"gflops\": 2.9e1, \"gradient\": {\"beta0\": -1.5E-3}, \"ok\": true, \"x\": null}");
        assertThat(m.get("workload")).isEqualTo("mlp_step");
        assertThat(m.get("sizes")).isEqualTo(List.of(784.0, 1024.0, 10.0));
        assertThat(m.get("ms_per_step")).isEqualTo(101.25);
        assertThat(m.get("gflops")).isEqualTo(29.0);
        assertThat(m.get("gradient")).isEqualTo(Map.of("beta0", -1.5e-3));
        assertThat(m.get("ok")).isEqualTo(true);
        assertThat(m).containsKey("x");
    }

    @Test
    void readsPythonsNonFiniteNumbers() {
        Map<String, Object> m = FlatJson.parse("{\"a\": NaN, \"b\": -Infinity, \"c\": Infinity}");
        assertThat((Double) m.get("a")).isNaN();
        assertThat(m.get("b")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(m.get("c")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void rejectsTruncatedOutput() {
        assertThatThrownBy(() -> FlatJson.parse("{\"a\": 1.0, \"b\""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlatJson.parse("[1, 2]")).isInstanceOf(IllegalArgumentException.class);
    }
}
