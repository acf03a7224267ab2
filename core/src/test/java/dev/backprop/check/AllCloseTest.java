package dev.backprop.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AllCloseTest {

    @Test
    void followsNumpyIsclose() {
        AllClose r = AllClose.NUMPY;
        // numpy.isclose(1.00001, 1.0) -> True; numpy.isclose(1.0001, 1.0) -> False
        assertThat(r.isClose(1.00001, 1.0)).isTrue();
        assertThat(r.isClose(1.0001, 1.0)).isFalse();
        // asymmetric: the reference is the second argument
        assertThat(new AllClose(0.5, 0).isClose(3.0, 2.0)).isTrue();
        assertThat(new AllClose(0.5, 0).isClose(2.0, 3.0)).isTrue();
        assertThat(new AllClose(0.4, 0).isClose(3.0, 2.0)).isFalse();
        assertThat(new AllClose(0.4, 0).isClose(2.0, 3.0)).isTrue();
        assertThat(r.isClose(1e-9, 0.0)).isTrue();
        assertThat(r.isClose(Double.NaN, Double.NaN)).isFalse();
        assertThat(r.isClose(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isTrue();
        assertThat(r.isClose(Double.POSITIVE_INFINITY, 1e308)).isFalse();
        assertThat(r.allClose(new double[] {1, 2}, new double[] {1, 2.00000001})).isTrue();
        assertThat(r.allClose(new double[] {1, 2}, new double[] {1})).isFalse();
    }

    @Test
    void rejectsNegativeTolerances() {
        assertThatThrownBy(() -> new AllClose(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AllClose(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
