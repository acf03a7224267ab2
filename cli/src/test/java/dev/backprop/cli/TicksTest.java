package dev.backprop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Ticks on round numbers, a bounded count of them, whatever the range. */
class TicksTest {

    @Test
    void linearTicksAreRoundAndFew() {
        assertThat(Ticks.linear(1, 1000)).containsExactly(200.0, 400.0, 600.0, 800.0, 1000.0);
        assertThat(Ticks.linear(-1.6, 1.6)).containsExactly(-1.0, 0.0, 1.0);
        assertThat(Ticks.linear(-2.3, 2.3)).containsExactly(-2.0, -1.0, 0.0, 1.0, 2.0);
    }

    @Test
    void aHundredDecadesGetAboutSixLabels() {
        List<Double> t = Ticks.logDecades(-31, 80);
        assertThat(t).hasSizeBetween(4, 8).allMatch(e -> e % 20 == 0);
        assertThat(Ticks.power(-20)).isEqualTo("1e-20");
        assertThat(Ticks.power(0)).isEqualTo("1");
        assertThat(Ticks.power(-3)).isEqualTo("0.001");
    }

    @Test
    void aFewDecadesGetOneTwoAndFive() {
        List<String> labels = Ticks.logDecades(-1.05, 0.9).stream().map(Ticks::power).toList();
        assertThat(labels).containsExactly("0.1", "0.2", "0.5", "1", "2", "5");
        assertThat(Ticks.logDecades(Math.log10(3), Math.log10(9)).stream().map(Ticks::power).toList())
                .containsExactly("3", "4", "5", "6", "7", "8", "9");
    }
}
